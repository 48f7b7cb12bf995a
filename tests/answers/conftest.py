from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from antwoord.answers import services
from antwoord.answers.services import forget_loaded_engine


@pytest.fixture(autouse=True)
def own_index_folder(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test builds and loads its own index file, and decides with the fixed default calibration:
    calibration.json is refitted on the benchmark's questions whenever the engine changes."""
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(services, "CALIBRATION_FILE", tmp_path / "no-calibration.json")
    forget_loaded_engine()
    yield
    forget_loaded_engine()
