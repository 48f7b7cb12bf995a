"""What the engine shows of a text: its opening, without a heading run into the sentence before it."""

import pytest

from antwoord.answers.documents import SNIPPET_LENGTH, snippet


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        (
            "U moet het melden (saneren).\n\n## Melden\n\nU meldt het bij de gemeente.",
            "U moet het melden (saneren).",
        ),
        (
            "## Wat is het?\n\nU vraagt het online aan.\n\n### Kosten\n\nHet kost € 10.",
            "U vraagt het online aan.",
        ),
        ("Een tekst zonder kopjes.\nMet een tweede regel.", "Een tekst zonder kopjes. Met een tweede regel."),
        ("#3 op de lijst is geen kop.", "3 op de lijst is geen kop."),
        ("## Alleen een kop", ""),
        ("", ""),
        # raw HTML an editor typed: none of it in the plain-text snippet, a comparison stays
        ("Meer info <img src=x onerror=alert(1)> en <b>goed</b>.", "Meer info en goed."),
        ("Ophalen <script>alert(1)</script> op zaterdag", "Ophalen alert(1) op zaterdag"),
        ("Kost minder dan 5 euro als 3 < 4.", "Kost minder dan 5 euro als 3 < 4."),
        (
            "Mail naar <info@denhaag.nl> of kijk op <https://www.denhaag.nl>.",
            "Mail naar info@denhaag.nl of kijk op",
        ),
    ],
)
def test_the_snippet_is_the_opening_up_to_the_first_heading(markdown: str, expected: str) -> None:
    assert snippet(markdown) == expected


def test_a_long_opening_is_cut_at_a_word_with_an_ellipsis() -> None:
    opening = "woord " * 100
    shortened = snippet(f"{opening}\n\n## Kop\n\nMeer.")
    assert len(shortened) <= SNIPPET_LENGTH and shortened.endswith("…") and "Kop" not in shortened
