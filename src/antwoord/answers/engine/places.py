"""Places: a resolved municipality with the organisations serving it, and the names people call it by.

"paspoort aanvragen in zwolle" needs no postcode. A name in the question counts as the place when it is no
everyday word, or when "gemeente" or "ik woon in" comes right before it: "buren", "best" and "huizen" are
words as well as municipalities, and the catalogue shows which ones, for its texts write them in lower case.
A wrong place is worse than asking (the answer would be another municipality's page), so a question that
names two municipalities, or a province, names no place.
"""

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .analysis import fold

LOCAL_LAYERS = ("gemeente", "provincie", "waterschap")
# A name is an everyday word when the texts write it in lower case this often (in at least EVERYDAY_DOCUMENTS
# documents and in this share of the documents that use it at all): "buren" 269 of about 330, "groningen" 6
# of about 400 (sloppy writing, not a word).
EVERYDAY_DOCUMENTS = 3
EVERYDAY_SHARE = 0.1
# Words right before a name that make it a place for certain, everyday word or not.
SURE_CUES = (("gemeente",), ("woon", "in"), ("woont", "in"), ("wonen", "in"), ("woonachtig", "in"))
NOT_MUNICIPALITY = frozenset({"provincie", "regio"})  # "provincie utrecht" is not the municipality
_NAME_TOKEN = re.compile(r"[a-z0-9]+")
# A word in lower case that is not part of a web or e-mail address ("www.zwolle.nl", "info@ede.nl").
_LOWER_WORD = re.compile(r"(?<![\w./@-])[a-z]+(?![\w@/-]|\.\w)")


@dataclass(frozen=True)
class Place:
    """A resolved place: the municipality and the local partitions (its own, province, water boards)."""

    municipality_code: str
    municipality_name: str
    # layer -> [(organisation code, organisation name)], e.g. {"gemeente": [("gm0518", "Den Haag")]}
    organisations: dict[str, list[tuple[str, str]]]

    @property
    def partitions(self) -> list[str]:
        return [code for layer in LOCAL_LAYERS for code, _ in self.organisations.get(layer, [])]


@dataclass(frozen=True)
class NamedPlace:
    place: Place
    name: str  # the name the question used, as registered: "Delfzijl" (now Eemsdelta), "Den Bosch"


def name_tokens(text: str) -> tuple[str, ...]:
    """ "'s-Hertogenbosch" -> ("s", "hertogenbosch"); "Súdwest-Fryslân" -> ("sudwest", "fryslan")."""
    return tuple(_NAME_TOKEN.findall(fold(text)))


class PlaceNames:
    """Every name a municipality goes by (its own, its official one, former municipalities, aliases)."""

    def __init__(
        self,
        names: Iterable[tuple[str, Place]],
        documents: Iterable[Iterable[str]],
        vocabulary: Mapping[str, int],
    ) -> None:
        """`documents`: each document's prose (its texts written as sentences); `vocabulary`: how many documents
        use each (folded) word."""
        places: dict[tuple[str, ...], dict[str, NamedPlace]] = {}
        for name, place in names:
            tokens = name_tokens(name)
            if tokens:
                places.setdefault(tokens, {})[place.municipality_code] = NamedPlace(place, name)
        # A name two municipalities share ("Bergen") names neither.
        self.places = {tokens: next(iter(p.values())) for tokens, p in places.items() if len(p) == 1}
        self.longest = max(map(len, self.places), default=0)
        self.name_words = frozenset(token for tokens in self.places for token in tokens)
        self.everyday = _everyday_words({t[0] for t in self.places if len(t) == 1}, documents, vocabulary)

    def named_in(self, question: str) -> NamedPlace | None:
        tokens = name_tokens(question)
        found: dict[str, NamedPlace] = {}
        position = 0
        while position < len(tokens):
            match = self._name_at(tokens, position)
            if match is None:
                position += 1
                continue
            if position and tokens[position - 1] in NOT_MUNICIPALITY:
                return None
            if match not in self.everyday or _sure_cue_before(tokens, position):
                named = self.places[match]
                found[named.place.municipality_code] = named
            position += len(match)
        return next(iter(found.values())) if len(found) == 1 else None

    def _name_at(self, tokens: tuple[str, ...], position: int) -> tuple[str, ...] | None:
        for length in range(min(self.longest, len(tokens) - position), 0, -1):
            candidate = tokens[position : position + length]
            if candidate in self.places:
                return candidate
        return None


def _sure_cue_before(tokens: tuple[str, ...], position: int) -> bool:
    return any(tokens[max(0, position - len(cue)) : position] == cue for cue in SURE_CUES)


def _everyday_words(
    candidates: set[str], documents: Iterable[Iterable[str]], vocabulary: Mapping[str, int]
) -> frozenset[tuple[str, ...]]:
    """The one-word names the texts also use as ordinary words, in lower case."""
    lower: Counter[str] = Counter()
    for texts in documents:
        lower.update({w for text in texts for w in _LOWER_WORD.findall(text) if w in candidates})
    return frozenset(
        (word,)
        for word, count in lower.items()
        if count >= EVERYDAY_DOCUMENTS and count >= EVERYDAY_SHARE * vocabulary.get(word, count)
    )
