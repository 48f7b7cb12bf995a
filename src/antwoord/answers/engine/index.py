"""The search index: field-weighted BM25 postings, split by the area a document serves.

Documents are grouped in partitions: "national" for what applies everywhere, one partition per
organisation whose area is local (gm0518, pv28, ws0372), and "products" for the UPL products. A question for
a place scores only the national partition and that place's partitions, so the cost of a question does not
grow with the number of municipalities in the catalogue.
"""

import hashlib
import hmac
import os
import pickle
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt
from scipy import sparse

from .analysis import Analyzer, QueryTerm, words
from .concepts import Concepts, Vector
from .places import Place, PlaceNames

NATIONAL = "national"
PRODUCTS = "products"  # the UPL products: what a question is about, not answers themselves
K1 = 1.2
B = 0.75
# Field weights: how people ask (official question, alternative phrasings) counts most.
FIELD_WEIGHTS = {"question": 3.0, "alternatives": 2.5, "keywords": 1.5, "body": 1.0}
# Fields written as sentences (keywords and alternative phrasings are often typed in lower case, as people
# search): a place name written in lower case there is an everyday word (places.py).
PROSE_FIELDS = ("question", "body")
# The terms of these fields are kept per document, for features that compare a question with a title.
TITLE_FIELDS = {"question": ("question",), "phrasings": ("question", "alternatives")}
# Bumped when the index's shape, its analysis or what its documents hold changes, so a file written by older code
# is rebuilt, not used.
FORMAT = 14


@dataclass
class Document:
    key: str  # unique, e.g. "article:<uuid>"
    kind: str  # article | offering | product
    partition: str  # NATIONAL or the code of the local organisation whose area it serves
    fields: dict[str, str]  # question, alternatives, keywords, body
    for_burger: bool = True
    for_ondernemer: bool = False
    prior: float = 1.0  # demand prior: how commonly this is what people mean (1.0 = neutral)
    payload: dict[str, Any] = field(default_factory=dict)  # what an answer shows: title, source, owner...


@dataclass
class Hit:
    doc: int
    score: float
    matched: list[QueryTerm]
    preference: float = 1.0  # the re-ranker's liking relative to the first candidate's (rerank.py)


