"""Logging that keeps the server log readable."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused or unknown request (4xx) is the visitor's doing, not a fault: Django logs its one line with the
    exception's traceback, which buries the real errors; keep the line, drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if 400 <= getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
