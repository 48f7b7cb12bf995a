"""The agent desk: search, start a contact, and close it as answered or hand it over. No JavaScript needed."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from antwoord.accounts.models import User
from antwoord.answers.services import ask
from antwoord.appointments import services as appointments
from antwoord.appointments.models import Booking
from antwoord.contacts import access, routing
from antwoord.contacts import services as contacts
from antwoord.contacts.access import staff_only
from antwoord.contacts.models import Contact, Outcome
from antwoord.contacts.services import ConflictError, ContactError
from antwoord.web.ratelimit import Limit, client_ip, too_many

from . import services
from .forms import (
    CancelBookingForm,
    CloseContactForm,
    HandoverForm,
    RegisterFilterForm,
    ReplyForm,
    SearchForm,
    StartContactForm,
)

REGISTER_PAGE_SIZE = 50


# Failed logins per username and client address: stops guessing passwords, while a colleague who
# mistypes at the same office is not locked out of their own account.
LOGIN_LIMIT = Limit("login", count=10, seconds=15 * 60)


class StaffLoginView(LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def _attempt(self) -> str:
        username = str(self.request.POST.get("username", ""))[:150].strip().lower()
        return f"{username}|{client_ip(self.request)}"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if LOGIN_LIMIT.exceeded(self._attempt()):
            return too_many(
                request,
                LOGIN_LIMIT,
                "U hebt te vaak een verkeerde gebruikersnaam of een verkeerd wachtwoord ingevuld. "
                f"Wacht {LOGIN_LIMIT.wait_in_words()} en probeer het dan opnieuw.",
            )
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        LOGIN_LIMIT.hit(self._attempt())
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        LOGIN_LIMIT.reset(self._attempt())
        return super().form_valid(form)

    def get_default_redirect_url(self) -> str:
        """Agents land on the desk, back-office staff and managers on their queue, editors in the admin."""
        user = self.request.user
        if services.works_at_desk(user):
            return reverse("desk:home")
        if contacts.works_in_back_office(user):
            return reverse("contacts:queue")
        if user.is_staff:
            return reverse("admin:index")
        return "/"


class StaffLogoutView(LogoutView):
    next_page = "desk:login"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_only let only signed-in users through
    return request.user


@require_GET
@staff_only(services.works_at_desk)
def home(request: HttpRequest) -> HttpResponse:
    return _home(request, StartContactForm())


def _home(
    request: HttpRequest,
    start_form: StartContactForm,
    status: int = 200,
    *,
    search: SearchForm | None = None,
    cancel_form: CancelBookingForm | None = None,
) -> HttpResponse:
    search = search or SearchForm(request.GET if "q" in request.GET else None)
    context: dict[str, Any] = {"search": search, "start_form": start_form}
    if search.is_valid():
        query = search.cleaned_data["q"]
        # A caller names the reference from a mail: where it stands, not an answer search.
        reference = services.spoken_reference(query)
        found = _found_by_reference(_user(request), reference, cancel_form) if reference else {}
        context.update(found)
        if not found:
            # Written with a dash or a digit it was meant as a reference (mistyped, or another organisation's);
            # a word such as "aanvragen" was not.
            context["reference_not_found"] = bool(reference) and any(c == "-" or c.isdigit() for c in query)
            response = ask(query, postcode=search.cleaned_data["postcode"])
            context.update(response=response, answers=services.with_notes(services.answers_of(response)))
    context["bookings_to_call"] = services.bookings_to_call(_user(request))[: services.MAX_BOOKINGS_TO_CALL]
    context["open_contacts"] = Contact.objects.filter(agent=_user(request), outcome=Outcome.OPEN)[:20]
    context["open_emails"] = services.open_emails(_user(request))[: services.MAX_OPEN_EMAILS]
    return render(request, "desk/home.html", context, status=status)


def _found_by_reference(agent: User, reference: str, cancel_form: CancelBookingForm | None) -> dict[str, Any]:
    """The question or appointment of the agent's organisation with this reference; nothing of anyone else's
    (an empty dict)."""
    if reference.startswith("B-"):
        booking = services.booking_by_reference(agent, reference)
        if booking is not None:
            coming = booking.starts_at > timezone.now()
            call_resident = booking.to_call and coming  # name and phone number shown, to call him
            if call_resident:
                access.log_booking_details_view(booking, agent, services.CALL_ABOUT_BOOKING_PURPOSE)
            return {
                "found_booking": booking,
                "call_resident": call_resident,
                "cancel_form": (cancel_form or CancelBookingForm()) if booking.is_active and coming else None,
            }
    elif (handover := services.handover_by_reference(agent, reference)) is not None:
        return {"found_handover": handover}
    return {}


@require_POST
@staff_only(services.works_at_desk)
def start(request: HttpRequest) -> HttpResponse:
    form = StartContactForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        earlier = services.resent_start(_user(request), data["channel"], data["question"])
        if earlier is not None:
            messages.success(request, "Dit contact was al gestart.")
            return redirect("desk:contact", contact_uuid=earlier.uuid)
        try:
            with transaction.atomic():
                contact = contacts.start_contact(
                    data["channel"],
                    data["question"],
                    agent=_user(request),
                    audience=data["audience"],
                    municipality=services.place_of(data["postcode"], data["municipality"]),
                )
                services.note_caller(
                    contact,
                    name=data["caller_name"],
                    email=data["caller_email"],
                    phone=data["caller_phone"],
                )
                contacts.note_engine_response(contact, services.ask_for(contact))
        except ContactError as error:
            form.add_error(None, str(error))
        else:
            return redirect("desk:contact", contact_uuid=contact.uuid)
    return _home(request, form, status=400)


def _contact_or_404(request: HttpRequest, contact_uuid: UUID) -> Contact:
    contact = services.desk_contact(_user(request), contact_uuid)
    if contact is None:
        raise Http404("Dit contact bestaat niet of hoort niet bij uw organisatie.")
    return contact


@require_GET
@staff_only(services.works_at_desk)
def contact_detail(request: HttpRequest, contact_uuid: UUID) -> HttpResponse:
    contact = _contact_or_404(request, contact_uuid)
    return _contact_page(request, contact)


def _contact_page(
    request: HttpRequest,
    contact: Contact,
    close_form: CloseContactForm | None = None,
    handover_form: HandoverForm | None = None,
    reply_form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "contact": contact,
        "handovers": contact.handovers.select_related("organisation", "intended_for"),
        "bookings": contact.bookings.select_related("service_point", "offering"),
        "now": timezone.now(),
        "failed_form": close_form or handover_form or reply_form,
        # Caller details are personal data: only for the desk of the organisation that took the contact,
        # and every showing goes into the processing log.
        "show_caller": access.may_see_caller(_user(request), contact),
        "booking_offering": services.bookable_offerings([contact.answer_key]).get(contact.answer_key),
        **services.thread_of(_user(request), contact),
    }
    if context["show_caller"]:
        access.log_contact_details_view(contact, _user(request), services.CALLER_DETAILS_PURPOSE)
    if contact.ended_at is None:
        response = services.ask_for(contact)
        suggestion = routing.responsible_organisation(response, place=contact.municipality)
        receiving = routing.receiving_organisation(suggestion) if suggestion else None
        proposed = services.proposed_answer(response)
        context.update(
            response=response,
            answers=services.with_notes(services.answers_of(response)),
            suggestion=suggestion,
            suggestion_receiving=receiving,
            suggestion_unstaffed=receiving is not None and not routing.has_back_office(receiving),
            close_form=close_form
            or CloseContactForm(initial={"answer_key": proposed.key if proposed else ""}),
            handover_form=handover_form
            or HandoverForm(
                initial={
                    "organisation": suggestion,
                    **(services.caller_initial(contact) if context["show_caller"] else {}),
                },
                asking_for=suggestion,
            ),
        )
        if context["show_caller"] and contact.caller_email:
            context["reply_form"] = reply_form or ReplyForm(
                initial=services.reply_initial(response, contact.caller_name)
            )
        elif reply_form is not None:
            # No reply form on the page (no address, or not this agent's to see): its errors go on top.
            for error in reply_form.non_field_errors():
                messages.error(request, str(error))
    return render(request, "desk/contact.html", context, status=status)


def _refused(request: HttpRequest, contact: Contact, error: Exception, *, status: int) -> HttpResponse:
    """Not a mistake in the form but a refusal (a colleague was ahead, or not this agent's to do): said
    on top of the page as it now is, not as something to correct."""
    messages.error(request, str(error))
    contact.refresh_from_db()
    return _contact_page(request, contact, status=status)


@require_POST
@staff_only(services.works_at_desk)
def close(request: HttpRequest, contact_uuid: UUID) -> HttpResponse:
    contact = _contact_or_404(request, contact_uuid)
    form = CloseContactForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            answer = services.used_answer(contact, data["answer_key"])
            with transaction.atomic():
                contacts.pick_up(contact, _user(request))
                contacts.close_contact(contact, data["outcome"], answer=answer, note=data["note"])
        except ConflictError as error:
            return _refused(request, contact, error, status=409)
        except ContactError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Het contact is afgerond: {contact.get_outcome_display().lower()}.")
            return redirect("desk:contact", contact_uuid=contact.uuid)
    contact.refresh_from_db()
    return _contact_page(request, contact, close_form=form, status=400)


@require_POST
@staff_only(services.works_at_desk)
def cancel_booking(request: HttpRequest, contact_uuid: UUID, reference: str) -> HttpResponse:
    """The caller asks to cancel an appointment booked during this contact (without e-mail he has no link)."""
    contact = _contact_or_404(request, contact_uuid)
    booking = contact.bookings.filter(reference=reference).first()
    if booking is None:
        raise Http404("Deze afspraak hoort niet bij dit contact.")
    if not access.may_see_caller(_user(request), contact):
        error = PermissionError(
            "Alleen het klantcontactcentrum dat dit contact had, kan de afspraak annuleren."
        )
        return _refused(request, contact, error, status=403)
    try:
        appointments.cancel_for_resident(booking, services.CANCELLED_ON_REQUEST, asked=True)
    except appointments.AppointmentError as error:
        return _refused(request, contact, error, status=409)
    messages.success(request, f"De afspraak {booking.reference} is geannuleerd. {_told(booking)}")
    return redirect("desk:contact", contact_uuid=contact.uuid)


def _booking_or_404(request: HttpRequest, reference: str) -> Booking:
    booking = services.booking_by_reference(_user(request), reference)
    if booking is None:
        raise Http404("Er is geen afspraak met dit kenmerk bij uw organisatie.")
    return booking


def _told(booking: Booking) -> str:
    """Whether the resident hears of the cancellation by mail, said to the agent who cancelled it."""
    return "De inwoner krijgt een e-mail." if booking.email else "Zeg het de beller: er gaat geen e-mail."


@require_POST
@staff_only(services.works_at_desk)
def cancel_booking_by_reference(request: HttpRequest, reference: str) -> HttpResponse:
    """The caller names his appointment's reference and asks to cancel it: registered as a contact."""
    booking = _booking_or_404(request, reference)
    search = SearchForm({"q": booking.reference})
    form = CancelBookingForm(request.POST)
    if not form.is_valid():
        return _home(request, StartContactForm(), 400, search=search, cancel_form=form)
    try:
        contact = services.cancel_booking_on_call(_user(request), booking, form.cleaned_data["channel"])
    except appointments.AppointmentError as error:
        messages.error(request, str(error))
        return _home(request, StartContactForm(), 409, search=search)
    messages.success(
        request,
        f"De afspraak {booking.reference} is geannuleerd en het contact is afgerond. {_told(booking)}",
    )
    return redirect("desk:contact", contact_uuid=contact.uuid)


@require_POST
@staff_only(services.works_at_desk)
def booking_called(request: HttpRequest, reference: str) -> HttpResponse:
    """The agent called the resident whose appointment we cancelled: off the list."""
    booking = _booking_or_404(request, reference)
    if services.note_called(booking, _user(request)):
        messages.success(request, f"Genoteerd: de inwoner van afspraak {booking.reference} is gebeld.")
    else:  # a colleague was ahead, or a second click
        messages.success(request, f"Afspraak {booking.reference} staat niet (meer) op de lijst om te bellen.")
    return redirect("desk:home")


@require_POST
@staff_only(services.works_at_desk)
def reply(request: HttpRequest, contact_uuid: UUID) -> HttpResponse:
    contact = _contact_or_404(request, contact_uuid)
    form = ReplyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            answer = services.used_answer(contact, data["answer_key"])
            mail = services.reply_by_email(contact, _user(request), data["reply"], answer=answer)
        except ConflictError as error:
            return _refused(request, contact, error, status=409)
        except ContactError as error:
            form.add_error(None, str(error))
        except PermissionError as error:
            return _refused(request, contact, error, status=403)
        else:
            messages.success(request, f"Uw antwoord gaat per e-mail naar {mail.to}. Het contact is afgerond.")
            return redirect("desk:contact", contact_uuid=contact.uuid)
    contact.refresh_from_db()
    return _contact_page(request, contact, reply_form=form, status=400)


@require_POST
@staff_only(services.works_at_desk)
def hand_over(request: HttpRequest, contact_uuid: UUID) -> HttpResponse:
    contact = _contact_or_404(request, contact_uuid)
    form = HandoverForm.as_sent(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            handover = services.hand_over_from_desk(
                contact,
                data["organisation"],
                requested_action=data["requested_action"],
                priority=data["priority"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                note=data["note"],
                extra_answers=form.extra_answers(),
                actor=_user(request),
            )
        except ConflictError as error:
            return _refused(request, contact, error, status=409)
        except ContactError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(
                request,
                f"Overgedragen aan {handover.organisation.name}"
                + (f" (voor {handover.intended_for.name})" if handover.intended_for else "")
                + f" met kenmerk {handover.reference}. "
                f"Uiterste datum: {handover.due_on:%d-%m-%Y}.",
            )
            return redirect("desk:contact", contact_uuid=contact.uuid)
    contact.refresh_from_db()
    return _contact_page(request, contact, handover_form=form, status=400)


@require_GET
@staff_only(contacts.may_register_contacts)
def register(request: HttpRequest) -> HttpResponse:
    filters = RegisterFilterForm(request.GET)
    contacts_list = services.register_for(request.user)
    status = 200
    if filters.is_valid():
        if filters.cleaned_data["kanaal"]:
            contacts_list = contacts_list.filter(channel=filters.cleaned_data["kanaal"])
        if filters.cleaned_data["uitkomst"]:
            contacts_list = contacts_list.filter(outcome=filters.cleaned_data["uitkomst"])
    else:
        status = 400
    page = Paginator(contacts_list, REGISTER_PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = services.register_rows(_user(request), page.object_list)
    return render(
        request, "desk/register.html", {"filters": filters, "page": page, "rows": rows}, status=status
    )
