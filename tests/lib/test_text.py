"""Tests for antwoord.lib.text: cleaning, HTML-to-Markdown and safe rendering."""

import pytest

from antwoord.lib.text import (
    collapse_whitespace,
    ends_with_sign_off,
    has_html_tag,
    html_to_markdown,
    is_person_name,
    markdown_to_text,
    normalise_text,
    render_markdown,
    spreadsheet_safe,
    truncate,
    word_diff,
)

ELLIPSIS = "\u2026"


# --- normalise_text / collapse_whitespace -----------------------------------


def test_normalise_text_composes_unicode_to_nfc() -> None:
    assert normalise_text("e\u0301en") == "\u00e9en"


def test_normalise_text_unifies_newlines() -> None:
    assert normalise_text("a\r\nb\rc\nd") == "a\nb\nc\nd"


def test_normalise_text_removes_control_characters_but_keeps_newline_and_tab() -> None:
    assert normalise_text("a\x00b\x07c\x1bd\x7fe\x85f\tg\nh") == "abcdef\tg\nh"


def test_normalise_text_replaces_non_breaking_spaces() -> None:
    assert normalise_text("\u20ac\u00a075\u202fper\u2007jaar") == "\u20ac 75 per jaar"


def test_normalise_text_strips_outer_whitespace_and_byte_order_mark() -> None:
    assert normalise_text("\ufeff \u00a0 Paspoort\t\n ") == "Paspoort"


