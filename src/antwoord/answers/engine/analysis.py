"""Dutch text analysis, written once and used for both indexing and querying.

normalise -> tokens -> stopwords out -> compounds split (the whole word is kept) -> Snowball stem.
Queries additionally get typo correction against the corpus vocabulary and synonym expansion.
"""

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

# dutch_porter gives the same stems as PostgreSQL's 'dutch' configuration; pinned on purpose.
STEMMER_ALGORITHM = "dutch_porter"
MIN_PART = 4  # shortest part a compound is split into
MIN_COMPOUND = 8  # shortest word that is tried as a compound
# A common word splits only into parts that are, on geometric average, at least this share as common: a
# compound is rarely much more common than its parts, a fragment of one broken page ("gebo" in geboorte) is.
MIN_PART_SHARE = 0.05
PART_WEIGHT = 0.6  # a compound's parts count less than the whole word in a query
SYNONYM_WEIGHT = 0.8
TYPO_WEIGHT = 0.8
FORM_WEIGHT = 0.8

STOPWORDS = frozenset(
    [
        "aan",
        "al",
        "alle",
        "alleen",
        "als",
        "alsjeblieft",
        "altijd",
        "andere",
        "ben",
        "bent",
        "ben",
        "bij",
        "dan",
        "dat",
        "de",
        "deze",
        "die",
        "dit",
        "doe",
        "doen",
        "door",
        "dus",
        "een",
        "eens",
        "eh",
        "en",
        "er",
        "even",
        "ga",
        "gaan",
        "gaat",
        "geen",
        "had",
        "heb",
        "hebben",
        "hebt",
        "heeft",
        "hem",
        "hen",
        "het",
        "hier",
        "hij",
        "hoe",
        "hoeveel",
        "hun",
        "ik",
        "in",
        "is",
        "ja",
        "je",
        "jij",
        "jou",
        "jouw",
        "kan",
        "kun",
        "kunnen",
        "kunt",
        "maar",
        "me",
        "meer",
        "mee",
        "men",
        "met",
        "mij",
        "mijn",
        "moet",
        "moeten",
        "mogen",
        "na",
        "naar",
        "niet",
        "nog",
        "nou",
        "nu",
        "of",
        "om",
        "omdat",
        "ons",
        "onze",
        "ook",
        "op",
        "over",
        "per",
        "te",
        "tot",
        "u",
        "uit",
        "uw",
        "van",
        "veel",
        "voor",
        "waar",
        "waarom",
        "wanneer",
        "wat",
        "we",
        "welk",
        "welke",
        "wie",
        "wij",
        "wil",
        "willen",
        "wilt",
        "word",
        "worden",
        "wordt",
        "zal",
        "ze",
        "zelf",
        "zich",
        "zij",
        "zijn",
        "zo",
        "zou",
        "zouden",
        "graag",
        "dag",
        "hallo",
        "hoi",
        "goedemorgen",
        "goedemiddag",
        "vraag",
        "weten",
    ]
)

# Separable verbs split in a sentence ("ik vraag een paspoort aan" = aanvragen): verb forms -> infinitive.
_VERB_FORMS = {
    "vragen": "vraag vraagt vragen vroeg vroegen",
    "geven": "geef geeft geven gaf gaven",
    "zeggen": "zeg zegt zeggen zei",
    "melden": "meld meldt melden meldde",
    "halen": "haal haalt halen haalde",
    "schrijven": "schrijf schrijft schrijven schreef",
    "betalen": "betaal betaalt betalen betaalde",
    "vullen": "vul vult vullen vulde",
    "dienen": "dien dient dienen diende",
    "leveren": "lever levert leveren leverde",
    "sluiten": "sluit sluiten sloot",
    "nemen": "neem neemt nemen nam",
    "passen": "pas past passen paste",
}
_INFINITIVE_OF = {form: infinitive for infinitive, forms in _VERB_FORMS.items() for form in forms.split()}
_PARTICLES = frozenset(["aan", "op", "af", "in", "uit", "door", "terug", "mee", "toe"])
SEPARABLE_WINDOW = 8  # words between the verb and its particle
COMMON_PARTICIPLE = 100  # documents: a participle this common is a word of its own (gezond, bericht)

