"""Concepts: what words mean by the company they keep in the catalogue (latent semantic analysis).

A truncated SVD of the idf-weighted term x document matrix places words that occur in the same texts, and
texts that use such words, near each other. It does not find candidates (BM25 does); it tells the re-ranker
how close a candidate's subject is to the question's, also where their words differ.
"""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.sparse.linalg import svds

DIMENSIONS = 128

Vector = npt.NDArray[np.float32]


class Concepts:
    def __init__(self, weighted: sparse.csr_matrix) -> None:
        """`weighted`: terms x documents, each weight already multiplied by the term's idf."""
        rank = min(DIMENSIONS, min(weighted.shape) - 1)
        if rank < 1:  # a catalogue too small to have concepts: every similarity is 0
            self.terms = np.zeros((weighted.shape[0], 1), dtype=np.float32)
            self.documents = np.zeros((weighted.shape[1], 1), dtype=np.float16)
            return
        # A fixed start vector: the same catalogue gives the same concepts in every process.
        start = np.full(min(weighted.shape), 1.0 / np.sqrt(min(weighted.shape)))
        u, strengths, vt = svds(weighted.astype(np.float64), k=rank, v0=start)
        self.terms = (u * strengths).astype(np.float32)
        documents = vt.T * strengths
        norms = np.linalg.norm(documents, axis=1, keepdims=True)
        # Half precision: at 300,000 documents the vectors take 75 MB instead of 150.
        self.documents = (documents / np.where(norms > 0, norms, 1.0)).astype(np.float16)

    def of_question(self, term_ids: Sequence[int], weights: Sequence[float]) -> Vector:
        """The question's direction: its terms' concepts, each by its query weight and idf."""
        vector = np.zeros(self.terms.shape[1], dtype=np.float32)
        for term, weight in zip(term_ids, weights, strict=True):
            vector += self.terms[term] * np.float32(weight)
        norm = float(np.linalg.norm(vector))
        if norm > 0:
            vector /= np.float32(norm)
        return vector

    def similarity(self, question: Vector, document: int) -> float:
        """Cosine between the question and a document, in [-1, 1]."""
        return float(self.documents[document].astype(np.float32) @ question)
