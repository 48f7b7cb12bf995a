"""`antwoord serve`: prepare the database and run the web server in one process.

On the embedded default it migrates, loads the demo content into an empty catalogue, and serves on
127.0.0.1. In production run the same command behind a reverse proxy with ANTWOORD_DEBUG=0.
"""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication

from antwoord.demo.loader import load_demo
from antwoord.organisations.models import Organisation


class WebServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from antwoord.wsgi import application

        return application


class Command(BaseCommand):
    help = "Migrate, load the demo content into an empty catalogue, and run the web server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-demo", action="store_true", help="do not load demo content")

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_demo"] and not Organisation.objects.exists():
            for report in load_demo():
                report.write(self.stdout)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        address = f"{options['host']}:{options['port']}"
        self.stdout.write(
            f"ANTWOORD runs on http://{address}/ (beheer: http://{address}/beheer/). Stop with Ctrl+C."
        )
        WebServer(
            {
                "bind": address,
                "workers": options["workers"],
                "control_socket_disable": True,
                "accesslog": "-",
            }
        ).run()
