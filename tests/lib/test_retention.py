"""The retention cut-off lies the retention days before the moment given, or before now."""

from datetime import UTC, datetime

from antwoord.lib.retention import retention_cutoff


def test_the_cutoff_lies_the_retention_days_before_the_moment() -> None:
    moment = datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert retention_cutoff(30, moment) == datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert retention_cutoff(0, moment) == moment


def test_without_a_moment_the_cutoff_is_counted_from_now() -> None:
    before = datetime.now(UTC)
    cutoff = retention_cutoff(1)
    after = datetime.now(UTC)
    assert before.timestamp() - 86_400 <= cutoff.timestamp() <= after.timestamp() - 86_400
