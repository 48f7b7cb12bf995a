"""Public pages: the resident's counter, and the catalogue of organisations, products and answers."""

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from antwoord.catalogue.models import Article, Product
from antwoord.contacts.models import HandoverStatus
from antwoord.contacts.routing import has_back_office, receiving_organisation
from antwoord.contacts.services import (
    ConflictError,
    ContactError,
    current_of,
    find_for_resident,
    question_as_sent,
)
from antwoord.lib.text import render_markdown
from antwoord.organisations.models import Layer, Organisation

from . import services
from .forms import PLACE_MAX_LENGTH, FeedbackForm, HandoverForm, QuestionForm
from .ratelimit import Limit, client_ip, too_many
from .secret_links import secret_link_page

HOME_LIST_SIZE = 60
PAGE_SIZE = 100
# Per client address (see ratelimit.py). Asking is generous: a person asks a few questions a minute at
# most. Handing over sends a mail to the address the visitor typed in, so it is strict.
ASK_LIMIT = Limit("ask", count=60, seconds=60)
HANDOVER_LIMIT = Limit("handover", count=5, seconds=10 * 60)
ALREADY_SENT = "Deze vraag is al doorgestuurd. U krijgt antwoord op het adres dat u gaf."
# A status link that leads nowhere: most often cut off or mistyped when copied from the mail.
WRONG_STATUS_LINK = (
    "Deze link naar uw vraag klopt niet. Gebruik de hele link uit de e-mail die u van ons kreeg; soms breekt "
    "een lange link af over twee regels. Lukt het niet? Stel uw vraag dan opnieuw en noem uw kenmerk."
)


