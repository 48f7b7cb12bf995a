"""Who may open the staff screens: anonymous visitors go to the login page, others without the role get 403."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from antwoord.accounts.services import AnyUser

View = Callable[..., HttpResponse]


def staff_only(allowed: Callable[[AnyUser], bool]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("desk:login"))
            if not allowed(request.user):
                raise PermissionDenied("U hebt geen toegang tot deze pagina.")
            return view(request, *args, **kwargs)

        return guarded

    return decorate