def test_normalise_text_drops_invisible_spaces_and_direction_marks_but_keeps_joiners() -> None:
    assert normalise_text("\u200bpas\u2060poort \u202egnisarb\u202c \u2066x\u2069") == "paspoort gnisarb x"
    assert (
        normalise_text("\U0001f468\u200d\U0001f469\u200d\U0001f467")
        == "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    )


def test_normalise_text_empty() -> None:
    assert normalise_text("") == ""
    assert normalise_text(" \r\n\x00\u00a0") == ""


def test_collapse_whitespace_makes_one_line() -> None:
    assert collapse_whitespace("  Paspoort\r\n\r\n aanvragen\t bij\u00a0de gemeente ") == (
        "Paspoort aanvragen bij de gemeente"
    )


def test_collapse_whitespace_also_normalises() -> None:
    assert collapse_whitespace("Caf\u0065\u0301\x00 open") == "Caf\u00e9 open"


def test_collapse_whitespace_empty() -> None:
    assert collapse_whitespace("") == ""
    assert collapse_whitespace("\n\t \u00a0") == ""


# --- html_to_markdown --------------------------------------------------------


def test_html_to_markdown_empty() -> None:
    assert html_to_markdown("") == ""
    assert html_to_markdown("<p> </p><div>\n</div><br>") == ""


def test_html_to_markdown_paragraphs_are_separated_by_one_blank_line() -> None:
    html = "<div><div><p>Eerste alinea.</p></div></div><p></p><p>  </p><div>Tweede   \n alinea.</div>"
    assert html_to_markdown(html) == "Eerste alinea.\n\nTweede alinea."


def test_html_to_markdown_bare_line_between_blocks_is_its_own_paragraph() -> None:
    html = (
        "<p>U vraagt een nieuw paspoort aan bij uw gemeente.</p>\n\n"
        "Paspoortnummer invullen\n"
        "<p>Vul het nummer van uw oude paspoort in op het formulier.</p>\n"
        "Kosten\n"
        "<p>De gemeente bepaalt de prijs.</p>"
    )
    assert html_to_markdown(html) == (
        "U vraagt een nieuw paspoort aan bij uw gemeente.\n\n"
        "Paspoortnummer invullen\n\n"
        "Vul het nummer van uw oude paspoort in op het formulier.\n\n"
        "Kosten\n\n"
        "De gemeente bepaalt de prijs."
    )


@pytest.mark.parametrize("tag", ["script", "style", "iframe", "object", "template", "noscript", "svg"])
def test_html_to_markdown_drops_dangerous_elements_with_content(tag: str) -> None:
    html = f"<p>Voor<{tag} data-x='1'><p>verborgen</p>alert(1)</{tag}> na</p>"
    assert html_to_markdown(html) == "Voor na"


def test_html_to_markdown_drops_nested_and_void_dangerous_elements() -> None:
    html = "<p>a<svg><g><svg><text>x</text></svg>y</g></svg>b<embed src='x.swf'>c</p>"
    assert html_to_markdown(html) == "abc"


def test_html_to_markdown_script_text_is_not_leaked() -> None:
    html = "<script>document.write('<p>nep</p>')</script><p>echt</p>"
    assert html_to_markdown(html) == "echt"


def test_html_to_markdown_unescapes_entities() -> None:
    html = "<p>Caf&eacute; &amp; bar: &euro;&nbsp;12,50 &#8211; &#x27;s avonds</p>"
    assert html_to_markdown(html) == "Caf\u00e9 & bar: \u20ac 12,50 \u2013 's avonds"


def test_html_to_markdown_never_emits_raw_html_from_escaped_text() -> None:
    result = html_to_markdown("<p>&lt;script&gt;alert(1)&lt;/script&gt; en a &lt; b</p>")
    assert "<script" not in result
    assert "a < b" in result
    assert "<script" not in render_markdown(result)
    assert markdown_to_text(result) == "<script>alert(1)</script> en a < b"


def test_html_to_markdown_line_breaks_become_hard_breaks() -> None:
    assert html_to_markdown("<p>Postbus 20350<br>2500 EJ Den Haag</p>") == (
        "Postbus 20350  \n2500 EJ Den Haag"
    )


def test_html_to_markdown_double_line_break_starts_new_paragraph() -> None:
    assert html_to_markdown("een<br><br>twee") == "een\n\ntwee"


def test_html_to_markdown_headings() -> None:
    html = "<h1>Paspoort</h1><h2>Aanvragen</h2><h3>Kosten <b>2025</b></h3><h6>Let op</h6>tekst"
    assert html_to_markdown(html) == (
        "## Paspoort\n\n## Aanvragen\n\n### Kosten **2025**\n\n### Let op\n\ntekst"
    )


def test_html_to_markdown_unordered_and_ordered_lists() -> None:
    html = "<p>Neem mee:</p><ul><li>pasfoto</li><li>oud paspoort</li></ul><ol><li>Eerst</li><li>Dan</li></ol>"
    assert html_to_markdown(html) == "Neem mee:\n\n- pasfoto\n- oud paspoort\n\n1. Eerst\n2. Dan"


def test_html_to_markdown_nested_lists_are_indented_and_render_nested() -> None:
    html = (
        "<ul><li>Identiteit<ul><li>paspoort</li><li>ID-kaart <em>(Nederlands)</em></li></ul></li>"
        "<li>Adres<ol><li>huurcontract</li></ol></li></ul><p>Daarna</p>"
    )
    result = html_to_markdown(html)
    assert result == (
        "- Identiteit\n    - paspoort\n    - ID-kaart *(Nederlands)*\n- Adres\n    1. huurcontract\n\nDaarna"
    )
    rendered = render_markdown(result)
    assert rendered.count("<ul>") == 2
    assert "<li>Identiteit<ul>" in rendered
    assert "<ol>" in rendered


def test_html_to_markdown_ordered_list_start_and_paragraphs_in_items() -> None:
    html = "<ol start='3'><li><p>Vul in.</p><p>Controleer.</p></li><li>Verstuur.</li></ol>"
    assert html_to_markdown(html) == "3. Vul in.  \n   Controleer.\n4. Verstuur."


def test_html_to_markdown_list_without_text_in_parent_item_does_not_become_code() -> None:
    result = html_to_markdown("<ul><li><ul><li>diep</li></ul></li></ul>")
    assert result == "- diep"
    assert "<code>" not in render_markdown(result)


def test_html_to_markdown_emphasis_and_whitespace_around_it() -> None:
    html = "<p>Dit is<b> belangrijk </b>en <em>dit</em> ook<strong></strong>.</p>"
    assert html_to_markdown(html) == "Dit is **belangrijk** en *dit* ook."


def test_html_to_markdown_nested_bold_is_not_doubled() -> None:
    assert html_to_markdown("<b><strong>heel</strong> vet</b>") == "**heel vet**"


def test_html_to_markdown_misnested_inline_markup_stays_balanced() -> None:
    result = html_to_markdown("<b><i>schuin</b> los</i> <i>open")
    assert result == "***schuin*** los *open*"


def test_html_to_markdown_keeps_http_https_and_mailto_links() -> None:
    html = (
        '<p>Zie <a href="https://www.rijksoverheid.nl/paspoort">Rijksoverheid</a>, '
        '<a href="http://example.nl">oud</a> of <a href="mailto:info@example.nl">mail</a>.</p>'
    )
    assert html_to_markdown(html) == (
        "Zie [Rijksoverheid](https://www.rijksoverheid.nl/paspoort), "
        "[oud](http://example.nl) of [mail](mailto:info@example.nl)."
    )


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " java\nscript:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox",
        "/onderwerpen/paspoort",
        "../relatief",
        "#anker",
        "",
    ],
)
def test_html_to_markdown_drops_unsafe_and_relative_links_but_keeps_text(href: str) -> None:
    result = html_to_markdown(f'<p>Klik <a href="{href}">hier</a> nu</p>')
    assert result == "Klik hier nu"


