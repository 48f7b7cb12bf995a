"""`antwoord ask "vraag" [--postcode 3511] [--audience burger|ondernemer] [--json]`, or `--batch FILE.jsonl`."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from antwoord.answers.engine.decide import Response
from antwoord.answers.services import AUDIENCES, ask
from antwoord.lib.text import parse_json


class Command(BaseCommand):
    help = "Ask the answer engine a question, or many (--batch FILE.jsonl, one result per line)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("question", nargs="?", default=None)
        parser.add_argument("--postcode", default="")
        parser.add_argument(
            "--municipality",
            default="",
            help="municipality name or code, or another place name (Haren), instead of a postcode",
        )
        parser.add_argument("--audience", default="", choices=AUDIENCES)
        parser.add_argument("--json", action="store_true", help="print the full response as JSON")
        parser.add_argument(
            "--batch", type=Path, help="JSONL with id, question and optional postcode/audience"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"]:
            self._batch(options["batch"])
            return
        if options["question"] is None:
            raise CommandError("Give a question, or --batch FILE.jsonl.")
        response = ask(
            options["question"],
            postcode=options["postcode"],
            municipality=options["municipality"],
            audience=options["audience"],
        )
        self.stdout.write(
            json.dumps(response.as_dict(), ensure_ascii=False, indent=2)
            if options["json"]
            else _text(response)
        )

    def _batch(self, path: Path) -> None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot be read as UTF-8 ({error})") from error
        for number, line in enumerate(lines, start=1):
            if line.strip():
                self.stdout.write(json.dumps(_batch_result(number, line), ensure_ascii=False))


def _batch_result(number: int, line: str) -> dict[str, Any]:
    try:
        item = parse_json(line)
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise ValueError("expected an object with a 'question' string")
    except ValueError as error:
        return {"id": None, "line": number, "error": f"line {number}: {error}"}
    response = ask(
        item["question"],
        postcode=str(item.get("postcode") or ""),
        municipality=str(item.get("municipality") or ""),
        audience=str(item.get("audience") or ""),
    )
    return {"id": item.get("id"), **response.as_dict()}


def _text(response: Response) -> str:
    lines = [f"{response.status} (zekerheid {response.confidence:.2f})"]
    if response.answer:
        answer = response.answer
        lines.append(f"{answer.title} — {answer.organisation.get('name', '')}")
        lines.append(answer.snippet)
        if answer.url:
            lines.append(answer.url)
    if response.message:
        lines.append(response.message)
    return "\n".join(lines)
