"""The back office: the queue of handovers, the page to work one, and the steering figures for managers.
No JavaScript needed.

A handover of another organisation is "not found" (404), not "forbidden": its reference must not leak.
"""

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from antwoord.accounts.models import User
from antwoord.accounts.services import organisation_ids_with_role
from antwoord.lib.text import spreadsheet_safe
from antwoord.organisations.models import Organisation

from . import access, jobs, services
from .access import staff_only
from .forms import (
    DEFAULT_PERIOD,
    OPEN,
    AnswerForm,
    AssignForm,
    ClaimForm,
    FiguresFilterForm,
    ForwardForm,
    PurposeForm,
    QueueFilterForm,
)
from .models import Handover, HandoverQuerySet, Team
from .services import FIGURES_ROLES, ConflictError, ContactError

QUEUE_LIMIT = 500


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # staff_only let only signed-in users through
    return request.user


@require_GET
@staff_only(services.works_in_back_office)
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    handovers = services.visible_handovers(user)
    teams = Team.objects.filter(organisation_id__in=handovers.values("organisation_id")).order_by("name")
    filters = QueueFilterForm(request.GET or {"status": OPEN}, teams=teams)
    status = 200
    if filters.is_valid():
        handovers = _filtered(handovers, filters.cleaned_data, user)
    else:
        handovers = handovers.open()
        status = 400
    context = {
        "filters": filters,
        "handovers": handovers.order_by("priority", "due_on", "created_at")[:QUEUE_LIMIT],
        "overdue_counts": services.overdue_counts(user),
    }
    return render(request, "contacts/queue.html", context, status=status)


def _filtered(handovers: HandoverQuerySet, data: dict[str, Any], user: User) -> HandoverQuerySet:
    if data["status"] == OPEN:
        handovers = handovers.open()
    elif data["status"]:
        handovers = handovers.filter(status=data["status"])
    if data["team"]:
        handovers = handovers.filter(team=data["team"])
    if data["mine"]:
        handovers = handovers.filter(assigned_to=user)
    if data["overdue"]:
        handovers = handovers.overdue()
    return handovers


def _visible_or_404(request: HttpRequest, reference: str) -> Handover:
    handover = services.visible_handovers(_user(request)).filter(reference=reference).first()
    if handover is None:
        raise Http404("Deze overdracht bestaat niet of hoort niet bij uw organisatie.")
    return handover


@require_GET
@staff_only(services.works_in_back_office)
def handover_detail(request: HttpRequest, reference: str) -> HttpResponse:
    handover = _visible_or_404(request, reference)
    purpose = PurposeForm(request.GET if "doel" in request.GET else None)
    show_personal_data = handover.keeps_resident_details and purpose.is_valid()
    if show_personal_data:
        access.log_personal_data_view(handover, _user(request), purpose.cleaned_data["doel"])
    return _detail_page(request, handover, purpose=purpose, show_personal_data=show_personal_data)


def _detail_page(
    request: HttpRequest,
    handover: Handover,
    *,
    status: int = 200,
    purpose: PurposeForm | None = None,
    show_personal_data: bool = False,
    **forms: Any,
) -> HttpResponse:
    user = _user(request)
    context: dict[str, Any] = {
        "handover": handover,
        "contact": handover.contact,
        "history": services.history_for(user, handover),
        "handover_note": services.handover_note(handover),
        "purpose_form": purpose or PurposeForm(),
        "show_personal_data": show_personal_data,
        "assign_form": AssignForm(handover=handover, colleagues=services.colleagues(handover)),
        "forward_form": ForwardForm(handover=handover),
        "answer_form": AnswerForm(),
        **forms,
    }
    return render(request, "contacts/handover_detail.html", context, status=status)


