"""Resident pages: book an appointment, and manage it through the secret link. Plain forms, no JavaScript."""

from datetime import date, timedelta
from itertools import groupby
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.decorators import method_decorator
from django.views import View

from antwoord.accounts.models import User
from antwoord.catalogue.models import Offering
from antwoord.contacts import access
from antwoord.contacts.models import Contact
from antwoord.web.ratelimit import Limit, client_ip, too_many
from antwoord.web.secret_links import secret_link_page

from . import services
from .forms import BookingForm, StartForm
from .models import Booking, ServicePoint

DAYS_PER_PAGE = 7
# Why an agent saw a caller's details on the booking page, in the processing log.
CALLER_DETAILS_PURPOSE = "Klantcontactcentrum: afspraak gemaakt voor de beller"
# Bookings per client address (web.ratelimit): a household books a few; a script would take every free time
# and send confirmations to any address. Agents booking for callers are not limited.
BOOKING_LIMIT = Limit("booking", count=6, seconds=60 * 60)


def _not_available(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "appointments/not_available.html", {"message": message}, status=404)


def _first_day(request: HttpRequest) -> tuple[date, str]:
    """The `van` parameter, or the nearest page of bookable days with a message when it could not be used."""
    today = timezone.localdate()
    raw = request.GET.get("van", "")
    if not raw:
        return today, ""
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        return today, "Deze datum kennen wij niet. U ziet de eerstvolgende dagen."
    try:
        services.check_first_day(day, today)
    except services.AppointmentError as error:
        last_page = services.last_bookable_day(today) - timedelta(days=DAYS_PER_PAGE - 1)
        nearest = today if day < today else max(today, last_page)
        return nearest, f"{error.message} U ziet nu de dagen die er het dichtst bij liggen."
    return day, ""


def _week(request: HttpRequest, point: ServicePoint, offering: Offering, base: str) -> dict[str, Any]:
    """Free times of one page of days, grouped per day, with links to the pages before and after."""
    first, date_message = _first_day(request)
    slots = services.free_slots(point, offering, first, DAYS_PER_PAGE)
    days = [
        (day, [(timezone.localtime(s.starts_at).isoformat(), s) for s in day_slots])
        for day, day_slots in groupby(slots, key=lambda s: timezone.localdate(s.starts_at))
    ]
    earlier = first - timedelta(days=DAYS_PER_PAGE)
    today = timezone.localdate()
    later = first + timedelta(days=DAYS_PER_PAGE)
    return {
        "days": days,
        "first_day": first,
        "last_day": first + timedelta(days=DAYS_PER_PAGE - 1),
        "date_message": date_message,
        "earlier_url": f"{base}van={max(earlier, today).isoformat()}" if first > today else "",
        "later_url": f"{base}van={later.isoformat()}" if later <= services.last_bookable_day(today) else "",
    }