class SearchIndex:
    def __init__(
        self,
        documents: Sequence[Document],
        synonyms: Mapping[str, Iterable[str]] | None = None,
        version: str = "",
        place_names: Iterable[tuple[str, Place]] = (),
    ) -> None:
        self.version = version
        self.format = FORMAT
        ordered = sorted(documents, key=lambda d: (d.partition != NATIONAL, d.partition))
        self.documents = ordered
        self.analyzer = Analyzer(_vocabulary(ordered), synonyms)
        self.places = PlaceNames(
            place_names,
            ([d.fields.get(name, "") for name in PROSE_FIELDS] for d in ordered),
            self.analyzer.vocabulary,
        )
        self.ranges: dict[str, tuple[int, int]] = {}
        for number, document in enumerate(ordered):
            start, _ = self.ranges.get(document.partition, (number, number))
            self.ranges[document.partition] = (start, number + 1)
        self.burger = np.array([d.for_burger for d in ordered], dtype=bool)
        self.ondernemer = np.array([d.for_ondernemer for d in ordered], dtype=bool)
        self.prior = np.array([d.prior for d in ordered], dtype=np.float32)
        self.term_ids: dict[str, int] = {}
        self.idf: dict[str, float] = {}
        self._build_postings(ordered)

    def title_terms(self, doc: int, which: str = "phrasings") -> set[str]:
        """The terms of a document's official question ("question") or of all its phrasings ("phrasings")."""
        indptr, ids = self._titles[which]
        return {self._terms[i] for i in ids[indptr[doc] : indptr[doc + 1]]}

    def _build_postings(self, documents: Sequence[Document]) -> None:
        """One term x document matrix (CSR); documents are ordered by partition, so each term's documents
        in one partition are a contiguous run of its postings."""
        field_terms = [
            {
                name: Counter(self.analyzer.document_terms(text))
                for name, text in d.fields.items()
                if name in FIELD_WEIGHTS
            }
            for d in documents
        ]
        average = {
            name: max(
                1.0, sum(sum(f.get(name, Counter()).values()) for f in field_terms) / max(1, len(documents))
            )
            for name in FIELD_WEIGHTS
        }
        rows: list[int] = []
        columns: list[int] = []
        values: list[float] = []
        for number, fields in enumerate(field_terms):
            combined: dict[str, float] = defaultdict(float)
            for name, counts in fields.items():
                norm = 1 - B + B * sum(counts.values()) / average[name]
                for term, count in counts.items():
                    combined[term] += FIELD_WEIGHTS[name] * count / norm
            for term, weighted in combined.items():
                rows.append(self.term_ids.setdefault(term, len(self.term_ids)))
                columns.append(number)
                values.append(weighted * (K1 + 1) / (weighted + K1))
        self._terms = list(self.term_ids)
        self._titles = {
            which: _term_lists(
                [set().union(*(f.get(n, ()) for n in names)) for f in field_terms], self.term_ids
            )
            for which, names in TITLE_FIELDS.items()
        }
        matrix = sparse.csr_matrix(
            (
                np.array(values, dtype=np.float32),
                (np.array(rows, dtype=np.int32), np.array(columns, dtype=np.int32)),
            ),
            shape=(len(self.term_ids), len(documents)),
        )
        matrix.sort_indices()
        self.indptr = matrix.indptr.astype(np.int64)
        self.indices = matrix.indices.astype(np.int32)
        self.data = matrix.data.astype(np.float32)
        total = len(documents)
        frequency = np.diff(self.indptr)
        idf = np.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
        self.idf = {t: float(idf[i]) for t, i in self.term_ids.items()}
        self.unseen_idf = float(np.log(1 + (total + 0.5) / 0.5))  # a word no document contains
        self.concepts = Concepts(sparse.diags(idf.astype(np.float32)) @ matrix)
        self._product_vocabularies = _product_vocabularies(documents, matrix.tocsc())

    def product_terms(self, upl_uri: str, terms: Iterable[str]) -> set[str]:
        """Which of these terms occur in the texts on the UPL product (its offerings in any municipality, the
        articles whose first product it is): the words in which organisations speak of that product."""
        vocabulary = self._product_vocabularies.get(upl_uri)
        known = [t for t in terms if t in self.term_ids]
        if vocabulary is None or not known:
            return set()
        used = _members(np.array([self.term_ids[t] for t in known], dtype=np.intp), vocabulary)
        return {term for term, is_used in zip(known, used, strict=True) if is_used}

    def _postings(
        self, term: str, start: int, end: int
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
        """The documents in [start, end) that contain `term`, with their term weights."""
        row = self.term_ids[term]
        low, high = self.indptr[row], self.indptr[row + 1]
        documents = self.indices[low:high]
        first, last = np.searchsorted(documents, (start, end))
        return documents[first:last], self.data[low + first : low + last]

    def __len__(self) -> int:
        return len(self.documents)

    def query(self, text: str) -> list[QueryTerm]:
        return [t for t in self.analyzer.query_terms(text) if t.term in self.term_ids]

    def question_concept(self, terms: Sequence[QueryTerm]) -> Vector:
        return self.concepts.of_question(
            [self.term_ids[t.term] for t in terms], [self.idf[t.term] * t.weight for t in terms]
        )

    def best_possible(self, terms: Sequence[QueryTerm]) -> float:
        """The score a document would get with every query term at full strength."""
        return sum(self.idf[t.term] * t.weight for t in terms) * (K1 + 1)

    def search(
        self, terms: Sequence[QueryTerm], partitions: Iterable[str], *, limit: int = 10, audience: str = ""
    ) -> list[Hit]:
        hits: list[Hit] = []
        for partition in partitions:
            if partition in self.ranges:
                hits.extend(self._search_partition(terms, partition, limit, audience))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def _search_partition(
        self, terms: Sequence[QueryTerm], partition: str, limit: int, audience: str
    ) -> list[Hit]:
        start, end = self.ranges[partition]
        scores = np.zeros(end - start, dtype=np.float32)
        found: list[npt.NDArray[np.int32]] = []
        for term in terms:
            documents, weights = self._postings(term.term, start, end)
            local = documents - start
            scores[local] += weights * np.float32(self.idf[term.term] * term.weight)
            found.append(local)
        scores *= self.prior[start:end]
        if audience:
            # The audience shifts the ranking; it does not hide answers.
            fits = (self.ondernemer if audience == "ondernemer" else self.burger)[start:end]
            scores *= np.where(fits, np.float32(1.0), np.float32(0.85))
        count = min(limit, int(np.count_nonzero(scores)))
        if count == 0:
            return []
        best = np.argpartition(-scores, count - 1)[:count] if count < len(scores) else np.flatnonzero(scores)
        # Which query terms each candidate contains, for the explanation and the confidence.
        contains = [_members(best, local) for local in found]
        return [
            Hit(
                int(i) + start,
                float(scores[i]),
                [t for t, mask in zip(terms, contains, strict=True) if mask[n]],
            )
            for n, i in enumerate(best)
            if scores[i] > 0
        ]

    def save(self, path: Path, key: bytes) -> None:
        """Write atomically, so a process that reads the file never sees half an index. The file is signed
        with the installation's key: unpickling runs code, so only a file this installation wrote is read. The
        pickle streams to the file through the signature: no second copy of the index is held in memory."""
        signer = hmac.new(key, digestmod=hashlib.sha256)
        # A file of its own: workers that rebuild the same index at once do not write into each other's.
        descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        temporary = Path(name)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(bytes(SIGNATURE_BYTES))  # its place; written once the whole pickle is signed
                pickle.dump(self, _Signing(handle, signer), protocol=pickle.HIGHEST_PROTOCOL)
                handle.seek(0)
                handle.write(signer.digest())
            temporary.replace(path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    @staticmethod
    def load(path: Path, key: bytes) -> "SearchIndex":
        """Raises TypeError for a file that is not a search index of this version signed with `key`."""
        data = path.read_bytes()  # read once: what is checked is what is unpickled
        signature, payload = data[:SIGNATURE_BYTES], data[SIGNATURE_BYTES:]
        if not hmac.compare_digest(signature, _signature(key, payload)):
            raise TypeError(f"{path} is not signed with this installation's key")
        index = pickle.loads(payload)
        if not isinstance(index, SearchIndex) or getattr(index, "format", None) != FORMAT:
            raise TypeError(f"{path} holds no search index of this version")
        return index


SIGNATURE_BYTES = hashlib.sha256().digest_size


def _signature(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


class _Signing:
    """A file that also feeds everything written to it into a signature."""

    def __init__(self, handle: BinaryIO, signer: "hmac.HMAC") -> None:
        self.handle, self.signer = handle, signer

    def write(self, data: bytes | bytearray | memoryview | pickle.PickleBuffer) -> int:
        self.signer.update(data)
        return self.handle.write(data)


def _term_lists(
    per_document: Sequence[set[str]], term_ids: Mapping[str, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Term ids per document, packed as (offsets, ids): far smaller than a set per document."""
    lengths = np.array([len(terms) for terms in per_document], dtype=np.int64)
    indptr = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(lengths)])
    ids = np.fromiter(
        (term_ids[t] for terms in per_document for t in terms), dtype=np.int32, count=int(indptr[-1])
    )
    return indptr, ids


def _product_vocabularies(
    documents: Sequence[Document], by_document: sparse.csc_matrix
) -> dict[str, npt.NDArray[np.int32]]:
    """UPL URI -> the sorted ids of the terms its texts (not the product itself) use."""
    texts: dict[str, list[int]] = defaultdict(list)
    for number, document in enumerate(documents):
        upl = document.payload.get("upl_uri", "")
        if upl and document.kind != "product":
            texts[upl].append(number)
    indptr, indices = by_document.indptr, by_document.indices
    return {
        upl: np.unique(np.concatenate([indices[indptr[n] : indptr[n + 1]] for n in numbers])).astype(np.int32)
        for upl, numbers in texts.items()
    }


def _vocabulary(documents: Sequence[Document]) -> dict[str, int]:
    """Surface word -> number of documents that use it."""
    counts: Counter[str] = Counter()
    for document in documents:
        counts.update({w for text in document.fields.values() for w in words(text)})
    return dict(counts)


def _members(candidates: npt.NDArray[np.intp], postings: npt.NDArray[np.int32]) -> npt.NDArray[np.bool_]:
    """Which candidates occur in a sorted array (a term's postings, a product's vocabulary): a binary search
    per candidate suffices (np.isin would sort a common term's whole posting list again for twenty candidates)."""
    if not len(postings):
        return np.zeros(len(candidates), dtype=bool)
    positions = np.minimum(np.searchsorted(postings, candidates), len(postings) - 1)
    return np.asarray(postings[positions] == candidates)