def test_html_to_markdown_link_without_href_keeps_text() -> None:
    assert html_to_markdown('<a name="top">Boven</a>') == "Boven"


def test_html_to_markdown_escapes_link_text_and_target() -> None:
    result = html_to_markdown('<a href="https://example.nl/a b(c)">bijlage [pdf]</a>')
    assert result == "[bijlage \\[pdf\\]](https://example.nl/a%20b%28c%29)"
    assert 'href="https://example.nl/a%20b%28c%29"' in render_markdown(result)


def test_html_to_markdown_table_rows_become_lines() -> None:
    html = (
        "<table><thead><tr><th>Document</th><th>Prijs</th></tr></thead>"
        "<tbody><tr><td><p>Paspoort</p></td><td>&euro; 84,<span>00</span></td></tr>"
        "<tr><td> </td><td></td></tr><tr><td>ID-kaart</td><td>&euro; 72,00</td></tr></tbody></table>"
        "<p>Prijzen 2025.</p>"
    )
    assert html_to_markdown(html) == (
        "Document | Prijs  \nPaspoort | \u20ac 84,00  \nID-kaart | \u20ac 72,00\n\nPrijzen 2025."
    )


def test_html_to_markdown_ignores_unknown_tags_but_keeps_text() -> None:
    html = (
        "<section><span class='x'>Pas</span><font>poort</font> "
        "<abbr title='t'>BSN</abbr><img src=x></section>"
    )
    assert html_to_markdown(html) == "Paspoort BSN"


def test_html_to_markdown_removes_control_characters_and_crlf() -> None:
    assert html_to_markdown("<p>a\x00b\r\nc&#13;d</p>") == "ab c d"


def test_html_to_markdown_output_has_no_triple_newlines() -> None:
    html = "<p>a</p>\n\n\n<div>\n\n</div><ul></ul><h2></h2><p>b</p><ul><li>c</li></ul><p>d</p>"
    result = html_to_markdown(html)
    assert "\n\n\n" not in result
    assert result == "a\n\nb\n\n- c\n\nd"


# --- render_markdown / markdown_to_text --------------------------------------


def test_render_markdown_keeps_allowed_markup() -> None:
    text = (
        "## Kop\n\n### Sub\n\nTekst met **vet**, *schuin* en `code`.\n\n"
        "- een\n- twee\n\n1. eerst\n2. dan\n\n> citaat\n\n"
        '[Rijksoverheid](https://www.rijksoverheid.nl "Site") en [mail](mailto:info@example.nl)'
    )
    html = render_markdown(text)
    for fragment in (
        "<h2>Kop</h2>",
        "<h3>Sub</h3>",
        "<strong>vet</strong>",
        "<em>schuin</em>",
        "<code>code</code>",
        "<ul>",
        "<ol>",
        "<li>een</li>",
        "<blockquote>",
        'href="https://www.rijksoverheid.nl"',
        'title="Site"',
        'href="mailto:info@example.nl"',
    ):
        assert fragment in html
    assert html.count('rel="noopener noreferrer nofollow"') == 2


def test_render_markdown_line_break() -> None:
    html = render_markdown("Postbus 20350  \n2500 EJ Den Haag")
    assert html == "<p>Postbus 20350<br>\n2500 EJ Den Haag</p>"


