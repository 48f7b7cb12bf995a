"""Storing feedback on answers and turning it into ranking nudges (see engine/learning.py for the rules)."""

import hashlib
import threading
import time

from django.conf import settings

from antwoord.organisations.models import Organisation

from .engine.decide import Engine
from .engine.learning import Vote, signature
from .models import Feedback

CACHE_SECONDS = 5.0
_cache: tuple[float, list[Vote]] | None = None
_lock = threading.Lock()


def voter_id(raw: str) -> str:
    """A one-way hash: enough to count each voter once, useless to identify anyone."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{raw}".encode()).hexdigest()


def record_feedback(
    engine: Engine, question: str, document_key: str, *, helpful: bool, voter: str, by_agent: bool = False
) -> Feedback:
    """Raises LookupError when the answer is not one the engine knows."""
    document = next((d for d in engine.index.documents if d.key == document_key), None)
    if document is None:
        raise LookupError("Dit antwoord kennen we niet.")
    owner_code = document.payload.get("organisation", {}).get("code")
    feedback, _ = Feedback.objects.update_or_create(
        signature=signature(engine.index.query(question)),
        document_key=document_key,
        voter=voter_id(voter),
        defaults={
            "question": question[:500],
            "helpful": helpful,
            "source": Feedback.Source.AGENT if by_agent else Feedback.Source.RESIDENT,
            "organisation": Organisation.objects.filter(code=owner_code).first() if owner_code else None,
            "withdrawn": False,
        },
    )
    forget_votes()
    return feedback


def standing_votes() -> list[Vote]:
    global _cache
    with _lock:
        now = time.monotonic()
        if _cache is None or now - _cache[0] > CACHE_SECONDS:
            rows = Feedback.objects.filter(withdrawn=False).values_list(
                "signature", "document_key", "voter", "helpful", "source"
            )
            _cache = (now, [Vote(s, d, v, h, src == Feedback.Source.AGENT) for s, d, v, h, src in rows])
        return _cache[1]


def forget_votes() -> None:
    global _cache
    with _lock:
        _cache = None