class NewBookingView(View):
    """/afspraken/nieuw/?aanbod=<offering>[&loket=<service point>][&van=<date>]"""

    def _offering(self, request: HttpRequest) -> Offering | None:
        # isascii: str.isdigit() also accepts digits such as "²" that int() refuses.
        raw = request.GET.get("aanbod", "")
        if not (raw.isascii() and raw.isdigit()):
            return None
        return Offering.objects.select_related("organisation").filter(pk=int(raw)).first()

    def _contact(self, request: HttpRequest) -> Contact | None:
        """The desk contact an agent books for (`contact`), when the agent may see its caller; else none."""
        if self.agent is None:
            return None
        try:
            uuid = UUID(request.GET.get("contact", ""))
        except ValueError:
            return None
        contact = Contact.objects.filter(uuid=uuid).first()
        return contact if contact is not None and access.may_see_caller(self.agent, contact) else None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        offering = self._offering(request)
        if offering is None:
            return _not_available(request, "Dit product kennen wij niet. Zoek het product opnieuw op.")
        points = list(services.service_points_for(offering).select_related("organisation"))
        if not points:
            return _not_available(request, "Voor dit product kunt u bij ons geen afspraak maken.")
        # A KCC agent who books here for a resident (on the phone) is recorded, as through the API.
        user = request.user
        self.agent = user if isinstance(user, User) and services.books_for_residents(user) else None
        self.contact = self._contact(request)
        # What every link on the way keeps: the offering, and the contact booked for.
        query = f"aanbod={offering.pk}" + (f"&contact={self.contact.uuid}" if self.contact else "")
        chosen = request.GET.get("loket", "")
        point = next((p for p in points if str(p.pk) == chosen), None)
        if chosen and point is None:
            message = "Deze locatie kennen wij niet voor dit product. Kies een van deze locaties."
            context = {"offering": offering, "points": points, "message": message, "query": query}
            return render(request, "appointments/choose_point.html", context, status=404)
        point = point or (points[0] if len(points) == 1 else None)
        if point is None:
            context = {"offering": offering, "points": points, "query": query}
            return render(request, "appointments/choose_point.html", context)
        self.offering, self.point, self.query = offering, point, query
        return super().dispatch(request, *args, **kwargs)

    def _form(self, *args: Any, **kwargs: Any) -> BookingForm:
        form = BookingForm(*args, **kwargs)
        return form.for_agent() if self.agent else form

    def get(self, request: HttpRequest) -> HttpResponse:
        if self.contact is None:
            return self._page(request, self._form())
        # The agent books for the caller: the details the caller gave at the desk, shown and so logged.
        assert self.agent is not None  # a contact is only taken for an agent
        access.log_contact_details_view(self.contact, self.agent, CALLER_DETAILS_PURPOSE)
        caller = {
            "name": self.contact.caller_name,
            "email": self.contact.caller_email,
            "phone": self.contact.caller_phone,
        }
        return self._page(request, self._form(initial=caller))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        limited = self.agent is None  # agents book for callers all day
        if limited and BOOKING_LIMIT.exceeded(client_ip(request)):
            organisation = self.offering.organisation
            call = f"bel {organisation}" + (f" ({organisation.phone})" if organisation.phone else "")
            message = (
                f"U hebt in korte tijd veel afspraken gemaakt. Probeer het over {BOOKING_LIMIT.wait_in_words()} "
                f"opnieuw, of {call}."
            )
            return too_many(request, BOOKING_LIMIT, message)
        try:
            booking = services.book(
                self.point,
                self.offering,
                form.cleaned_data["start"],
                booked_by=self.agent,
                contact=self.contact,
                **form.values(),
            )
        except services.AppointmentError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self._page(
                request, form, status=409 if isinstance(error, services.BookingConflictError) else 400
            )
        if limited:  # only bookings made count: a time just taken by someone else is no booking
            BOOKING_LIMIT.hit(client_ip(request))
        return HttpResponseRedirect(services.manage_path(booking) + "?gemaakt=1")

    def _page(self, request: HttpRequest, form: BookingForm, status: int = 200) -> HttpResponse:
        base = f"{reverse('appointments:new')}?{self.query}&loket={self.point.pk}&"
        context = {
            "offering": self.offering,
            "point": self.point,
            "query": self.query,
            "contact": self.contact,
            "by_agent": self.agent is not None,
            "form": form,
            "selected": form.data.get("start", ""),
            "can_choose_point": services.service_points_for(self.offering).count() > 1,
            **_week(request, self.point, self.offering, base),
        }
        return render(request, "appointments/new.html", context, status=status)


@method_decorator(secret_link_page, name="dispatch")
class BookingLinkView(View):
    """Views behind the resident's secret link: wrong reference or token is a plain 404."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.booking = services.find_booking(kwargs["reference"], kwargs["token"])
        except services.BookingNotFoundError as error:
            return _not_available(request, error.message)
        self.token = kwargs["token"]
        return super().dispatch(request)

    def manage_page(self, **flags: str) -> HttpResponseRedirect:
        query = "&".join(f"{flag}=1" for flag in flags)
        return HttpResponseRedirect(services.manage_path(self.booking) + (f"?{query}" if query else ""))


class ManageView(BookingLinkView):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = {"booking": self.booking, "now": timezone.now(), "flags": request.GET}
        contact, user = self.booking.contact, request.user
        if contact is not None and isinstance(user, User) and access.may_see_caller(user, contact):
            context["back_to_contact"] = reverse("desk:contact", args=[contact.uuid])
        return render(request, "appointments/manage.html", context)


class CancelView(BookingLinkView):
    def get(self, request: HttpRequest) -> HttpResponse:
        """Asks first: one click on the manage page must not cancel an appointment that took weeks to get."""
        if not (self.booking.is_active and self.booking.starts_at > timezone.now()):
            return self.manage_page()
        return render(request, "appointments/cancel.html", {"booking": self.booking, "token": self.token})

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            self.booking = services.cancel(self.booking, self.token)
        except services.AppointmentError as error:
            self.booking.refresh_from_db()
            if not self.booking.is_active:  # a second click, or the first request was ahead: it is done
                return self.manage_page(geannuleerd="1")
            context = {"booking": self.booking, "now": timezone.now(), "error": error.message, "flags": {}}
            return render(request, "appointments/manage.html", context, status=400)
        return self.manage_page(geannuleerd="1")


class MoveView(BookingLinkView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, StartForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StartForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=400)
        try:
            self.booking = services.move(self.booking, self.token, form.cleaned_data["start"])
        except services.AppointmentError as error:
            form.add_error("start", error.message)
            return self._page(
                request, form, status=409 if isinstance(error, services.BookingConflictError) else 400
            )
        return self.manage_page(verzet="1")

    def _page(self, request: HttpRequest, form: StartForm, status: int = 200) -> HttpResponse:
        booking: Booking = self.booking
        base = f"{reverse('appointments:move', args=[booking.reference, self.token])}?"
        context = {
            "booking": booking,
            "form": form,
            "selected": form.data.get("start", ""),
            **_week(request, booking.service_point, booking.offering, base),
        }
        return render(request, "appointments/move.html", context, status=status)