def test_render_markdown_removes_script_with_content() -> None:
    html = render_markdown("Hallo\n\n<script>alert('xss')</script>\n\n<style>p{}</style>wereld")
    assert "<script" not in html
    assert "alert" not in html
    assert "<style" not in html
    assert "Hallo" in html
    assert "wereld" in html


def test_render_markdown_removes_event_handlers_and_disallowed_tags() -> None:
    html = render_markdown('Foto <img src="x" onerror="alert(1)"> en <b onclick="x()">vet</b>')
    assert "<img" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "<b" not in html
    assert "vet" in html


def test_render_markdown_drops_javascript_urls() -> None:
    html = render_markdown(
        '[klik](javascript:alert(1)) <a href="JAVASCRIPT:alert(2)">ook</a> '
        '<a href="data:text/html,x">data</a>'
    )
    assert "javascript" not in html.lower()
    assert "data:" not in html
    assert "klik" in html
    assert "ook" in html


def test_render_markdown_drops_iframes_and_disallowed_headings() -> None:
    html = render_markdown('<iframe src="https://evil.example"></iframe>\n\n# Groot\n\n###### Klein')
    assert "iframe" not in html
    assert "<h1" not in html
    assert "<h6" not in html
    assert "Groot" in html


def test_render_markdown_empty() -> None:
    assert render_markdown("") == ""


def test_markdown_to_text_strips_markup_and_unescapes() -> None:
    text = "## Kosten\n\nDe prijs is **\u20ac 84** & [meer info](https://example.nl).\n\n- een\n- twee"
    assert markdown_to_text(text) == "Kosten\n\nDe prijs is \u20ac 84 & meer info.\n\neen\ntwee"


def test_markdown_to_text_drops_script_content() -> None:
    assert markdown_to_text("a\n\n<script>alert(1)</script>\n\nb <img src=x onerror=alert(1)>") == "a\n\nb"


def test_markdown_to_text_empty() -> None:
    assert markdown_to_text("") == ""


def test_html_to_markdown_round_trip_to_text() -> None:
    html = "<p>Vraag een <strong>paspoort</strong> aan.</p>Bijlagen<ul><li>Foto</li></ul>"
    assert markdown_to_text(html_to_markdown(html)) == "Vraag een paspoort aan.\n\nBijlagen\n\nFoto"


# --- truncate ----------------------------------------------------------------


def test_truncate_returns_short_text_unchanged() -> None:
    assert truncate("Paspoort", 100) == "Paspoort"
    assert truncate("Paspoort", 8) == "Paspoort"


def test_truncate_cuts_at_word_boundary() -> None:
    result = truncate("Een paspoort aanvragen bij de gemeente", 20)
    assert result == f"Een paspoort{ELLIPSIS}"
    assert len(result) <= 20


def test_truncate_keeps_a_whole_word_that_ends_exactly_at_the_cut() -> None:
    assert truncate("Een paspoort aanvragen", 13) == f"Een paspoort{ELLIPSIS}"


def test_truncate_drops_trailing_punctuation_before_ellipsis() -> None:
    assert truncate("Paspoort, ID-kaart en rijbewijs", 12) == f"Paspoort{ELLIPSIS}"


def test_truncate_hard_cuts_a_single_long_word() -> None:
    assert truncate("Rijbewijsaanvraagformulier", 10) == f"Rijbewijs{ELLIPSIS}"


@pytest.mark.parametrize("limit", [1, 5, 17, 30])
def test_truncate_never_exceeds_limit(limit: int) -> None:
    assert len(truncate("Een paspoort aanvragen bij de gemeente", limit)) <= limit


def test_truncate_edge_limits_and_empty() -> None:
    assert truncate("", 10) == ""
    assert truncate("", 0) == ""
    assert truncate("abc", 0) == ""
    assert truncate("abc", 1) == ELLIPSIS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<b>vet</b>", True),
        ("regel<br/>regel", True),
        ('<a href="https://example.org">link</a>', True),
        ("<script>alert(1)</script>", True),
        ("Bel <14 070> als a < b en b > c", False),
        ("ik hou van je <3", False),
        ("kosten: < 10 euro, > 5 euro", False),
    ],
)
def test_has_html_tag_tells_tags_from_plain_angle_brackets(value: str, expected: bool) -> None:
    assert has_html_tag(value) is expected


