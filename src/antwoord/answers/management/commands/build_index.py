import time
from typing import Any

from django.core.management.base import BaseCommand

from antwoord.answers.services import build_index, index_path


class Command(BaseCommand):
    help = "Build the search index from the database and publish it to every running process."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        index = build_index()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Indexed {len(index)} documents in {seconds:.1f} s -> {index_path()}")
