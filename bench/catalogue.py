"""The benchmark's catalogue: the real public data imported into a SQLite database of its own."""

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[1] / "var" / "bench"


def setup_django() -> None:
    os.environ["ANTWOORD_DATA_DIR"] = str(BENCH_DIR)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "antwoord.settings")
    import django

    django.setup()


def ensure_imported(shared_data: Path) -> None:
    """Import ../shared/data once; later runs reuse the database (the importers are idempotent anyway)."""
    from django.core.management import call_command

    from antwoord.ops.public_data import import_public_data
    from antwoord.ops.services import catalogue_counts
    from antwoord.organisations.models import PlaceName

    call_command("migrate", verbosity=0)
    if catalogue_counts()["offerings"] < 50_000 or not PlaceName.objects.exists():
        print("Importing the public data (once)...", flush=True)
        import_public_data(shared_data)
