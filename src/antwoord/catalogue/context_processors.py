"""What the administration's start page tells a reviewer about his work."""

from collections.abc import Callable
from functools import partial

from django.http import HttpRequest

from .services import proposals_to_review


def review_work(request: HttpRequest) -> dict[str, Callable[[], int]]:
    # A callable: only the page that shows the number asks the database for it.
    return {"proposals_to_review": partial(proposals_to_review, request.user)}
