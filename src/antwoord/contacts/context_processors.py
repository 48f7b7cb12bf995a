"""What every staff page's navigation needs to know about the person looking."""

from collections.abc import Callable

from django.http import HttpRequest

from .services import may_see_figures


def staff_navigation(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    # A callable: the template asks only on pages that show the navigation, so other pages run no query.
    return {"may_see_figures": lambda: may_see_figures(request.user)}
