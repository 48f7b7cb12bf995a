"""How long ANTWOORD keeps personal data: one cut-off for every domain that erases it."""

from datetime import UTC, datetime, timedelta


def retention_cutoff(days: int, now: datetime | None = None) -> datetime:
    """The moment before which records holding personal data are erased: `days` (the setting
    ANTWOORD_RETENTION_DAYS) before `now`."""
    return (now or datetime.now(UTC)) - timedelta(days=days)
