"""Reading mail defensively: headers, bodies and the derived Message-ID."""

import pytest

from antwoord.inbox.parsing import message_id_of, parse_mail, postcode_in


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


def test_raw_utf8_in_headers_is_read_as_utf8() -> None:
    """RFC 6532 lets a mail carry UTF-8 in its headers without encoded words; many programs do."""
    raw = "From: Jérôme Cœur <j@example.nl>\r\nSubject: Café aan de Zeeën\r\n\r\nTekst\r\n".encode()
    parsed = parse_mail(raw)
    assert parsed.subject == "Café aan de Zeeën" and parsed.sender_name == "Jérôme Cœur"
    assert parsed.reply_to == "j@example.nl"
    latin = parse_mail(b"Subject: Caf\xe9\r\nFrom: x@example.nl\r\n\r\nTekst\r\n")
    assert latin.subject == "Caf\ufffd"  # not UTF-8: what does not fit is replaced, the rest kept


def test_an_html_only_reply_keeps_its_lines_and_loses_its_quote() -> None:
    html = (
        "<div>Dit hielp niet.<br>Ik heb al <b>twee</b> auto&#39;s.</div><p>Wat nu?</p>"
        '<div class="gmail_quote">Op 3 mei 2026 schreef Den Haag &lt;gm0518@antwoord.localhost&gt;:'
        "<blockquote>Hoe vraag ik een parkeervergunning aan?</blockquote></div>"
    )
    raw = (
        b"Subject: Re: Antwoord\r\nFrom: x@example.nl\r\nIn-Reply-To: <1@antwoord.localhost>\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n" + html.encode()
    )
    assert parse_mail(raw).body == "Dit hielp niet.\nIk heb al twee auto's.\n\nWat nu?"


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


BROKEN_WORD = b"=?utf-8?b?a?="  # "a" is no base64: decode_header raises HeaderParseError


def test_a_broken_encoded_word_in_the_message_id_gives_a_message_id() -> None:
    assert message_id_of(b"Message-ID: " + BROKEN_WORD + b"\r\n\r\nx") == BROKEN_WORD.decode()


@pytest.mark.parametrize("header", [b"Subject", b"From", b"Reply-To", b"Auto-Submitted", b"Precedence"])
def test_a_broken_encoded_word_in_any_header_is_kept_as_it_is(header: bytes) -> None:
    parsed = parse_mail(header + b": " + BROKEN_WORD + b"\r\n\r\nTekst\r\n")
    assert parsed.body == "Tekst" and parsed.reply_to == ""


@pytest.mark.parametrize("charset", ["rot13", "hex", "base64", "zlib", "idna", "punycode", "x-onbekend"])
def test_a_body_in_a_codec_that_is_no_text_encoding_is_read_as_utf8(charset: str) -> None:
    raw = (
        b"Subject: s\r\nContent-Type: text/plain; charset="
        + charset.encode()
        + b"\r\n\r\ncaf\xc3\xa9 \xff\r\n"
    )
    body = parse_mail(raw).body
    assert body.startswith("caf") and body.isprintable()


def test_an_html_part_in_a_codec_that_is_no_text_encoding_is_read_as_utf8() -> None:
    raw = b"Subject: s\r\nContent-Type: text/html; charset=hex\r\n\r\n<p>caf\xc3\xa9</p>\r\n"
    assert parse_mail(raw).body == "café"


def test_the_senders_name_is_read_and_an_address_too_long_to_store_is_no_address() -> None:
    parsed = parse_mail(b"From: =?utf-8?q?Jos=C3=A9_de_Vries?= <jose@example.nl>\r\n\r\nx")
    assert (parsed.sender_name, parsed.reply_to) == ("José de Vries", "jose@example.nl")
    assert parse_mail(b"From: jose@example.nl\r\n\r\nx").sender_name == ""
    too_long = b"a" * 60 + b"@" + b".".join([b"b" * 60] * 4) + b".nl"  # valid, but over 254 characters
    assert (
        parse_mail(b"Reply-To: " + too_long + b"\r\nFrom: x@example.nl\r\n\r\nx").reply_to == "x@example.nl"
    )


