"""From hits to a decision: answered, clarify (place needed, or two close candidates) or handover."""

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from .analysis import STOPWORDS, QueryTerm, fold, words
from .cues import ASKS, COMPLAINT, LOCAL_SPECIFICS, MUNICIPAL, OWN_CASE, TITLE_SPEAKS
from .index import NATIONAL, PRODUCTS, Hit, SearchIndex
from .learning import Vote, boosts, signature
from .places import LOCAL_LAYERS, NamedPlace, Place
from .rerank import DEFAULT_WEIGHTS, Asked, candidate_features, coverage, rerank
from .routing import agency_for

MAX_QUESTION_LENGTH = 500
LOCAL_BOOST = 1.15  # with a known place, its own texts win from equally good national ones
TEXT_CANDIDATES = 20  # texts (articles, offerings) searched per question
PRODUCT_CANDIDATES = 5  # products searched per question, to see whether the answer depends on the place
# A place-dependent product is what the question is about only when it matches nearly as well as the best
# product: "hoe vraag ik een europese ziekteverzekeringskaart aan" is about that card, not a municipality's
# collective health insurance further down.
TOPIC_SHARE = 0.7


@dataclass(frozen=True)
class Calibration:
    """Logistic confidence over the features below; it is fitted, and its threshold chosen, on the
    development questions (bench/questions/dev.jsonl) by `make calibrate`."""

    # Defaults for tests and a missing calibration.json: the features after the first six weigh nothing.
    weights: tuple[float, ...] = (3.0, 2.0, 1.0, 2.0, -3.0, 0.0, *(0.0,) * 9)
    bias: float = -4.0
    threshold: float = 0.5
    # The re-ranker's preference for a runner-up above which two candidates are "close".
    ambiguity: float = 0.9
    # A place-dependent product scoring this share of the best text answer means: ask for the place.
    place_margin: float = 1.0
    # The same, lower, margin when no text answer is good enough: ask for the place instead of handing over.
    uncertain_place_margin: float = 0.5
    # Ask for the place only when the texts on the product speak of at least this share of the question
    # (Engine._topic_fit): "wat kost een liter diesel" is not a question about the low-emission zone.
    topic_fit: float = 0.0
    # The re-ranker's weights over rerank.FEATURE_NAMES (the default keeps the BM25 order).
    rerank_weights: tuple[float, ...] = DEFAULT_WEIGHTS

    def confidence(self, features: tuple[float, ...]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1 / (1 + math.exp(-z))


@dataclass
class Answer:
    key: str  # the engine's document key, used to give feedback on this answer
    kind: str
    source_id: str
    upl_uri: str
    title: str
    organisation: dict[str, str]
    url: str = ""
    snippet: str = ""
    score: float = 0.0
    matched_terms: list[str] = field(default_factory=list)
    last_revision: str = ""


@dataclass
class Response:
    status: str  # answered | clarify | handover
    confidence: float
    message: str
    answer: Answer | None = None
    alternatives: list[Answer] = field(default_factory=list)
    handover_to: dict[str, str] | None = None
    clarify: dict[str, Any] | None = None
    place: dict[str, str] | None = None
    explanation: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FEATURE_NAMES = (
    "word_coverage",  # share (by idf) of the typed words the best candidate matches
    "title_coverage",  # the same for its question and alternative phrasings only
    "lead",  # 1 - the re-ranker's preference for the runner-up (the best one's is 1)
    "strength",  # best score / the score of a perfect match
    "case_status",  # the question asks after the person's own case (handed over by rule: weight 0)
    "short_question",  # 1 / number of typed words
    "complaint",  # a complaint or dispute
    "title_precision",  # share of the best candidate's title terms that the question has
    # local_gap and local_specifics carry the best place-dependent product's score relative to the best text
    # (at most 1), each only in its situation:
    "local_gap",  # the place is known, has no text of its own for the product, and the best text is not its own
    "top_local",  # the best text is the place's own (its municipality's, see Engine._answering)
    "local_specifics",  # the question asks what differs per place (cost, appointment, opening hours)
    "unknown_words",  # share of the typed words that no text in the index contains
    "whole_word_coverage",  # word_coverage where a compound counts only as one word, not by its parts
    "quantity_mismatch",  # the question asks an amount, rate, time, ...; the best text's title speaks of no kind asked
    "own_other_product",  # the best text is the place's own, on another product than the one asked about
)
Features = tuple[float, ...]
CASE_STATUS = FEATURE_NAMES.index("case_status")


@dataclass(frozen=True)
class LocalSignal:
    """What the best place-dependent product says: how well it matches, and whether the place has it."""

    ratio: float = 0.0  # product score / best text score, capped at 1; 0 without such a product
    gap: bool = False  # a place is known and none of its own texts (Engine._answering) delivers the product
    top_local: bool = False  # the best text is one of the place's own
    other_product: bool = False  # ... and it is on another UPL product than the best place-dependent one


def features(
    index: SearchIndex,
    question: str,
    terms: list[QueryTerm],
    asked: Asked,
    hits: list[Hit],
    local: LocalSignal = LocalSignal(),
) -> Features:
    if not hits:
        return tuple(0.0 for _ in FEATURE_NAMES)
    groups = asked.groups
    _, word_coverage, title_coverage, title_precision, *_ = candidate_features(
        index, asked, hits[0], hits[0].score
    )
    folded = fold(question)
    return (
        word_coverage,
        title_coverage,
        1 - hits[1].preference if len(hits) > 1 else 1.0,
        min(1.0, hits[0].score / (index.best_possible(terms) or 1.0)),
        1.0 if OWN_CASE.search(folded) else 0.0,
        1.0 / len(groups) if groups else 0.0,
        1.0 if COMPLAINT.search(folded) else 0.0,
        title_precision,
        local.ratio if local.gap and not local.top_local else 0.0,
        1.0 if local.top_local else 0.0,
        local.ratio if LOCAL_SPECIFICS.search(folded) else 0.0,
        asked.unknown_share,
        coverage(asked, {t.term for t in hits[0].matched}, whole=True),
        _quantity_mismatch(folded, fold(index.documents[hits[0].doc].payload.get("title", ""))),
        local.ratio if local.other_product else 0.0,
    )


def _quantity_mismatch(question: str, title: str) -> float:
    asked = {kind for kind, pattern in ASKS.items() if pattern.search(question)}
    return 1.0 if asked and not any(TITLE_SPEAKS[kind].search(title) for kind in asked) else 0.0


class Engine:
    def __init__(self, index: SearchIndex, calibration: Calibration | None = None) -> None:
        self.index = index
        self.calibration = calibration or Calibration()
        self._positions: dict[str, int] | None = None  # document key -> position, made on first use

    def ask(
        self,
        question: str,
        *,
        place: Place | None = None,
        audience: str = "",
        votes: Sequence[Vote] = (),
    ) -> Response:
        problem = _problem_with(question)
        if problem:
            return Response("clarify", 0.0, problem, clarify={"reason": "question"})
        place, named = self._place(question, place)
        terms = self._terms(question, place, named)
        if not terms:
            if any(len(w) > 2 and w not in STOPWORDS for w in words(question)):
                return self._handover([], place, 0.0, question)  # real words, but nothing we know about them
            return Response(
                "clarify",
                0.0,
                "Wat wilt u precies weten? Stel uw vraag in een paar woorden, bijvoorbeeld: paspoort aanvragen.",
                clarify={"reason": "question"},
            )
        hits = self._search(terms, place, audience)
        if votes:
            hits = _boosted(self.index, hits, boosts(signature(terms), votes))
        response = self._decide(question, terms, hits, place)
        response.place = (
            {"municipality": place.municipality_name, "code": place.municipality_code} if place else None
        )
        if named and response.place:
            response.place["named"] = named.name
        response.explanation = {
            "terms": [
                {"word": t.word, "term": t.term, "how": t.how, "weight": round(t.weight, 2)} for t in terms
            ],
            **response.explanation,
            "index_version": self.index.version,
        }
        return response

    def ranked(self, question: str, *, place: Place | None = None, audience: str = "") -> list[Answer]:
        """The plain ranking of text answers (articles, offerings), without a decision: for evaluation."""
        _, content = self.candidates(question, place=place, audience=audience)
        return [self._answer(h) for h in content[:10]]

    def candidates(
        self, question: str, *, place: Place | None = None, audience: str = ""
    ) -> tuple[Asked, list[Hit]]:
        """What the question asks and its candidate text answers in ranked order."""
        place, named = self._place(question, place)
        terms = self._terms(question, place, named)
        _, asked, content = self._sorted(question, terms, self._search(terms, place, audience), place)
        return asked, content

    def _place(self, question: str, place: Place | None) -> tuple[Place | None, NamedPlace | None]:
        """The given place, else the municipality the question names ("paspoort aanvragen in zwolle")."""
        named = self.index.places.named_in(question[:MAX_QUESTION_LENGTH]) if place is None else None
        return (named.place, named) if named else (place, None)

    def _terms(self, question: str, place: Place | None, named: NamedPlace | None) -> list[QueryTerm]:
        """The question's query terms, the place's own name weighed down (it says where, not what)."""
        return _without_place_names(self.index.query(question[:MAX_QUESTION_LENGTH]), place, named)

    def _sorted(
        self, question: str, terms: list[QueryTerm], hits: list[Hit], place: Place | None
    ) -> tuple[list[Hit], Asked, list[Hit]]:
        """The products, what the question asks, and the texts in the re-ranker's order (with a known place,
        the place's own offering of the best product takes that product's score)."""
        products = [h for h in hits if self.index.documents[h.doc].kind == "product"]
        content = [h for h in hits if self.index.documents[h.doc].kind != "product"]
        if place is not None and products:
            # The best-matching product, not yet the topic _decide chooses by fit: the ranking alone
            # (`candidates`) needs no topic.
            content = self._deliveries_of(products[0], content)
        asked = Asked.of(self.index, question, terms)
        return products, asked, self._reranked(asked, content)

    def _decide(
        self, question: str, terms: list[QueryTerm], hits: list[Hit], place: Place | None
    ) -> Response:
        documents = self.index.documents
        products, asked, content = self._sorted(question, terms, hits, place)
        topics = [
            h for h in products if h.score >= TOPIC_SHARE * products[0].score and self._depends_on_place(h)
        ]
        if topics and place is None and agency_for(question, self.index.analyzer) is not None:
            topics = []  # a national agency's topic ("kinderbijslag aanvragen") does not depend on the place
        fits = {h.doc: self._topic_fit(h, asked) for h in topics}
        # Of the products that match about equally well, the one whose texts speak most of the question (the
        # better match of equal ones).
        topic = max(topics, key=lambda h: fits[h.doc], default=None)
        place_ratio: float | None = None
        topic_fit: float | None = None
        if place is None and topic is not None:
            topic_fit = fits[topic.doc]
            if topic_fit >= self.calibration.topic_fit:
                # Against the text the re-ranker prefers: a long text that merely repeats common words does
                # not outweigh the product.
                place_ratio = topic.score / content[0].score if content else math.inf
                if place_ratio >= self.calibration.place_margin:
                    response = self._ask_for_place(topic, content, 0.0)
                    response.explanation = {
                        # None when no text matched at all (the ratio is infinite, which JSON cannot hold).
                        "place_ratio": round(place_ratio, 4) if content else None,
                        "topic_fit": round(topic_fit, 4),
                    }
                    return response
        if not content:
            return self._handover(products, place, 0.0, question)
        top = documents[content[0].doc]
        if place_ratio is not None and topic is not None and self._special_case_of(topic, content[0]):
            return self._ask_for_place(topic, content, 0.0)
        own = self._answering(topic, place)
        top_local = top.partition in own
        local = LocalSignal(
            ratio=min(1.0, topic.score / content[0].score) if topic else 0.0,
            gap=place is not None and topic is not None and not self._delivered(topic, content, own),
            top_local=top_local,
            # An article names only its first product (documents.py), so one on several counts as another.
            other_product=top_local
            and topic is not None
            and top.payload.get("upl_uri", "") not in ("", documents[topic.doc].payload.get("upl_uri")),
        )
        measured = features(self.index, question, terms, asked, content, local)
        confidence = self.calibration.confidence(measured)
        explanation = {
            "place_ratio": round(place_ratio, 4) if place_ratio is not None else None,
            "topic_fit": round(topic_fit, 4) if topic_fit is not None else None,
            "features": dict(zip(FEATURE_NAMES, (round(f, 4) for f in measured), strict=True)),
            "top_candidate": top.payload.get("source_id", ""),
        }
        if confidence < self.calibration.threshold or measured[CASE_STATUS]:
            # A question about the person's own case goes to the back office, however well a general text
            # matches its words, and whatever the place. Otherwise, before handing over, learn where the person
            # lives if a local organisation would be responsible.
            if (
                topic is not None
                and place_ratio is not None
                and place_ratio >= self.calibration.uncertain_place_margin
                and not measured[CASE_STATUS]
            ):
                response = self._ask_for_place(topic, content, confidence)
            else:
                response = self._handover(products + content, place, confidence, question)
            response.explanation = explanation
            return response
        if place is None and top.payload.get("has_local_variants"):
            # Municipalities wrote their own version of this text: which one answers depends on the place.
            response = self._ask_for_place(content[0], content, confidence)
            response.explanation = explanation
            return response
        close = [h for h in content[1:3] if h.preference >= self.calibration.ambiguity]
        if close and self._different(content[0], close[0]):
            return Response(
                "clarify",
                confidence,
                "Bedoelt u een van deze onderwerpen?",
                alternatives=[self._answer(h) for h in [content[0], *close]],
                clarify={"reason": "ambiguous"},
                explanation=explanation,
            )
        return Response(
            "answered",
            confidence,
            "",
            answer=self._answer(content[0]),
            alternatives=self._alternatives(content),
            explanation=explanation,
        )

    def _search(self, terms: list[QueryTerm], place: Place | None, audience: str) -> list[Hit]:
        """The best texts of the national and the place's partitions, and apart from them the best products:
        however many texts a large catalogue holds, they never crowd out the product a question is about."""
        partitions = [NATIONAL, *(place.partitions if place else [])]
        texts = self.index.search(terms, partitions, limit=TEXT_CANDIDATES, audience=audience)
        products = self.index.search(terms, [PRODUCTS], limit=PRODUCT_CANDIDATES, audience=audience)
        return self._prefer_local(texts + products)

    def _reranked(self, asked: Asked, content: list[Hit]) -> list[Hit]:
        return rerank(self.index, asked, content, self.calibration.rerank_weights)

    def _prefer_local(self, hits: list[Hit]) -> list[Hit]:
        """Local texts get a small lead; a local variant replaces the national text it overrides."""
        documents = self.index.documents
        replaced = {documents[h.doc].payload.get("overrides") for h in hits} - {None, ""}
        kept = []
        for hit in hits:
            document = documents[hit.doc]
            if document.key in replaced:
                continue
            if document.partition not in (NATIONAL, PRODUCTS):
                hit.score *= LOCAL_BOOST
            kept.append(hit)
        return sorted(kept, key=lambda h: -h.score)

    def _deliveries_of(self, product: Hit, content: list[Hit]) -> list[Hit]:
        """When the question is clearly about a product, the place's own offering of that product answers it,
        even if its page words things differently ("vragen ... aan" for "aanvragen")."""
        documents = self.index.documents
        upl = documents[product.doc].payload.get("upl_uri")
        for hit in content:
            document = documents[hit.doc]
            if upl and document.partition != NATIONAL and document.payload.get("upl_uri") == upl:
                if product.score * LOCAL_BOOST > hit.score:
                    hit.score = product.score * LOCAL_BOOST
                    hit.matched = list({t.term: t for t in [*hit.matched, *product.matched]}.values())
                break
        return sorted(content, key=lambda h: -h.score)

    def _delivered(self, product: Hit, content: list[Hit], partitions: set[str]) -> bool:
        """Whether one of the texts of these organisations delivers the product."""
        documents = self.index.documents
        upl = documents[product.doc].payload.get("upl_uri")
        return bool(upl) and any(
            documents[h.doc].partition in partitions and documents[h.doc].payload.get("upl_uri") == upl
            for h in content
        )

    def _answering(self, topic: Hit | None, place: Place | None) -> set[str]:
        """The place's organisations whose texts answer the question: its municipality, the resident's first
        counter, and the province or water board only for a product that is theirs and not the municipalities'.
        (A province's events page does not answer for a village fete the municipality has no page for.)"""
        if place is None:
            return set()
        layers = self.index.documents[topic.doc].payload.get("layers", []) if topic else []
        answering = ["gemeente"]
        if "gemeente" not in layers:
            answering += [layer for layer in ("provincie", "waterschap") if layer in layers]
        return {code for layer in answering for code, _ in place.organisations.get(layer, [])}

    def _topic_fit(self, topic: Hit, asked: Asked) -> float:
        """Share of the question (as `coverage` weighs it) that the texts on the topic's product speak of, in
        any municipality: "camping op texel met nog plek in augustus" shares only "plek" with job coaching."""
        present = self.index.product_terms(
            self.index.documents[topic.doc].payload.get("upl_uri", ""), asked.terms
        )
        return coverage(asked, present | self.index.title_terms(topic.doc))

    def _depends_on_place(self, hit: Hit) -> bool:
        """A product most municipalities (or provinces, water boards) deliver themselves."""
        payload = self.index.documents[hit.doc].payload
        local = any(layer in LOCAL_LAYERS for layer in payload.get("layers", []))
        return local and ("rijk" not in payload.get("layers", []) or payload.get("local_share", 0.0) >= 0.25)

    def _special_case_of(self, topic: Hit, best: Hit) -> bool:
        """The best text is a national organisation's offering of the place-dependent product itself (a passport
        for those who live abroad) and matches nothing the product does not: the question is about the product
        in general, which the place's own offering answers."""
        document = self.index.documents[best.doc]
        return (
            document.kind == "offering"
            and document.partition == NATIONAL
            and document.payload.get("upl_uri") == self.index.documents[topic.doc].payload.get("upl_uri")
            and {t.term for t in best.matched} <= {t.term for t in topic.matched}
        )

    def _different(self, first: Hit, second: Hit) -> bool:
        a, b = self.index.documents[first.doc], self.index.documents[second.doc]
        return a.payload.get("upl_uri") != b.payload.get("upl_uri") or not a.payload.get("upl_uri")

    def _ask_for_place(self, topic: Hit, content: list[Hit], confidence: float) -> Response:
        payload = self.index.documents[topic.doc].payload
        return Response(
            "clarify",
            confidence,
            f"Het antwoord op uw vraag over '{payload['title']}' hangt af van waar u woont. "
            "Wat is uw postcode of woonplaats?",
            alternatives=self._alternatives(content, start=0),
            clarify={"reason": "place", "upl_uri": payload.get("upl_uri", "")},
        )

    def _handover(
        self, hits: list[Hit], place: Place | None, confidence: float, question: str = ""
    ) -> Response:
        organisation = self._responsible(hits, place, question)
        message = (
            f"We hebben geen goed antwoord gevonden. We sturen uw vraag door naar {organisation['name']}."
            if organisation
            else "We hebben geen goed antwoord gevonden. Een medewerker kijkt naar uw vraag."
        )
        return Response(
            "handover",
            confidence,
            message,
            alternatives=self._alternatives(hits, start=0),
            handover_to=organisation,
        )

    def _responsible(self, hits: list[Hit], place: Place | None, question: str = "") -> dict[str, str] | None:
        """Who is responsible: a national agency the question names or whose topic it is; otherwise, with a
        known place, its municipality when the question names it or one of the best-matching products is
        municipal (the resident's first counter); otherwise the layer of the best-matching products and
        texts, with the person's place for a local layer; otherwise, when the place is known, its municipality."""
        agency = agency_for(question, self.index.analyzer) if question else None
        if agency is not None:
            return {"code": agency.code, "name": agency.name, "layer": "rijk"}
        best = [self.index.documents[h.doc].payload for h in hits[:3]]
        municipal = MUNICIPAL.search(fold(question)) or any("gemeente" in p.get("layers", []) for p in best)
        if municipal and place and place.organisations.get("gemeente"):
            return self._municipality(place)
        for payload in best:
            layers = payload.get("layers", [])
            for layer in LOCAL_LAYERS:
                if layer in layers and place and place.organisations.get(layer):
                    code, name = place.organisations[layer][0]
                    return {"code": code, "name": name, "layer": layer}
            if "rijk" in layers and payload.get("national_organisation"):
                return dict(payload["national_organisation"])
            if place is None and any(layer in LOCAL_LAYERS for layer in layers):
                # The best match is a local matter and the place is unknown: not a worse match's agency.
                break
        if place and place.organisations.get("gemeente"):
            # Nothing national, and the place is known: the person's own municipality takes the question on.
            return self._municipality(place)
        return None

    @staticmethod
    def _municipality(place: Place) -> dict[str, str]:
        code, name = place.organisations["gemeente"][0]
        return {"code": code, "name": name, "layer": "gemeente"}

    def answer_for(self, key: str) -> Answer | None:
        """The answer a document key stands for (as the engine shows it), or None for an unknown key."""
        if self._positions is None:
            self._positions = {d.key: number for number, d in enumerate(self.index.documents)}
        position = self._positions.get(key)
        return None if position is None else self._answer(Hit(position, 0.0, []))

    def _alternatives(self, hits: list[Hit], start: int = 1) -> list[Answer]:
        return [self._answer(h) for h in hits[start : start + 4]]

    def _answer(self, hit: Hit) -> Answer:
        payload = self.index.documents[hit.doc].payload
        return Answer(
            key=self.index.documents[hit.doc].key,
            kind=self.index.documents[hit.doc].kind,
            source_id=payload.get("source_id", ""),
            upl_uri=payload.get("upl_uri", ""),
            title=payload.get("title", ""),
            organisation=dict(payload.get("organisation", {})),
            url=payload.get("url", ""),
            snippet=payload.get("snippet", ""),
            score=round(hit.score, 3),
            matched_terms=sorted({t.word for t in hit.matched}),
            last_revision=payload.get("last_revision", ""),
        )


def _without_place_names(
    terms: list[QueryTerm], place: Place | None, named: NamedPlace | None = None
) -> list[QueryTerm]:
    """'hondenbelasting beesel' with a Beesel postcode: the place name says where, not what; so does the name
    the question used ('afvalkalender delfzijl' for Eemsdelta). A name of two words counts also as one, as the
    analysis joins words the corpus writes together ('den haag' -> 'denhaag', as in denhaag.nl)."""
    if place is None:
        return terms
    names: set[str] = set()
    for name in (place.municipality_name, named.name if named else ""):
        parts = words(name)
        names.update(parts, ["".join(parts)])
    return [replace(t, weight=t.weight * 0.2) if t.word in names else t for t in terms]


def _problem_with(question: str) -> str:
    if len(question) > MAX_QUESTION_LENGTH:
        return (
            f"Uw vraag is te lang ({len(question)} tekens). Stel uw vraag in hoogstens {MAX_QUESTION_LENGTH} tekens. "
            "Een korte vraag geeft een beter antwoord."
        )
    if not words(question):
        return "Stel uw vraag in een paar woorden, bijvoorbeeld: paspoort aanvragen."
    return ""


def _boosted(index: SearchIndex, hits: list[Hit], boosts: dict[str, float]) -> list[Hit]:
    """Learned preferences nudge the order of candidates that already matched; they never add new ones."""
    for hit in hits:
        hit.score *= 1 + boosts.get(index.documents[hit.doc].key, 0.0)
    return sorted(hits, key=lambda h: -h.score)
