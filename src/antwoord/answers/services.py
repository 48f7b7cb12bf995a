"""Asking questions: the engine every channel uses, kept fresh in every process.

The index is built from the database, written to disk, and loaded by each process. A counter in the
database (ContentVersion) goes up when searchable content changes; at most once a second a process
compares it with the version it serves and loads (or, when nobody has yet, builds) the newer index.
"""

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from antwoord.organisations.models import Layer, Organisation
from antwoord.organisations.services import (
    UnknownPlaceError,
    find_place,
    municipality_names,
    place_name,
    serving_organisations,
)

from .documents import build_documents
from .engine.decide import Calibration, Engine, Response
from .engine.index import SearchIndex
from .engine.places import Place
from .learning import standing_votes
from .models import ContentVersion, Synonym

CHECK_INTERVAL_SECONDS = 1.0
CALIBRATION_FILE = Path(__file__).with_name("calibration.json")


def index_path() -> Path:
    return Path(settings.DATA_DIR) / "search-index.pickle"


def _version_path() -> Path:
    return index_path().with_suffix(".version")


def _index_key() -> bytes:
    """The key that signs the index file, derived from SECRET_KEY: whoever can write var/ but does not know
    the secret cannot make a process unpickle a file of their own."""
    return hashlib.sha256(b"antwoord search index\0" + settings.SECRET_KEY.encode()).digest()


def content_version() -> int:
    state = ContentVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return int(state or 0)


def synonym_table() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for synonym in Synonym.objects.all():
        table.setdefault(synonym.term, []).extend(synonym.synonyms)
        if synonym.both_ways:
            for other in synonym.synonyms:
                table.setdefault(other, []).append(synonym.term)
    return table


def load_calibration() -> Calibration:
    if not CALIBRATION_FILE.exists():
        return Calibration()
    data = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    return Calibration(
        weights=tuple(data["weights"]),
        bias=data["bias"],
        threshold=data["threshold"],
        ambiguity=data["ambiguity"],
        place_margin=data["place_margin"],
        uncertain_place_margin=data["uncertain_place_margin"],
        topic_fit=data["topic_fit"],
        rerank_weights=tuple(data["rerank_weights"]),
    )


def build_index() -> SearchIndex:
    """Build from the database and publish it for every process."""
    version = content_version()
    index = SearchIndex(build_documents(), synonym_table(), version=str(version), place_names=place_names())
    path = index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    index.save(path, _index_key())
    _version_path().write_text(str(version), encoding="utf-8")
    return index


@dataclass
class _Loaded:
    engine: Engine
    version: int
    checked_at: float


_loaded: _Loaded | None = None
_lock = threading.Lock()


def current_engine() -> Engine:
    global _loaded
    with _lock:
        now = time.monotonic()
        if _loaded and now - _loaded.checked_at < CHECK_INTERVAL_SECONDS:
            return _loaded.engine
        version = content_version()
        if _loaded and _loaded.version == version:
            _loaded.checked_at = now
            return _loaded.engine
        index = _read_published(version) or build_index()
        _loaded = _Loaded(Engine(index, load_calibration()), version, now)
        return _loaded.engine


def _read_published(version: int) -> SearchIndex | None:
    try:
        if int(_version_path().read_text(encoding="utf-8")) != version:
            return None
        return SearchIndex.load(index_path(), _index_key())
    except (OSError, ValueError, TypeError, EOFError):
        return None


def forget_loaded_engine() -> None:
    """For tests: the next question reloads."""
    global _loaded
    with _lock:
        _loaded = None


def resolve_place(postcode: str = "", municipality: str = "") -> Place | None:
    """Raises ValueError (malformed postcode) or UnknownPlaceError (not in the catalogue)."""
    found = find_place(postcode, municipality)
    return None if found is None else _place(found)


def _place(municipality: Organisation) -> Place:
    organisations: dict[str, list[tuple[str, str]]] = {}
    for layer in (Layer.GEMEENTE, Layer.PROVINCIE, Layer.WATERSCHAP):
        organisations[layer.value] = [
            (o.code, o.name) for o in serving_organisations(layer, municipality=municipality)
        ]
    return Place(municipality.code, municipality.name, organisations)


def place_names() -> list[tuple[str, Place]]:
    """The names of places a question may mention, for the index (one Place per municipality)."""
    names = municipality_names()
    places = {code: _place(m) for code, m in {m.code: m for _, m in names}.items()}
    return [(name, places[m.code]) for name, m in names]


AUDIENCES = ("", "burger", "ondernemer")


def ask(question: str, *, postcode: str = "", municipality: str = "", audience: str = "") -> Response:
    """Every channel's way in. A place we cannot use is asked for again, never an error."""
    if audience not in AUDIENCES:
        return Response("clarify", 0.0, "Kies burger of ondernemer.", clarify={"reason": "audience"})
    try:
        place = resolve_place(postcode, municipality)
    except (ValueError, UnknownPlaceError) as error:
        return Response(
            "clarify", 0.0, f"{error} Wat is uw postcode of woonplaats?", clarify={"reason": "place"}
        )
    response = current_engine().ask(question, place=place, audience=audience, votes=standing_votes())
    if response.place is not None and municipality.strip() and not postcode.strip():
        # "Loosduinen" typed as where the resident lives: the answer says for which municipality it counts.
        named = place_name(municipality)
        if named is not None:
            response.place["named"] = named.name
    return response