@pytest.mark.parametrize(
    "quote",
    [
        "Op 3 mei 2026 om 10:12 schreef Den Haag <gm0518@antwoord.localhost>:\n> Eerder antwoord",
        "On Sun, May 3, 2026 at 10:12 AM Den Haag <gm0518@antwoord.localhost> wrote:\n> Earlier",
        "-----Oorspronkelijk bericht-----\nVan: Den Haag\nOnderwerp: Antwoord",
        "Van: Den Haag <gm0518@antwoord.localhost>\nVerzonden: zondag 3 mei 2026 10:12\nAan: mij",
        "________________________________\nVan: Den Haag <gm0518@antwoord.localhost>\nVerzonden: zondag 3 mei",
        "Op zo 3 mei 2026 om 10:12 schreef Den Haag <\ngm0518@antwoord.localhost>:\n> Eerder antwoord",
        "Op 3 mei 2026, om 10:12 heeft Den Haag <gm0518@antwoord.localhost> het volgende geschreven:\n\n> Eerder",
    ],
    ids=[
        "dutch",
        "english",
        "outlook-separator",
        "outlook-block",
        "outlook-line",
        "gmail-wrapped",
        "apple-mail",
    ],
)
def test_a_reply_keeps_only_its_new_text(quote: str) -> None:
    raw = f"Subject: Re: vraag\r\nIn-Reply-To: <1@a>\r\nFrom: x@example.nl\r\n\r\nHet hielp niet.\n\n{quote}\r\n"
    assert parse_mail(raw.encode()).body == "Het hielp niet."
    assert quote in parse_mail(raw.replace("In-Reply-To: <1@a>\r\n", "").encode()).body  # no reply: all stays


@pytest.mark.parametrize(
    "body",
    [
        # a letter forwarded to ask about it
        "Wat moet ik hiermee?\n\n---------- Forwarded message ---------\nFrom: Belastingdienst <b@x.nl>\n"
        "Date: ma 4 mei 2026\n> Aanslag 2025",
        # the resident's own words, not a quote header (no address on the line)
        "Op 3 mei schreef de gemeente mij:\nuw vergunning is verlopen. Klopt dat?",
        # nothing new: the whole text stays rather than nothing
        "> alleen een citaat",
    ],
)
def test_a_reply_keeps_what_is_not_a_quote(body: str) -> None:
    raw = f"In-Reply-To: <1@a>\r\nFrom: x@example.nl\r\n\r\n{body}\r\n".encode()
    assert parse_mail(raw).body == body


def test_quoted_lines_go_but_a_van_in_the_text_stays() -> None:
    raw = b"In-Reply-To: <1@a>\r\nFrom: x@example.nl\r\n\r\n> oud\r\nVan: mijn buurman hoorde ik het.\r\nKlopt dat?\r\n"
    assert parse_mail(raw).body == "Van: mijn buurman hoorde ik het.\nKlopt dat?"


def test_an_image_in_a_signature_is_no_attachment() -> None:
    raw = (
        b"From: x@example.nl\r\nContent-Type: multipart/related; boundary=B\r\n\r\n--B\r\n"
        b"Content-Type: text/plain\r\n\r\nVraag\r\n--B\r\nContent-Type: image/png; name=image001.png\r\n"
        b"Content-Disposition: inline; filename=image001.png\r\nContent-ID: <logo>\r\n\r\nPNG\r\n"
        b"--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=brief.pdf\r\n\r\n"
        b"PDF\r\n--B--\r\n"
    )
    assert parse_mail(raw).attachments == ("brief.pdf",)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (b"=?bogus-charset?b?aGFsbG8=?= wereld", "hallo wereld"),  # an unknown charset: read as UTF-8
        (b"Re: =?utf-8?q?Caf=C3=A9?= in Zo=EB", "Re: Café in Zo=EB"),
        (b"=?rot13?q?uryyb?=", "uryyb"),  # not a text encoding: its bytes read as UTF-8, as in a body
    ],
)
def test_encoded_words_in_any_charset_become_text(subject: bytes, expected: str) -> None:
    assert parse_mail(b"Subject: " + subject + b"\r\nFrom: x@example.nl\r\n\r\nTekst\r\n").subject == expected