@pytest.mark.parametrize(
    ("old", "new", "parts"),
    [
        (
            "Vraag de vergunning online aan.",
            "Vraag het aan via Mijn Den Haag.",
            [
                ("same", "Vraag "),
                ("removed", "de vergunning online aan."),
                ("added", "het aan via Mijn Den Haag."),
            ],
        ),
        (
            "U betaalt 140 euro per jaar.",
            "U betaalt 150 euro per jaar.",
            [("same", "U betaalt "), ("removed", "140 "), ("added", "150 "), ("same", "euro per jaar.")],
        ),
        ("a b", "a b", [("same", "a b")]),
        ("", "nieuw", [("added", "nieuw")]),
        # A sentence continued after its last word, a line added under the last one: only the new words.
        (
            "U vraagt het aan",
            "U vraagt het aan bij de gemeente",
            [("same", "U vraagt het aan "), ("added", "bij de gemeente")],
        ),
        (
            "paspoort\nid-kaart",
            "paspoort\nid-kaart\nreisdocument",
            [("same", "paspoort\nid-kaart\n"), ("added", "reisdocument")],
        ),
    ],
)
def test_word_diff_marks_what_goes_and_what_comes(old: str, new: str, parts: list[tuple[str, str]]) -> None:
    assert word_diff(old, new) == parts
    assert "".join(t for kind, t in parts if kind != "removed") == new
    assert "".join(t for kind, t in parts if kind != "added").split() == old.split()


@pytest.mark.parametrize(
    ("text", "signed"),
    [
        ("U krijgt de vergunning.\n\nMet vriendelijke groet,\nDirk de Vries\nafdeling Parkeren", True),
        ("Het is geregeld.\nGroeten, Dirk", True),
        ("Het is geregeld.\n\nmvg Dirk", True),
        ("Vriendelijke groet,\nDirk", True),
        (
            "Klaar.\n\nMet vriendelijke groet,\nDirk de Vries\nafdeling Parkeren\ngemeente Den Haag\n14 070",
            True,
        ),
        ("Hoogachtend,\nDirk", True),
        ("U krijgt de vergunning binnen 5 dagen.", False),
        (
            "Geef de groeten aan uw buren.\nDe vergunning is verlengd.\nU hoeft niets te doen.\nBetaal de rekening.",
            False,
        ),
        ("", False),
    ],
)
def test_a_sign_off_of_ones_own_is_recognised(text: str, signed: bool) -> None:
    assert ends_with_sign_off(text) is signed


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Eerste regel  \nTweede regel\n\nNieuwe alinea", "Eerste regel\nTweede regel\n\nNieuwe alinea"),
        ("- een\n- twee\n\nDaarna", "een\ntwee\n\nDaarna"),
        ("## Kop\n\n**Vet** en [een link](https://example.nl) &amp; meer", "Kop\n\nVet en een link & meer"),
        ("<script>alert(1)</script>Tekst", "Tekst"),
    ],
)
def test_markdown_as_text_keeps_lines_and_paragraphs(markdown: str, expected: str) -> None:
    assert markdown_to_text(markdown) == expected


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("Jan-Willem van 't Hof", True),
        ("van den Berg, Jan", True),
        ("Jan (Johannes) de Vries", True),
        ("Anne\u2010Marie", True),  # a typographic hyphen
        ("Zoe\u0308", True),  # ë as e and a combining diaeresis
        ("O’Neill", True),
        ("<b>Jan</b>", False),
        ("jan@example.nl", False),
        ("Jan 2", False),
        ("Jan; DROP TABLE", False),
    ],
)
def test_a_person_name_is_letters_and_the_marks_names_are_written_with(name: str, valid: bool) -> None:
    assert is_person_name(name) is valid


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("https://example.org")', '\'=HYPERLINK("https://example.org")'),
        ("+31 70 123", "'+31 70 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Parkeervergunning", "Parkeervergunning"),
        ("", ""),
        ("a=b", "a=b"),  # only a cell that starts with it
    ],
)
def test_a_spreadsheet_never_reads_a_cell_as_a_formula(value: str, safe: str) -> None:
    assert spreadsheet_safe(value) == safe
