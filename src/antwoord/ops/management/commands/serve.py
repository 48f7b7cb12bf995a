"""`antwoord serve`: prepare the database and run everything ANTWOORD needs from one command.

On the embedded default it migrates, loads the demo content into an empty catalogue, and runs the web
server (gunicorn) with, beside it, the SMTP intake (`antwoord smtp-intake`) and the job worker
(`antwoord worker`) as child processes: gunicorn forks its web workers, and threads in a forking process
could leave locks held in the copies. The children stop with serve (Ctrl+C or SIGTERM). With the worker
running, the intake only stores mail and the worker turns it into contacts, so that one process fewer
holds the search index in memory.

In production run each as its own process behind a reverse proxy (ANTWOORD_DEBUG off, the default):
`antwoord serve --no-smtp --no-worker`, `antwoord smtp-intake --port 2525` and `antwoord worker`.
"""

import os
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn.app.base import BaseApplication

from antwoord.demo.loader import load_demo
from antwoord.organisations.models import Organisation

STARTUP_SECONDS = 20.0
STOP_SECONDS = 10.0


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
    help = (
        "Migrate, load the demo content into an empty catalogue, and run the web server, the SMTP intake "
        "and the job worker together. In production run them as separate processes: "
        "`antwoord serve --no-smtp --no-worker`, `antwoord smtp-intake --port 2525`, `antwoord worker`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address of the web server and SMTP intake")
        parser.add_argument("--port", type=int, default=8000, help="web server port (8000)")
        parser.add_argument("--workers", type=int, default=2, help="web server processes (2)")
        parser.add_argument("--smtp-port", type=int, default=2525, help="SMTP intake port (2525)")
        parser.add_argument("--no-smtp", action="store_true", help="do not run the SMTP intake")
        parser.add_argument("--no-worker", action="store_true", help="do not run the job worker")
        parser.add_argument("--worker-interval", type=float, default=10.0, help="seconds between job rounds")
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
        if "ANTWOORD_SITE_URL" not in os.environ:
            # Links in mails lead to this server unless a public address is configured; the children (the
            # worker sends mail) read it from their environment, the forked web workers from the settings.
            os.environ["ANTWOORD_SITE_URL"] = settings.SITE_URL = f"http://{address}"
        children = self._start_children(options)
        self.stdout.write(
            f"ANTWOORD runs on http://{address}/ (beheer: http://{address}/beheer/). Stop with Ctrl+C."
        )
        self.stdout.flush()
        try:
            WebServer(
                {
                    "bind": address,
                    "workers": options["workers"],
                    "control_socket_disable": True,
                    "accesslog": "-",
                    # A question of the full 500 characters fits in the address even if every character is
                    # an emoji (12 bytes as %XX): our page answers it, not the web server's English 414.
                    "limit_request_line": 8190,
                }
            ).run()
        finally:
            _stop(children)

    def _start_children(self, options: dict[str, Any]) -> list[subprocess.Popen[bytes]]:
        children = []
        try:
            if not options["no_smtp"]:
                host, port = options["host"], options["smtp_port"]
                storing_only = [] if options["no_worker"] else ["--no-processing"]
                intake = _antwoord("smtp-intake", "--host", host, "--port", str(port), *storing_only)
                children.append(intake)
                _wait_for_port(host, port, intake)
                self.stdout.write(f"SMTP intake on {host}:{port}.")
            if not options["no_worker"]:
                children.append(_antwoord("worker", "--interval", str(options["worker_interval"])))
                self.stdout.write(f"Job worker every {options['worker_interval']:g} s.")
        except BaseException:
            _stop(children)
            raise
        return children


def _antwoord(*args: str) -> "subprocess.Popen[bytes]":
    return subprocess.Popen([sys.executable, "-m", "antwoord.cli", *args, "--stop-with-parent"])


def _wait_for_port(host: str, port: int, process: "subprocess.Popen[bytes]") -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(f"The SMTP intake could not start on {host}:{port} (see above).")
        try:
            socket.create_connection((host, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise CommandError(f"The SMTP intake did not start on {host}:{port} within {STARTUP_SECONDS:g} s.")


def _stop(children: list["subprocess.Popen[bytes]"]) -> None:
    for child in children:
        child.terminate()
    for child in children:
        try:
            child.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