def _organisations_by_layer(limit: int | None) -> list[tuple[str, list[Organisation], int]]:
    groups = []
    for layer in Layer:
        queryset = Organisation.objects.active().filter(layer=layer).order_by("name")
        groups.append((layer.label, list(queryset[:limit] if limit else queryset), queryset.count()))
    return groups


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask /favicon.ico of every page, the admin's too: the site's icon, not a 404 in the log."""
    return redirect(static("web/favicon.svg"))


def home(request: HttpRequest) -> HttpResponse:
    products = Product.objects.order_by("name")
    return render(
        request,
        "web/home.html",
        {
            "organisation_groups": _organisations_by_layer(HOME_LIST_SIZE),
            "products": products[:HOME_LIST_SIZE],
            "product_count": products.count(),
            "article_count": Article.objects.current(timezone.localdate()).count(),
            "form": QuestionForm(),
        },
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/organisation_list.html", {"organisation_groups": _organisations_by_layer(None)}
    )


def organisation_detail(request: HttpRequest, code: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.active(), code=code)
    return render(
        request,
        "web/organisation_detail.html",
        {
            "organisation": organisation,
            "offerings": organisation.offerings.select_related("product").order_by("title"),
            "articles": organisation.articles.current(timezone.localdate()).order_by("question"),
            "water_boards": organisation.water_boards.all(),
        },
    )


def product_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    products = Product.objects.annotate(offering_count=Count("offerings")).order_by("name")
    if query:
        products = products.filter(Q(name__icontains=query))
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "web/product_list.html", {"page": page, "query": query})


def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product, pk=pk)
    return render(
        request,
        "web/product_detail.html",
        {
            "product": product,
            "offerings": product.offerings.select_related("organisation").order_by("organisation__name")[
                :400
            ],
            "articles": product.articles.current(timezone.localdate()).order_by("question"),
        },
    )


def article_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.current(timezone.localdate()).select_related("owner"), uuid=uuid
    )
    return render(
        request,
        "web/article_detail.html",
        {"article": article, "answer_html": render_markdown(article.answer)},
    )


# --- the counter: ask, answer, feedback, handover, status --------------------------------------------------


# A reload or the back button shows the same question again: that is still one contact, not two.
LAST_QUESTION = "web_laatste_vraag"


def ask_page(request: HttpRequest) -> HttpResponse:
    """The answer page. A question arrives by GET, so the answer can be bookmarked and the back button works."""
    if not ASK_LIMIT.hit(client_ip(request)):
        return _too_many(request, ASK_LIMIT, "U hebt in korte tijd heel veel vragen gesteld.")
    form = QuestionForm(request.GET)
    if not form.is_valid():
        return render(request, "web/ask.html", {"form": form}, status=400)
    values = form.cleaned_data
    question = [values["q"], values["postcode"], values["doelgroep"]]
    last = request.session.get(LAST_QUESTION) or {}
    earlier = services.earlier_contact(str(last.get("contact"))) if last.get("vraag") == question else None
    try:
        asked = services.ask_on_the_web(
            values["q"], postcode=values["postcode"], audience=values["doelgroep"], earlier=earlier
        )
    except ContactError as error:
        form.add_error("q", str(error))
        return render(request, "web/ask.html", {"form": form}, status=400)
    request.session[LAST_QUESTION] = {"vraag": question, "contact": str(asked.contact.uuid)}
    response = asked.response
    context: dict[str, Any] = {"form": form, "asked": asked, "response": response}
    if response.answer is not None and response.status == "answered":
        context["answer_html"] = services.answer_text(response.answer)
        context["next_steps"] = services.next_steps(response.answer)
    if response.status == "clarify" and (response.clarify or {}).get("reason") == "place":
        form.ask_for_the_place()
    if response.status == "handover":
        context["helper"] = _helper(asked.handover_organisation)
        context["unstaffed"] = _unstaffed(context["helper"])
        context["handover_form"] = HandoverForm(
            initial={"token": asked.token, "vraag": asked.contact.question},
            asking_for=asked.handover_organisation,
        )
    return render(request, "web/answer.html", context)


def suggestions(request: HttpRequest) -> HttpResponse:
    """Likely questions under the question box (htmx); an empty list for anything odd."""
    titles = services.suggestions(
        request.GET.get("q", ""),
        request.GET.get("postcode", "")[:PLACE_MAX_LENGTH],
        request.GET.get("doelgroep", ""),
    )
    return render(request, "web/_suggestions.html", {"titles": titles})


@require_POST
def feedback(request: HttpRequest) -> HttpResponse:
    """ "Was dit nuttig?": a vote for the answer; "nee" goes on to the handover form."""
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _problem(request, "Kies ja of nee.", 400)
    try:
        token = services.unsign(form.cleaned_data["token"])
    except services.TokenError as error:
        return _problem(request, str(error), 400)
    helpful = form.cleaned_data["nuttig"] == "ja"
    if request.session.session_key is None:
        request.session.save()  # one vote per visitor: the session identifies the visitor
    services.vote(token, helpful=helpful, voter=request.session.session_key or "")
    if helpful:
        return render(request, "web/thanks.html")
    return redirect(f"{reverse('web:handover')}?{urlencode({'token': form.cleaned_data['token']})}")


@require_http_methods(["GET", "POST"])
def handover(request: HttpRequest) -> HttpResponse:
    """ "Mijn vraag is niet beantwoord": the question goes to a person at the responsible organisation."""
    data = request.POST if request.method == "POST" else request.GET
    try:
        token = services.unsign(data.get("token", ""))
    except services.TokenError as error:
        return _problem(request, str(error), 400)
    if token.contact.handovers.exists():
        return _problem(request, ALREADY_SENT, 409)
    if request.method != "POST":
        form = HandoverForm(
            initial={"token": data["token"], "vraag": token.contact.question}, asking_for=token.organisation
        )
        return render(request, "web/handover.html", _handover_context(form, token))
    form = HandoverForm(request.POST, asking_for=token.organisation)
    if form.is_valid():
        if not HANDOVER_LIMIT.hit(client_ip(request)):
            return _too_many(request, HANDOVER_LIMIT, "U hebt in korte tijd vaak een vraag doorgestuurd.")
        values = form.cleaned_data
        try:
            created = services.hand_over_from_the_web(
                token,
                question=values["vraag"],
                requested_action=values["antwoord_via"],
                name=values["naam"],
                email=values["email"],
                phone=values["telefoon"],
                extra_answers=form.extra_answers(),
            )
        except ConflictError:  # the same form sent twice at once: the other one went through
            return _problem(request, ALREADY_SENT, 409)
        except ContactError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            return redirect("web:handover-done", reference=created.reference, secret=created.status_secret)
    return render(request, "web/handover.html", _handover_context(form, token), status=400)


def _handover_context(form: HandoverForm, token: services.ContactToken) -> dict[str, Any]:
    helper = _helper(token.organisation)
    return {
        "form": form,
        "organisation": token.organisation,
        "helper": helper,
        "unstaffed": _unstaffed(helper),
    }


def _helper(organisation: Organisation | None) -> Organisation | None:
    """Whose staff will help with a question for `organisation` (it, or the one standing in for it)."""
    return receiving_organisation(organisation) if organisation else None


def _unstaffed(helper: Organisation | None) -> bool:
    """Nobody here works the questions of the organisation that would help: promise no date, point to it."""
    return helper is not None and not has_back_office(helper)


@secret_link_page
def handover_done(request: HttpRequest, reference: str, secret: str) -> HttpResponseBase:
    found = find_for_resident(reference, secret)
    if found is None:
        return _problem(request, WRONG_STATUS_LINK, 404)
    if found.status == HandoverStatus.FORWARDED:  # who answers and by when is said on the status page now
        return redirect("web:status", reference, secret)
    return render(
        request, "web/handover_done.html", {"handover": found, "unstaffed": _unstaffed(found.organisation)}
    )


@secret_link_page
def status(request: HttpRequest, reference: str, secret: str) -> HttpResponseBase:
    """The resident's status link from the confirmation and the e-mails; no account needed."""
    found = find_for_resident(reference, secret)
    if found is None:
        return _problem(request, WRONG_STATUS_LINK, 404)
    current = current_of(found)
    previous = current.forwarded_from
    return render(
        request,
        "web/status.html",
        {
            "handover": found,
            "current": current,
            "question": question_as_sent(found),
            "status_label": services.RESIDENT_STATUS[HandoverStatus(current.status)],
            # Whom it was for before it was sent on last, and whom it is for now (a question can come back to
            # where it started; a stand-in works it for another organisation).
            "forwarded_by": previous.is_for if previous else None,
            "forwarded_to": current.is_for,
            "unstaffed": _unstaffed(current.organisation),
        },
    )


UNREADABLE_REQUEST = (
    "Wij konden niet lezen wat uw browser stuurde. Laad de pagina opnieuw en probeer het nog eens."
)
UNREADABLE_API_REQUEST = "Het verzoek is niet te lezen. Stuur UTF-8, en hoogstens 1000 velden of parameters."


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 400 page (handler400) for what Django refuses before any view: a form sent in another encoding
    than UTF-8, too many fields. Django's own page is English, and it runs the CSRF check again, which fails
    the same way and turns the 400 into a 500."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": UNREADABLE_API_REQUEST}, status=400)
    return _problem(request, UNREADABLE_REQUEST, 400)


def _problem(request: HttpRequest, message: str, status_code: int) -> HttpResponse:
    return render(request, "web/problem.html", {"message": message}, status=status_code)


def _too_many(request: HttpRequest, limit: Limit, reason: str) -> HttpResponse:
    message = (
        f"{reason} Probeer het over {limit.wait_in_words()} opnieuw. "
        "Heeft u haast? Bel dan de gemeente of de organisatie die uw vraag kan beantwoorden."
    )
    return too_many(request, limit, message)
