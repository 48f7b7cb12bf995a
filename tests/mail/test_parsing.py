"""Reading mail defensively: headers, bodies and the derived Message-ID."""

from antwoord.mail.parsing import message_id_of, parse_mail, postcode_in


def test_a_missing_or_absurd_message_id_is_derived_from_the_mail_and_stable() -> None:
    raw = b"From: a@example.nl\r\nSubject: vraag\r\n\r\ntekst\r\n"
    assert message_id_of(raw) == message_id_of(raw) != message_id_of(raw + b"meer")
    assert message_id_of(b"Message-ID:  <a@b>  \r\n\r\nx") == "<a@b>"
    long_id = b"Message-ID: <" + b"x" * 500 + b"@b>\r\n\r\n"
    assert message_id_of(long_id) == message_id_of(long_id + b"andere tekst")
    assert len(message_id_of(long_id)) < 100


def test_headers_in_encoded_words_are_decoded() -> None:
    parsed = parse_mail(b"Subject: =?utf-8?q?Caf=C3=A9_vergunning?=\r\nFrom: x@example.nl\r\n\r\nTekst\r\n")
    assert parsed.subject == "Café vergunning" and parsed.reply_to == "x@example.nl"
    assert parsed.text == "Café vergunning\n\nTekst" and not parsed.automated


def test_plain_text_wins_over_html_and_attachments_are_ignored() -> None:
    raw = (
        b"Subject: s\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
        b"Content-Type: text/plain; name=bijlage.txt\r\nContent-Disposition: attachment\r\n\r\nGEHEIM\r\n"
        b"--B\r\nContent-Type: multipart/alternative; boundary=C\r\n\r\n--C\r\n"
        b"Content-Type: text/html\r\n\r\n<p>html</p>\r\n--C\r\n"
        b"Content-Type: text/plain; charset=latin-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"caf=E9\r\n--C--\r\n--B--\r\n"
    )
    assert parse_mail(raw).body == "café"


def test_postcodes_are_found_but_years_and_numbers_are_not() -> None:
    assert postcode_in("Ik woon op 2511AB in Den Haag") == "2511"
    assert postcode_in("postcode 3511 CE") == "3511"
    assert postcode_in("In 1990 en 2000 had ik 1234 euro") == ""
