"""The `antwoord` command: Django's management commands with dashed names (`antwoord import-upl FILE`)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "antwoord.settings")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(args)
    except DatabaseError as error:
        # SQLite says "no such table" or "no such column", PostgreSQL "relation/column ... does not exist": a
        # database never migrated, or not since this version of ANTWOORD.
        if not any(sign in str(error) for sign in ("no such table", "no such column", "does not exist")):
            raise
        sys.exit(
            f"The database is not set up or not up to date ({error}). Run `antwoord migrate` first; "
            "`antwoord serve` (make run) also does that and loads the demo content."
        )


if __name__ == "__main__":
    main()
