"""Text cleaning, HTML-to-Markdown conversion and safe Markdown rendering.

Framework-free on purpose: importers, services and templates all share it.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser
from typing import Any, Literal
from urllib.parse import urlsplit

import markdown
import nh3

# Translation table for normalise_text: drops C0/C1 controls (they break CSV
# exports and search) but keeps newline and tab; maps no-break spaces to spaces.
_KEEP_CONTROLS = {"\n", "\t"}
_TRANSLATION: dict[int, str | None] = {
    code: None for code in [*range(0x20), *range(0x7F, 0xA0)] if chr(code) not in _KEEP_CONTROLS
}
_TRANSLATION.update({ord(space): " " for space in "\u00a0\u2007\u202f"})
# A byte-order mark often sticks to the first field of an imported file. Invisible spaces and the marks that
# turn the direction of text make a text look other than it is; they go too (joiners stay: emoji need them).
_TRANSLATION.update(
    {
        code: None
        for code in (0xFEFF, 0x200B, 0x2060, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
    }
)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029]")

_WHITESPACE = re.compile(r"\s+")
_ELLIPSIS = "\u2026"

_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_ALLOWED_TAGS = frozenset(
    {
        "p", "br", "ul", "ol", "li", "strong", "em", "a", "h2", "h3", "h4", "blockquote",
        "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
_LINK_REL = "noopener noreferrer nofollow"


# "van den Berg, Jan", "Jan (Johannes) de Vries", and typographic hyphens and apostrophes (U+2010, U+2019).
_NAME_MARKS = frozenset(" .,'’()-\u2010\u2011")
# What a resident is told when a name has other characters (agents see "de naam": contacts.models).
PERSON_NAME_HINT = "Gebruik in uw naam alleen letters, spaties en de tekens . , ' - ( )"


def parse_json(text: str) -> Any:
    """json.loads, where JSON nested deeper than Python follows (a few kilobytes of brackets) is a ValueError
    like any other malformed JSON, not a RecursionError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("the JSON is nested too deeply") from None


def is_person_name(value: str) -> bool:
    """Letters of any script (with their combining accents), spaces and the marks names are written with:
    "Jan-Willem van 't Hof", "Zoë", "Ørsted", "van den Berg, Jan"."""
    return all(
        char.isalpha() or char in _NAME_MARKS or unicodedata.category(char).startswith("M") for char in value
    )


# An HTML tag as someone types it: "<b>", "</p>", "<br/>", "<a href=...>"; not "a < b" or "<3".
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")


def without_html_tags(value: str) -> str:
    """The text with the HTML tags someone typed into it left out ("<b>", "<img …>"); "a < b", Markdown's
    autolinks ("<info@denhaag.nl>", "<https://…>") and the words between tags stay."""
    return _HTML_TAG.sub("", value)


# Staff answers go to the resident as plain-text mail, where HTML would show as code.
PLAIN_TEXT_ONLY = "Schrijf het antwoord als gewone tekst, zonder HTML-codes zoals <b> of <br>."


def has_html_tag(value: str) -> bool:
    """Whether a text meant as plain text (a mail to a resident) holds HTML, which would show literally."""
    return _HTML_TAG.search(value) is not None


# A spreadsheet program reads a cell that starts with one of these as a formula ("=HYPERLINK(…)").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A text for a CSV cell that a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def normalise_text(value: str) -> str:
    """Return ``value`` in NFC with clean newlines, no control characters, trimmed."""
    value = unicodedata.normalize("NFC", value)
    # Newlines first: a lone "\r" is a control character and would otherwise vanish.
    value = _NEWLINES.sub("\n", value)
    return value.translate(_TRANSLATION).strip()


def collapse_whitespace(value: str) -> str:
    """Normalise ``value`` into a single line, for titles and names."""
    return " ".join(normalise_text(value).split())


def truncate(value: str, limit: int) -> str:
    """Shorten ``value`` to at most ``limit`` characters, ending in an ellipsis when cut."""
    if len(value) <= limit:
        return value
    if limit <= 0:
        return ""
    room = limit - len(_ELLIPSIS)
    head = value[:room]
    # Only back off to a word boundary when the cut falls inside a word.
    if not value[room].isspace():
        boundary = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t"))
        if boundary > 0:
            head = head[:boundary]
    return head.rstrip().rstrip(",;:").rstrip() + _ELLIPSIS


