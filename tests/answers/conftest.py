from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from antwoord.answers.services import forget_loaded_engine


@pytest.fixture(autouse=True)
def own_index_folder(settings: Any, tmp_path: Path) -> Iterator[None]:
    """Each test builds and loads its own index file."""
    settings.DATA_DIR = tmp_path
    forget_loaded_engine()
    yield
    forget_loaded_engine()