_DOUBLE_VOWEL_END = re.compile(r"([aeou])\1([^aeiou])$")
# A diminutive: -(e)tje(s), -pje(s) or -je(s) after at least three letters of the noun.
_DIMINUTIVE = re.compile(r"^([a-z]{3,}?)(?:etje|tje|pje|je)s?$")
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
MIN_TYPO_TARGET_DOCUMENTS = 2  # a word in only one document is too often a typo itself
_stemmer = Stemmer.Stemmer(STEMMER_ALGORITHM)


def fold(text: str) -> str:
    """Lower case without accents: 'Één ID-kaart' -> 'een id-kaart'."""
    lowered = text.casefold()
    if lowered.isascii():
        return lowered
    return _COMBINING.sub("", unicodedata.normalize("NFKD", lowered))


def words(text: str) -> list[str]:
    """Surface words; a hyphenated word gives its joined form and its parts: id-kaart -> idkaart id kaart."""
    result: list[str] = []
    for token in _TOKEN.findall(fold(text)):
        if "-" in token:
            parts = token.split("-")
            result.append("".join(parts))
            result.extend(p for p in parts if p)
        else:
            result.append(token)
    return result


def separable_verbs(tokens: list[str]) -> list[str]:
    """'vraag', ..., 'aan' -> 'aanvragen'. Particles are searched after the verb, within a few words."""
    found = []
    for position, token in enumerate(tokens):
        infinitive = _INFINITIVE_OF.get(token)
        if infinitive:
            for particle in tokens[position + 1 : position + 1 + SEPARABLE_WINDOW]:
                if particle in _PARTICLES:
                    found.append(particle + infinitive)
                    break
    return found