_WORDS = re.compile(r"\S+\s*|\s+")  # a word with the spacing after it
DiffPart = tuple[Literal["same", "removed", "added"], str]


def word_diff(old: str, new: str) -> list[DiffPart]:
    """`new` as a change of `old`, word by word: what stays, what goes, what comes. Words are compared without
    the spacing after them, so a sentence continued after its last word keeps that word; what stays is given
    as `new` spaces it."""
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    matcher = SequenceMatcher(None, [w.rstrip() for w in before], [w.rstrip() for w in after], autojunk=False)
    parts: list[DiffPart] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("same", "".join(after[b1:b2])))
            continue
        if a2 > a1:
            parts.append(("removed", "".join(before[a1:a2])))
        if b2 > b1:
            parts.append(("added", "".join(after[b1:b2])))
    return parts


# A closing a person wrote under a mail ("Met vriendelijke groet, Dirk"), on one of its last lines.
_SIGN_OFF = re.compile(
    r"^\W*((met )?(vriendelijke|hartelijke|beste|warme|goede) groet(en)?|groet(en|jes)?|mvg|m\.v\.g\.?|hoogachtend)\b",
    re.IGNORECASE,
)


def ends_with_sign_off(text: str) -> bool:
    """Whether the text closes with a greeting of its own, so a mail around it should not add a second one."""
    # The closing, then a name, a department, an organisation and a phone number at most.
    last_lines = [line for line in text.strip().splitlines() if line.strip()][-5:]
    return any(_SIGN_OFF.match(line.strip()) for line in last_lines)


