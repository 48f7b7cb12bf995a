"""The committed OpenAPI document (openapi.yaml) is exactly what the code produces, and is served."""

import difflib
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from drf_spectacular.management.commands.spectacular import SchemaGenerationError

COMMITTED = Path(__file__).resolve().parents[1] / "openapi.yaml"
REGENERATE = ".venv/bin/antwoord spectacular --validate --fail-on-warn --file openapi.yaml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The document as the code describes it now; warnings (a view it cannot describe) fail here."""
    target = tmp_path_factory.mktemp("openapi") / "openapi.yaml"
    try:
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    except SchemaGenerationError as error:
        pytest.fail(f"The code gives OpenAPI warnings ({error}); see them with: {REGENERATE}")
    return target.read_text(encoding="utf-8")


def test_the_committed_document_matches_the_code(generated: str) -> None:
    if not COMMITTED.exists():
        pytest.fail(f"openapi.yaml is missing. Generate it in the repository root with: {REGENERATE}")
    committed = COMMITTED.read_text(encoding="utf-8")
    if generated != committed:
        diff = difflib.unified_diff(
            committed.splitlines(), generated.splitlines(), "openapi.yaml", "code", lineterm="", n=1
        )
        shown = "\n".join(list(diff)[:40])
        pytest.fail(f"openapi.yaml differs from the code. Regenerate it with: {REGENERATE}\n{shown}")


def test_the_document_describes_the_whole_api(generated: str) -> None:
    paths = yaml.safe_load(generated)["paths"]
    for expected in (
        "/api/v1/ask",
        "/api/v1/feedback",
        "/api/v1/contacts",
        "/api/v1/contacts/{uuid}",
        "/api/v1/handovers",
        "/api/v1/handovers/{reference}/answer",
        "/api/v1/klantinteracties/klantcontacten",
        "/api/v1/klantinteracties/internetaken",
    ):
        assert expected in paths, expected
    assert "tokenAuth" in yaml.safe_load(generated)["components"]["securitySchemes"]


def test_the_schema_is_served(generated: str) -> None:
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content) == yaml.safe_load(generated)


def test_the_document_speaks_dutch_not_the_developers_docstrings(generated: str) -> None:
    """Operations and objects are described in Dutch where described at all; docstrings stay in the code."""
    document = yaml.safe_load(generated)
    descriptions = [
        operation.get("description", "")
        for path in document["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
    ] + [schema.get("description", "") for schema in document["components"]["schemas"].values()]
    english = [
        text
        for text in descriptions
        if any(f" {word} " in f" {text} " for word in ("the", "and", "with", "which"))
    ]
    assert english == []
