"""Who may open the staff screens (anonymous visitors go to the login page, others without the role get 403),
who may see a resident's details, and the log of every showing of them."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from antwoord.accounts.models import User
from antwoord.accounts.services import AnyUser, organisation_ids_with_role

from .models import Contact, Handover, PersonalDataView
from .routing import DESK_ROLES

if TYPE_CHECKING:  # appointments depends on contacts, not the other way round
    from antwoord.appointments.models import Booking

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


def log_personal_data_view(handover: Handover, viewer: User, purpose: str) -> None:
    if handover.resident_name or handover.resident_email or handover.resident_phone:
        PersonalDataView.objects.create(handover=handover, viewer=viewer, purpose=purpose[:100])


def may_see_caller(user: User, contact: Contact) -> bool:
    """The caller's name and address are for agents of the organisation that took the contact only."""
    return contact.taken_by_id in organisation_ids_with_role(user, DESK_ROLES)


def log_contact_details_view(contact: Contact, viewer: User, purpose: str) -> None:
    """Log that the caller details on a contact were shown (the desk); nothing is logged without any."""
    if contact.caller_name or contact.caller_email or contact.caller_phone:
        PersonalDataView.objects.create(contact=contact, viewer=viewer, purpose=purpose[:100])


def log_booking_details_view(booking: "Booking", viewer: User, purpose: str) -> None:
    """Log that an appointment's name and phone number were shown (the desk calls the resident)."""
    if booking.name or booking.email or booking.phone:
        PersonalDataView.objects.create(booking=booking, viewer=viewer, purpose=purpose[:100])