def without_diminutive(word: str) -> str:
    """tuintje -> tuin, volkstuintjes -> volkstuin, huisje -> huis, boompje -> boom, balletje -> ball (the stem
    undoes the doubled consonant). Snowball leaves diminutives whole, so a resident's 'moestuintje' never met
    the catalogue's 'tuin'."""
    match = _DIMINUTIVE.match(word)
    return match.group(1) if match else word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of the word without its diminutive, with the z/s and v/f alternations folded (rijbewijzen
    -> rijbewijs, brieven -> brief) and a doubled final consonant undone (bussen -> bus, zwemmen -> zwem):
    Dutch never ends a stem with one."""
    if word.isdigit():
        return word
    stemmed: str = _stemmer.stemWord(without_diminutive(word))
    if len(stemmed) > 3 and stemmed[-1] == stemmed[-2] and stemmed[-1] not in "aeiou":
        stemmed = stemmed[:-1]
    if stemmed.endswith("z"):
        stemmed = stemmed[:-1] + "s"
    elif stemmed.endswith("v"):
        stemmed = stemmed[:-1] + "f"
    return stemmed


def _infinitive(verb_stem: str) -> str:
    """A verb stem that starts a compound, as its infinitive: parkeer(vergunning) -> parkeren."""
    return _DOUBLE_VOWEL_END.sub(r"\1\2", verb_stem) + "en"


def _infinitives(verb_stem: str) -> list[str]:
    """The infinitives a verb stem may have: vraag -> vragen, stop -> stoppen, verhuis -> verhuizen."""
    alternated = {"s": "z", "f": "v"}.get(verb_stem[-1])
    return [
        _infinitive(verb_stem),
        verb_stem + verb_stem[-1] + "en",
        *([_infinitive(verb_stem[:-1] + alternated)] if alternated else []),
    ]


def osa_distance(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of neighbours as one edit; stops early above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True)
class QueryTerm:
    term: str  # the analysed (stemmed) term looked up in the index
    weight: float
    word: str  # the word the person typed
    # "exact", "form" (of a verb), "part" (of a compound), "apart" (one of two words the person wrote apart that
    # the corpus writes as one compound: "rijbewijs verlengen"), "synonym" or "typo"
    how: str


class Analyzer:
    """Knows the corpus vocabulary (for compounds and typos) and the synonyms table."""

    def __init__(
        self, vocabulary: Mapping[str, int], synonyms: Mapping[str, Iterable[str]] | None = None
    ) -> None:
        self.vocabulary = dict(vocabulary)  # surface word -> number of documents
        self.stems = {stem(w) for w in self.vocabulary if len(w) >= MIN_PART}
        self.synonyms = {
            self._key(term): [self._key(other) for other in others]
            for term, others in (synonyms or {}).items()
        }
        self._parts: dict[str, list[str]] = {}
        self._deletions = self._deletion_index()

    def _deletion_index(self) -> dict[str, list[str]]:
        """Every typo target with one letter left out, to find candidates within two edits quickly."""
        deletions: dict[str, list[str]] = {}
        for word, documents in self.vocabulary.items():
            if documents >= MIN_TYPO_TARGET_DOCUMENTS and len(word) >= 4 and not word.isdigit():
                for deleted in _deletes(word):
                    deletions.setdefault(deleted, []).append(word)
        return deletions

    def __getstate__(self) -> dict[str, object]:
        # The deletion index is large and quick to derive: rebuild it on load instead of storing it.
        return {k: v for k, v in self.__dict__.items() if k not in ("_deletions", "_parts")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._parts = {}
        self._deletions = self._deletion_index()

    @staticmethod
    def _key(phrase: str) -> str:
        """'ID-kaart' -> 'idkaart': a synonym is matched on the joined form of each word."""
        joined = _TOKEN.findall(fold(phrase).replace("-", ""))
        return " ".join(stem(w) for w in joined if w not in STOPWORDS)

    def compound_parts(self, word: str) -> list[str]:
        """afvalcontainer -> [afval, container]; [] when the word is no known compound."""
        if len(word) < MIN_COMPOUND or word.isdigit():
            return []
        if word not in self._parts:
            self._parts[word] = self._split(word)
        return self._parts[word]

    def _split(self, word: str) -> list[str]:
        """The split whose sides are the most common corpus words (geometric mean of their document counts);
        the tail may be a compound itself. An ending is never a part (vergun|ning: "vergun" is no word), and
        the rare garbled word of a scraped page (hondenbel|asting) loses to honden|belasting."""
        best: tuple[float, list[str]] = (0.0, [])
        for split in range(MIN_PART, len(word) - MIN_PART + 1):
            head, tail = word[:split], word[split:]
            heads = [head, head[:-1]] if head.endswith("s") and len(head) > MIN_PART else [head]
            known = [h for h in [*heads, _infinitive(head)] if h in self.vocabulary]
            head_word = max(known, key=self.vocabulary.__getitem__, default=None)
            tail_words = [tail] if tail in self.vocabulary else self.compound_parts(tail)
            if head_word is None or not tail_words:
                continue
            count = min(self.vocabulary[w] for w in tail_words)
            score = math.sqrt(self.vocabulary[head_word] * count)
            if score > best[0]:
                best = (score, [head_word, *(self.compound_parts(tail) or tail_words)])
        return best[1] if best[0] >= self.vocabulary.get(word, 0) * MIN_PART_SHARE else []

    def document_terms(self, text: str) -> list[str]:
        """Index terms: every word's stem, plus the stems of a compound's parts."""
        terms: list[str] = []
        tokens = words(text)
        for word in tokens:
            if word in STOPWORDS:
                continue
            terms.append(stem(word))
            terms.extend(stem(part) for part in self.compound_parts(word))
        terms.extend(stem(verb) for verb in separable_verbs(tokens))
        return terms

    def correct(self, word: str) -> str | None:
        """The most common corpus word within one edit (two for long words), if `word` is unknown."""
        if word in self.vocabulary or len(word) < 4 or word.isdigit():
            return None
        limit = 1 if len(word) < 7 else 2
        candidates = set(self._deletions.get(word, []))
        for deleted in _deletes(word):
            if self.vocabulary.get(deleted, 0) >= MIN_TYPO_TARGET_DOCUMENTS:
                candidates.add(deleted)
            candidates.update(self._deletions.get(deleted, []))
        best = self._closest(word, candidates, limit)
        if best is None and limit == 2:
            best = self._closest(word, self._missing_letter_candidates(word), limit)
        return best

    def _closest(self, word: str, candidates: Iterable[str], limit: int) -> str | None:
        scored = [(osa_distance(word, c, limit), -self.vocabulary[c], c) for c in candidates]
        best = min((s for s in scored if s[0] <= limit), default=None)
        return best[2] if best else None

    def _missing_letter_candidates(self, word: str) -> set[str]:
        """Typo targets two edits away of which one is a double letter written single ("paspord": paspoort
        with one o, and d for t), which one deletion on each side cannot find: each letter doubled, then one
        deletion on each side (a few hundred lookups; any letter left out anywhere would take thousands)."""
        candidates: set[str] = set()
        for position, letter in enumerate(word):
            doubled = word[:position] + letter + word[position:]
            for deleted in _deletes(doubled):
                candidates.update(self._deletions.get(deleted, []))
        return candidates

    def verb_form(self, word: str) -> str | None:
        """A rare past participle or a verb form in -t as the stem of its verb: aangevraagd -> aanvragen,
        gestopt -> stoppen, gebruikt -> gebruiken, mishandeld -> mishandel(ing). Of the possible verbs the one
        the corpus uses most wins; weak verbs only."""
        if len(word) < 6 or word[-1] not in "dt" or self.vocabulary.get(word, 0) >= COMMON_PARTICIPLE:
            return None
        bodies = [word[:-1]]
        for particle in ("", *_PARTICLES):
            if word.startswith(particle + "ge"):
                body = particle + word[len(particle) + 2 :]
                bodies += [body, body[:-1]]
                break
        bodies = [body for body in bodies if len(body) >= MIN_PART]
        verbs = [verb for body in bodies for verb in _infinitives(body)]
        best = max(verbs, key=lambda verb: self.vocabulary.get(verb, 0), default="")
        if self.vocabulary.get(best):
            form = stem(best)
        else:  # no infinitive in the corpus, but maybe the stem (mishandel in mishandeling)
            form = next((stem(body) for body in bodies if stem(body) in self.stems), "")
        return form if form and form != stem(word) else None

    def joined(self, tokens: list[str]) -> tuple[list[str], dict[str, list[str]]]:
        """A compound written as two words ("id kaart", "minimum loon", "digi d") becomes the joined word
        when the corpus uses it; the two words stay as its parts. Returns the words and those parts."""
        result: list[str] = []
        parts: dict[str, list[str]] = {}
        position = 0
        while position < len(tokens):
            pair = tokens[position : position + 2]
            compound = "".join(pair)
            if (
                len(pair) == 2
                and not set(pair) & STOPWORDS
                and not any(w.isdigit() for w in pair)
                and self.vocabulary.get(compound, 0) >= MIN_TYPO_TARGET_DOCUMENTS
            ):
                result.append(compound)
                parts[compound] = pair
                position += 2
            else:
                result.append(tokens[position])
                position += 1
        return result, parts

    def query_terms(self, text: str) -> list[QueryTerm]:
        result: dict[str, QueryTerm] = {}

        def add(term: str, weight: float, word: str, how: str) -> None:
            if term not in result or result[term].weight < weight:
                result[term] = QueryTerm(term, weight, word, how)

        tokens = words(text)
        for verb in separable_verbs(tokens):
            add(stem(verb), 1.0, verb, "exact")
        tokens, split = self.joined(tokens)
        for word in tokens:
            if word in STOPWORDS:
                continue
            parts = split.get(word) or self.compound_parts(word)
            # A word the synonyms table knows was meant as typed ("baas"), even if no text uses it.
            known = (
                word in self.vocabulary
                or stem(word) in self.stems
                or stem(word) in self.synonyms
                or bool(parts)
            )
            corrected = None if known else self.correct(word)
            base = corrected or word
            weight = TYPO_WEIGHT if corrected else 1.0
            add(stem(base), weight, word, "typo" if corrected else "exact")
            form = self.verb_form(base)
            if form:
                add(form, weight * FORM_WEIGHT, word, "form")
            for part in parts if not corrected else self.compound_parts(base):
                add(stem(part), weight * PART_WEIGHT, word, "apart" if word in split else "part")
            for synonym in self.synonyms.get(stem(base), []):
                for term in synonym.split():
                    add(term, weight * SYNONYM_WEIGHT, word, "synonym")
        return list(result.values())
