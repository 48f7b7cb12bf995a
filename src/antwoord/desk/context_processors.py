"""What the staff links in the menus (the site header and the staff navigation) need to know about the person."""

from collections.abc import Callable
from functools import partial

from django.http import HttpRequest

from antwoord.accounts.services import AnyUser
from antwoord.contacts.services import may_register_contacts, may_see_figures, works_in_back_office

from .services import works_at_desk

# The very checks the staff views are guarded with (staff_only), so a menu links to a page exactly when the
# person may open it.
_PAGE_CHECKS: dict[str, Callable[[AnyUser], bool]] = {
    "works_at_desk": works_at_desk,
    "may_register_contacts": may_register_contacts,
    "works_in_back_office": works_in_back_office,
    "may_see_figures": may_see_figures,
}


def staff_navigation(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    # Callables: the template asks only on pages that show the links, so other pages run no query.
    return {name: partial(check, request.user) for name, check in _PAGE_CHECKS.items()}
