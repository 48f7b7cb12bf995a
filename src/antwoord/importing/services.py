"""The machinery every importer shares: a report of what happened, and an idempotent bulk upsert.

Each importer parses and validates a row completely before anything is written, so a bad row is
rejected with its line number and never leaves a half-written record; the good rows are written in one
transaction. A checksum of each row's values makes a second run of the same source change nothing.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.management.base import OutputWrapper
from django.db import models, transaction
from django.dispatch import Signal

# Sent with the model class as sender after an import changed rows (bulk writes send no save signals).
rows_imported = Signal()

ModelT = TypeVar("ModelT", bound=models.Model)


class RowError(Exception):
    """This row cannot be imported; the message says why, in words an administrator understands."""


@dataclass
class ImportReport:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def reject(self, line: int, reason: str) -> None:
        self.rejected.append((line, reason))

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": sum(self.skipped.values()),
            "skipped_reasons": dict(self.skipped),
            "rejected": [{"line": line, "reason": reason} for line, reason in self.rejected],
        }

    def write(self, out: OutputWrapper, *, max_rejections: int = 50) -> None:
        out.write(
            f"{self.name}: created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {sum(self.skipped.values())}, rejected {len(self.rejected)}"
        )
        for reason, count in self.skipped.most_common():
            out.write(f"  skipped {count}: {reason}")
        for line, reason in self.rejected[:max_rejections]:
            out.write(f"  rejected line {line}: {reason}")
        if len(self.rejected) > max_rejections:
            out.write(f"  ... and {len(self.rejected) - max_rejections} more rejected rows")


def checksum(values: dict[str, Any]) -> str:
    encoded = json.dumps(values, sort_keys=True, default=_model_key)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _model_key(value: object) -> object:
    return value.pk if isinstance(value, models.Model) else str(value)


@dataclass
class Upserted(Generic[ModelT]):
    created: list[ModelT] = field(default_factory=list)
    updated: list[ModelT] = field(default_factory=list)


def upsert(
    model: type[ModelT],
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    key: Callable[[dict[str, Any]], tuple[Any, ...]],
    existing_key: Callable[[ModelT], tuple[Any, ...]],
    report: ImportReport,
    existing: models.QuerySet[ModelT] | None = None,
) -> Upserted[ModelT]:
    """Create or update one `model` instance per validated row, matched on `key`.

    Rows whose values are unchanged since the last import (same checksum) are left alone. When two rows
    in the source share a key, the first one wins and the second is rejected.
    """
    current = {
        existing_key(obj): obj for obj in (existing if existing is not None else model._default_manager.all())
    }
    seen: set[tuple[Any, ...]] = set()
    result: Upserted[ModelT] = Upserted()
    for line, values in rows:
        row_key = key(values)
        if row_key in seen:
            report.reject(line, f"duplicate of an earlier row ({', '.join(map(str, row_key))})")
            continue
        seen.add(row_key)
        digest = checksum(values)
        obj = current.get(row_key)
        if obj is None:
            result.created.append(model(**values, source_checksum=digest))
        elif getattr(obj, "source_checksum", "") != digest:
            for name, value in values.items():
                setattr(obj, name, value)
            setattr(obj, "source_checksum", digest)  # noqa: B010 - every imported model has this field
            result.updated.append(obj)
        else:
            report.unchanged += 1
    fields = sorted({name for obj in result.updated for name in _concrete_fields(obj)})
    with transaction.atomic():
        model._default_manager.bulk_create(result.created, batch_size=500)
        if result.updated:
            model._default_manager.bulk_update(result.updated, fields, batch_size=500)
    report.created += len(result.created)
    report.updated += len(result.updated)
    if result.created or result.updated:
        rows_imported.send(sender=model)
    return result


def _concrete_fields(obj: models.Model) -> list[str]:
    return [f.attname for f in obj._meta.concrete_fields if not f.primary_key]