def render_markdown(text: str) -> str:
    """Render Markdown to HTML that is safe to output without further escaping."""
    raw = markdown.markdown(text, extensions=["sane_lists"])
    # Markdown passes raw HTML through, so the sanitiser is the security boundary.
    cleaned: str = nh3.clean(
        raw,
        tags=set(_ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in _ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(_ALLOWED_SCHEMES),
        link_rel=_LINK_REL,
    )
    return cleaned.strip()


# A Markdown link's target with its scheme: "[tekst](javascript:...)", or a reference's "[1]: tel:14070".
_LINK_SCHEME = re.compile(
    r"(?:\]\(\s*<?|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?)([A-Za-z][A-Za-z0-9+.-]*):", re.MULTILINE
)
MARKDOWN_ONLY = (
    "Gebruik geen HTML-code zoals <b> of <img>: de website laat die weg. Schrijf opmaak in Markdown, "
    "bijvoorbeeld **vet** of [tekst van de link](https://www.voorbeeld.nl)."
)


def markdown_problem(text: str) -> str:
    """What an editor must hear about a Markdown text the pages would show otherwise than typed (raw HTML, a
    link the sanitiser drops); empty when there is nothing."""
    if has_html_tag(text):
        return MARKDOWN_ONLY
    schemes = {scheme.lower() for scheme in _LINK_SCHEME.findall(text)} - set(_ALLOWED_SCHEMES)
    if schemes:
        allowed = ", ".join(f"{scheme}:" for scheme in sorted(_ALLOWED_SCHEMES))
        return f"Een link begint met een van deze: {allowed} (niet {', '.join(sorted(schemes))}:)."
    return ""


# Where rendered Markdown ends a line (a line break, a list item) or a paragraph.
_LINE_ENDS = re.compile(r"(<br ?/?>|</li>)\n?", re.IGNORECASE)
_PARAGRAPH_ENDS = re.compile(r"</(p|h[1-6]|blockquote|pre|ul|ol)>\n?", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")


def markdown_to_text(text: str) -> str:
    """Return the visible text of Markdown with its lines and paragraphs, for text read as a letter (a mail)."""
    rendered = _PARAGRAPH_ENDS.sub("\n\n", _LINE_ENDS.sub("\n", render_markdown(text)))
    stripped: str = nh3.clean(rendered, tags=set())
    lines = (collapse_whitespace(line) for line in html.unescape(stripped).splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def html_to_markdown(source: str) -> str:
    """Convert feed HTML (Rijksoverheid answers, product pages) into plain Markdown."""
    converter = _MarkdownConverter()
    converter.feed(normalise_text(source))
    return converter.result()


# --- HTML to Markdown -------------------------------------------------------

# Dropped together with their content. "embed" is a void element, so ignoring
# the tag itself already drops it.
_DROPPED = frozenset({"script", "style", "iframe", "object", "template", "noscript", "svg", "head"})
_BLOCKS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "nav",
        "blockquote", "figure", "figcaption", "address", "dl", "dt", "dd", "details",
        "summary", "hr", "pre", "form", "fieldset", "body", "html",
    }
)  # fmt: skip
_HEADINGS = {"h1": "## ", "h2": "## ", "h3": "### ", "h4": "### ", "h5": "### ", "h6": "### "}
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*"}
_CELLS = frozenset({"td", "th"})
_STRUCTURE = _BLOCKS | _HEADINGS.keys() | {"ul", "ol", "li"}
# Python-Markdown only nests a list that is indented by four spaces.
_INDENT = "    "
_HARD_BREAK = "  "
# "<" followed by something tag-like would become raw HTML in Markdown.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_URL_ESCAPES = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", '"': "%22"})


@dataclass
class _Inline:
    """An open inline element whose text starts at ``start`` in the buffer."""

    tag: str
    start: int
    marker: str = ""
    href: str | None = None


@dataclass
class _List:
    ordered: bool
    depth: int
    counter: int = 0
    prefix: str = ""
    has_text: bool = False
    # Number of output lines right after this item's last text.
    end: int = -1


def _safe_href(value: str | None) -> str | None:
    """Return a Markdown-ready link target, or None for relative or unsafe links."""
    if not value:
        return None
    # Browsers ignore tabs and newlines inside URLs, so "java\nscript:" is javascript:.
    href = re.sub(r"[\t\n\r]", "", value).strip()
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    if scheme not in _ALLOWED_SCHEMES:
        return None
    return href.translate(_URL_ESCAPES)


def _paragraphs(text: str) -> list[list[str]]:
    """Split buffered text into paragraphs of non-empty, whitespace-collapsed lines."""
    groups: list[list[str]] = [[]]
    for raw_line in text.split("\n"):
        line = " ".join(raw_line.split())
        if line:
            groups[-1].append(line)
        elif groups[-1]:
            # Two line breaks in a row read as a paragraph break.
            groups.append([])
    return [group for group in groups if group]


def _wrap(content: str, before: str, after: str) -> str:
    """Put markers around the text of ``content`` while leaving its outer spaces outside."""
    inner = content.strip()
    if not inner:
        return content
    lead = content[: len(content) - len(content.lstrip())]
    trail = content[len(content.rstrip()) :]
    return f"{lead}{before}{inner}{after}{trail}"


class _MarkdownConverter(HTMLParser):
    """Streams HTML into Markdown lines; block tags flush the inline buffer."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._buffer: list[str] = []
        self._inline: list[_Inline] = []
        self._lists: list[_List] = []
        self._lines: list[str] = []
        self._dropping = 0
        self._tables = 0
        self._row_start = 0
        self._row_cells = 0
        self._heading: str | None = None

    # -- parser callbacks --

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self._dropping += 1
        elif self._dropping:
            return
        elif tag == "br":
            self._buffer.append("\n")
        elif tag in _EMPHASIS or tag == "a":
            self._open_inline(tag, dict(attrs).get("href"))
        elif self._tables:
            self._table_start(tag)
        elif tag == "table":
            self._flush()
            self._tables = 1
            self._row_start = self._row_cells = 0
        elif tag in ("ul", "ol"):
            self._list_start(tag == "ol", dict(attrs).get("start"))
        elif tag == "li":
            self._item_start()
        elif tag in _HEADINGS:
            self._flush()
            self._heading = _HEADINGS[tag]
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self._dropping = max(self._dropping - 1, 0)
        elif self._dropping:
            return
        elif tag in _EMPHASIS or tag == "a":
            self._close_inline(tag)
        elif self._tables:
            self._table_end(tag)
        elif tag in ("ul", "ol"):
            self._list_end()
        elif tag == "li" or tag in _BLOCKS:
            self._flush()
        elif tag in _HEADINGS:
            self._flush()
            self._heading = None

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self._buffer.append(_TAG_START.sub("&lt;", _WHITESPACE.sub(" ", data)))

    def result(self) -> str:
        self.close()
        while self._inline:
            self._close_top()
        self._flush()
        # Character references can still produce stray control characters.
        return normalise_text("\n".join(self._lines))

    # -- inline elements --

    def _open_inline(self, tag: str, href: str | None) -> None:
        marker = _EMPHASIS.get(tag, "")
        # Bold inside bold would print "****"; the outer markers already apply.
        if any(frame.marker == marker for frame in self._inline):
            marker = ""
        self._inline.append(_Inline(tag, len(self._buffer), marker, _safe_href(href)))

    def _close_inline(self, tag: str) -> None:
        kind = _EMPHASIS.get(tag, tag)
        if not any(_EMPHASIS.get(frame.tag, frame.tag) == kind for frame in self._inline):
            return
        # Misnested markup closes whatever was opened inside the element.
        while _EMPHASIS.get(self._inline[-1].tag, self._inline[-1].tag) != kind:
            self._close_top()
        self._close_top()

    def _close_top(self) -> None:
        frame = self._inline.pop()
        start = min(frame.start, len(self._buffer))
        content = "".join(self._buffer[start:])
        del self._buffer[start:]
        if frame.tag == "a":
            text = content.replace("[", "\\[").replace("]", "\\]")
            content = _wrap(text, "[", f"]({frame.href})") if frame.href else content
        else:
            content = _wrap(content, frame.marker, frame.marker)
        self._buffer.append(content)

    # -- lists --

    def _list_start(self, ordered: bool, start: str | None) -> None:
        self._flush()
        if not self._lists:
            self._blank()
        parent = self._lists[-1] if self._lists else None
        # Indenting under an item without text would turn into a code block.
        depth = parent.depth + 1 if parent and parent.has_text else parent.depth if parent else 1
        first = int(start) if start and start.strip().isdigit() else 1
        self._lists.append(_List(ordered, depth, first - 1, _INDENT * (depth - 1)))

    def _list_end(self) -> None:
        self._flush()
        if self._lists:
            self._lists.pop()
        if not self._lists:
            self._blank()

    def _item_start(self) -> None:
        self._flush()
        if not self._lists:
            # A stray <li> still reads best as a bullet.
            self._list_start(False, None)
        current = self._lists[-1]
        current.counter += 1
        current.has_text = False
        marker = f"{current.counter}. " if current.ordered else "- "
        current.prefix = _INDENT * (current.depth - 1) + marker

    # -- tables: each row becomes one line, cells joined by " | " --

    def _table_start(self, tag: str) -> None:
        if tag == "table":
            self._tables += 1
        elif tag == "tr":
            self._row_start, self._row_cells = len(self._buffer), 0
        elif tag in _CELLS:
            if self._row_cells:
                self._buffer.append(" | ")
            self._row_cells += 1
        elif tag in _STRUCTURE:
            # Blocks inside a cell must not split the row over several lines.
            self._buffer.append(" ")

    def _table_end(self, tag: str) -> None:
        if tag == "table":
            self._tables -= 1
            if not self._tables:
                self._flush()
        elif tag == "tr":
            start = min(self._row_start, len(self._buffer))
            if "".join(self._buffer[start:]).replace("|", "").strip():
                self._buffer.append("\n")
            else:
                del self._buffer[start:]
        elif tag == "caption":
            self._buffer.append("\n")
        elif tag in _STRUCTURE or tag in _CELLS:
            self._buffer.append(" ")

    # -- output --

    def _blank(self) -> None:
        if self._lines and self._lines[-1]:
            self._lines.append("")

    def _flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer.clear()
        # Text already written out can no longer be wrapped by open inline elements.
        for frame in self._inline:
            frame.start = 0
        self._row_start = 0
        paragraphs = _paragraphs(text)
        if not paragraphs:
            return
        if self._lists:
            self._emit_item([line for group in paragraphs for line in group])
        elif self._heading:
            self._blank()
            self._lines.append(self._heading + " ".join(" ".join(group) for group in paragraphs))
            self._blank()
        else:
            for group in paragraphs:
                self._blank()
                self._lines.extend(self._hard_breaks(group, ""))
                self._blank()

    def _emit_item(self, lines: list[str]) -> None:
        current = self._lists[-1]
        continuation = " " * len(current.prefix)
        if current.has_text and current.end == len(self._lines):
            # A second block in the same item starts on a new visible line.
            self._lines[-1] += _HARD_BREAK
        first, *rest = self._hard_breaks(lines, continuation)
        self._lines.append(current.prefix + first.lstrip())
        self._lines.extend(rest)
        # Later blocks in the same item continue it instead of starting a new one.
        current.prefix = continuation
        current.has_text = True
        current.end = len(self._lines)

    @staticmethod
    def _hard_breaks(lines: list[str], indent: str) -> list[str]:
        last = len(lines) - 1
        return [indent + line + (_HARD_BREAK if index < last else "") for index, line in enumerate(lines)]
