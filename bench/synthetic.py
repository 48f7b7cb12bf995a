"""Distractor documents that scale the corpus to any size with the corpus's own word statistics.

Each distractor copies the shape (kind, partition, field lengths) of a real document and fills its fields
with words drawn from the corpus's word frequencies, so term statistics and posting lengths grow as they
would in a larger catalogue, while no distractor is a correct answer to any labelled question.
"""

import itertools
import random
from collections import Counter

from antwoord.answers.engine.analysis import words
from antwoord.answers.engine.index import Document


def distractors(documents: list[Document], total: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    counts: Counter[str] = Counter(w for d in documents for text in d.fields.values() for w in words(text))
    vocabulary = list(counts)
    cumulative = list(itertools.accumulate(counts.values()))  # precomputed: choices() is then O(log n)
    templates = [d for d in documents if d.kind != "product"]
    extra = []
    for number in range(max(0, total - len(documents))):
        template = rng.choice(templates)
        fields = {
            name: " ".join(rng.choices(vocabulary, cum_weights=cumulative, k=len(text.split())))
            for name, text in template.fields.items()
        }
        extra.append(
            Document(
                key=f"synthetic:{number}",
                kind=template.kind,
                partition=template.partition,
                fields=fields,
                for_burger=template.for_burger,
                for_ondernemer=template.for_ondernemer,
                payload={
                    "title": fields.get("question", ""),
                    "source_id": f"synthetic:{number}",
                    "layers": [],
                },
            )
        )
    return [*documents, *extra]