def _act(
    request: HttpRequest,
    handover: Handover,
    form_name: str,
    form: Any,
    action: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """Carry out a valid form's action and go back to the page; otherwise show the page with the reason
    (409 when someone else was ahead: the handover was closed or taken in the meantime)."""
    if form.is_valid():
        try:
            done = action(form.cleaned_data)
        except ConflictError as error:
            return _refused(request, handover, error, status=409)
        except ContactError as error:
            form.add_error(None, str(error))
        except PermissionError as error:
            return _refused(request, handover, error, status=403)
        else:
            messages.success(request, done)
            return redirect("contacts:handover-detail", reference=handover.reference)
    handover.refresh_from_db()
    return _detail_page(request, handover, status=400, failed_form=form, **{form_name: form})


def _refused(request: HttpRequest, handover: Handover, error: Exception, *, status: int) -> HttpResponse:
    """Not a mistake in the form but a refusal: said on top of the page as it now is."""
    messages.error(request, str(error))
    handover.refresh_from_db()
    return _detail_page(request, handover, status=status)


@require_POST
@staff_only(services.works_in_back_office)
def claim(request: HttpRequest, reference: str) -> HttpResponse:
    handover = _visible_or_404(request, reference)

    def action(_: dict[str, Any]) -> str:
        services.claim(handover, _user(request))
        return "U hebt de vraag opgepakt."

    return _act(request, handover, "claim_form", ClaimForm(request.POST), action)


@require_POST
@staff_only(services.works_in_back_office)
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    handover = _visible_or_404(request, reference)
    form = AssignForm(request.POST, handover=handover, colleagues=services.colleagues(handover))

    def action(data: dict[str, Any]) -> str:
        assignee, team = data["assignee"], data["team"]
        new_assignee = assignee is not None and assignee.pk != handover.assigned_to_id
        new_team = (team.pk if team else None) != handover.team_id
        if not new_assignee and not new_team:
            raise ContactError("Kies een andere collega of een ander team.")
        done = []
        with transaction.atomic():  # both changes, or neither
            if new_assignee:
                services.assign(handover, _user(request), assignee)
                done.append(f"De vraag is toegewezen aan {assignee}.")
            if new_team:
                services.set_team(handover, _user(request), team)
                done.append(
                    f"De vraag staat bij team {team.name}." if team else "De vraag staat bij geen team."
                )
        return " ".join(done)

    return _act(request, handover, "assign_form", form, action)


@require_POST
@staff_only(services.works_in_back_office)
def forward(request: HttpRequest, reference: str) -> HttpResponse:
    handover = _visible_or_404(request, reference)
    form = ForwardForm(request.POST, handover=handover)

    def action(data: dict[str, Any]) -> str:
        successor = services.forward(handover, _user(request), data["organisation"], data["note"])
        return f"De vraag is doorgestuurd naar {successor.organisation.name}."

    return _act(request, handover, "forward_form", form, action)


@require_POST
@staff_only(services.works_in_back_office)
def answer(request: HttpRequest, reference: str) -> HttpResponse:
    handover = _visible_or_404(request, reference)
    form = AnswerForm(request.POST)

    def action(data: dict[str, Any]) -> str:
        services.answer_handover(handover, _user(request), data["answer"])
        if handover.resident_email:
            return "Het antwoord is verstuurd naar de inwoner."
        return "De vraag is afgehandeld."

    return _act(request, handover, "answer_form", form, action)


# --- steering figures ---------------------------------------------------------------------------------


@require_GET
@staff_only(services.may_see_figures)
def figures(request: HttpRequest) -> HttpResponse:
    filters, context = _figures(request, jobs.TOP_PRODUCTS)
    return render(request, "contacts/figures.html", context, status=200 if filters.is_valid() else 400)


@require_GET
@staff_only(services.may_see_figures)
def figures_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as the page, every product included, as a CSV file a spreadsheet opens (Dutch Excel:
    semicolons, and UTF-8 with a byte-order mark so accents survive)."""
    filters, context = _figures(request, None)
    if not filters.is_valid():
        return render(request, "contacts/figures.html", context, status=400)
    figures: jobs.SteeringFigures = context["figures"]
    chosen: Organisation | None = context["organisation"]
    name = f"stuurinformatie-{chosen.code if chosen else 'alle'}-{figures.first_day}-{figures.last_day}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(jobs.FIGURES_COLUMNS)
    for row in jobs.figures_rows(figures):
        writer.writerow([spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row])
    return response


def _figures(request: HttpRequest, top: int | None) -> tuple[FiguresFilterForm, dict[str, Any]]:
    """The filter form and, when its choices are valid and the user's to make, the figures they ask for."""
    user = _user(request)
    filters = FiguresFilterForm(
        request.GET or {"period": DEFAULT_PERIOD},
        organisations=_steered_organisations(user),
        all_label="Alle organisaties" if user.is_superuser else "Al mijn organisaties",
    )
    if not filters.is_valid():  # nothing is counted for a choice the user may not make
        return filters, {"filters": filters}
    chosen: Organisation | None = filters.cleaned_data["organisation"]
    return filters, {
        "filters": filters,
        "organisation": chosen,
        "today": timezone.localdate(),
        "top_products": jobs.TOP_PRODUCTS,
        "figures": jobs.steering_figures(
            filters.cleaned_data["first_day"],
            filters.cleaned_data["last_day"],
            [chosen.pk] if chosen else _all_steered_ids(user),
            top,
        ),
    }


def _steered_organisations(user: User) -> QuerySet[Organisation]:
    """The organisations whose figures the user may see: those he manages or writes the content of; a
    superuser any of them."""
    organisations = Organisation.objects.order_by("name")
    if user.is_superuser:
        return organisations
    return organisations.filter(pk__in=organisation_ids_with_role(user, FIGURES_ROLES))


def _all_steered_ids(user: User) -> set[int] | None:
    """What "all organisations" means: for a superuser every one (None), for others all of theirs."""
    return None if user.is_superuser else organisation_ids_with_role(user, FIGURES_ROLES)
