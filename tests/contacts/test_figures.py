"""The steering figures ("Stuurinformatie"): exact counts for a known register, per organisation and period,
who may see them, what bad filter input gives, the CSV download, and a number of queries that does not grow
with the register.

The register: Den Haag and Rotterdam, phone and web, with one phone contact that Rotterdam's desk took for a
resident of Den Haag (it counts for both, and once for all), one web contact of no organisation (it counts
only for "all"), and one Den Haag contact 60 days ago.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.db import connection
from django.http import HttpResponse, HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from antwoord.accounts.models import Role, User
from antwoord.catalogue.models import Product
from antwoord.contacts import services
from antwoord.contacts.jobs import (
    NO_PRODUCT,
    TOP_PRODUCTS,
    Gap,
    ProductDemand,
    SteeringFigures,
    steering_figures,
)
from antwoord.contacts.models import Audience, Channel, Contact, Handover, Outcome, RequestedAction
from antwoord.organisations.models import Organisation
from tests.conftest import make_user

PARKING = "http://standaarden.overheid.nl/owms/terms/Parkeervergunning"
PASSPORT = "http://standaarden.overheid.nl/owms/terms/Paspoort"  # not in the catalogue: the answer's title
BULKY_WASTE = "http://standaarden.overheid.nl/owms/terms/Grofvuil"
SECRET_QUESTION = "Geheime vraag van Fatima aan de Laan van Meerdervoort 12"
RESIDENT_EMAIL = "fatima@example.org"
FIGURES = reverse("contacts:figures")
FIGURES_CSV = reverse("contacts:figures-csv")


@dataclass
class Register:
    old_contact: Contact  # Den Haag's, 60 days ago


def today() -> date:
    return timezone.localdate()


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def register_contact(
    channel: str,
    *,
    agent: User | None = None,
    municipality: Organisation | None = None,
    outcome: str = Outcome.ANSWERED,
    handed_to: Organisation | None = None,
    upl_uri: str = "",
    title: str = "",
    audience: str = "",
    engine_status: str = "",
    days_ago: int = 2,
) -> Contact:
    contact = services.start_contact(
        channel,
        SECRET_QUESTION,
        agent=agent,
        audience=audience,
        municipality=municipality,
        started_at=timezone.now() - timedelta(days=days_ago),
    )
    Contact.objects.filter(pk=contact.pk).update(
        upl_uri=upl_uri, answer_title=title, engine_status=engine_status
    )
    contact.refresh_from_db()
    if handed_to is not None:
        services.hand_over(
            contact, handed_to, requested_action=RequestedAction.ANSWER_BY_EMAIL, email=RESIDENT_EMAIL
        )
    else:
        services.close_contact(contact, outcome)
    return contact


def answer(contact: Contact, worker: User, *, due_days_from_today: int) -> Handover:
    """Answer the contact's handover now, with its deadline moved so many days from today."""
    handover = contact.handovers.get()
    Handover.objects.filter(pk=handover.pk).update(due_on=today() + timedelta(days=due_days_from_today))
    handover.refresh_from_db()
    return services.answer_handover(handover, worker, "Het antwoord.")


def make_overdue(contact: Contact) -> None:
    contact.handovers.update(due_on=today() - timedelta(days=1))


@pytest.fixture
def kcc_rotterdam(rotterdam: Organisation) -> User:
    return make_user("kcc.rotterdam", (rotterdam, Role.AGENT))


@pytest.fixture
def register(
    den_haag: Organisation, rotterdam: Organisation, agent: User, kcc_rotterdam: User, worker: User
) -> Register:
    Product.objects.create(upl_uri=PARKING, name="Parkeervergunning")
    Product.objects.create(upl_uri=BULKY_WASTE, name="Grof huishoudelijk afval")
    phone, web = Channel.PHONE, Channel.WEB
    handover, clarify = "handover", "clarify"

    # Den Haag, in the last 30 days.
    register_contact(phone, agent=agent, upl_uri=PARKING, audience=Audience.RESIDENT, days_ago=10)
    in_time = register_contact(
        phone,
        agent=agent,
        handed_to=den_haag,
        upl_uri=PARKING,
        audience=Audience.ENTREPRENEUR,
        engine_status=handover,
    )
    answer(in_time, worker, due_days_from_today=2)
    register_contact(web, municipality=den_haag, upl_uri=PASSPORT, title="Paspoort aanvragen")
    late = register_contact(web, municipality=den_haag, handed_to=den_haag, engine_status=clarify)
    answer(late, worker, due_days_from_today=-3)
    open_late = register_contact(
        web,
        municipality=den_haag,
        handed_to=den_haag,
        upl_uri=PARKING,
        audience=Audience.RESIDENT,
        engine_status=handover,
    )
    make_overdue(open_late)
    # Rotterdam's desk, for a resident of Den Haag: it counts for both.
    register_contact(phone, agent=kcc_rotterdam, municipality=den_haag)

    # Rotterdam.
    register_contact(phone, agent=kcc_rotterdam, upl_uri=BULKY_WASTE, audience=Audience.RESIDENT)
    rotterdam_late = register_contact(
        web,
        municipality=rotterdam,
        handed_to=rotterdam,
        upl_uri=BULKY_WASTE,
        audience=Audience.ENTREPRENEUR,
        engine_status=handover,
    )
    make_overdue(rotterdam_late)

    # No organisation: a web question without a place.
    register_contact(web)

    # Den Haag, 60 days ago: handed over and answered on the same day, within the norm.
    old = register_contact(
        phone, agent=agent, handed_to=den_haag, upl_uri=PARKING, audience=Audience.RESIDENT, days_ago=60
    )
    old_handover = answer(old, worker, due_days_from_today=0)
    Handover.objects.filter(pk=old_handover.pk).update(
        created_at=old.started_at, done_at=old.started_at, due_on=timezone.localdate(old.started_at)
    )
    return Register(old_contact=old)


def last_days(days: int) -> tuple[date, date]:
    return today() - timedelta(days=days - 1), today()


def per_channel(figures: SteeringFigures) -> dict[str, tuple[int, str, str]]:
    """Channel label → (contacts, share of all contacts, answered at first contact as "x% (a/b)")."""
    return {
        row.channel.label: (
            row.contacts,
            row.mix.percent,
            f"{row.resolved.percent} ({row.resolved.part}/{row.resolved.whole})",
        )
        for row in figures.channels
    }


# --- the figures ----------------------------------------------------------------------------------------


def test_den_haags_figures_are_exact(register: Register, den_haag: Organisation) -> None:
    figures = steering_figures(*last_days(30), [den_haag.pk])

    assert per_channel(figures) == {
        "Website": (3, "50,0%", "33,3% (1/3)"),
        "Telefoon": (3, "50,0%", "66,7% (2/3)"),
        "E-mail": (0, "0,0%", "– (0/0)"),
        "Balie": (0, "0,0%", "– (0/0)"),
        "Chat": (0, "0,0%", "– (0/0)"),
    }
    assert figures.contacts == 6
    assert (figures.resolved.part, figures.resolved.fraction, figures.resolved.percent) == (3, 0.5, "50,0%")
    assert figures.handovers.per_status == [
        ("Nieuw", 1),
        ("In behandeling", 0),
        ("Afgehandeld", 2),
        ("Doorgestuurd", 0),
    ]
    assert figures.handovers.overdue == 1  # Rotterdam's overdue handover is not Den Haag's
    within_norm = figures.handovers.within_norm
    assert (within_norm.part, within_norm.whole, within_norm.percent) == (1, 2, "50,0%")
    assert figures.demand == [
        ProductDemand("Parkeervergunning", total=3, burger=2, ondernemer=1, unknown=0),
        ProductDemand("Paspoort aanvragen", total=1, burger=0, ondernemer=0, unknown=1),
    ]
    assert figures.gaps == [Gap("Parkeervergunning", 2), Gap(NO_PRODUCT, 1)]


def test_rotterdams_figures_and_all_organisations_together(
    register: Register, den_haag: Organisation, rotterdam: Organisation
) -> None:
    rotterdams = steering_figures(*last_days(30), [rotterdam.pk])
    assert per_channel(rotterdams)["Telefoon"] == (2, "66,7%", "100,0% (2/2)")
    assert per_channel(rotterdams)["Website"] == (1, "33,3%", "0,0% (0/1)")
    assert rotterdams.handovers.overdue == 1
    assert rotterdams.handovers.within_norm.fraction is None  # nothing answered: no share, not 0 %
    assert rotterdams.demand == [ProductDemand("Grof huishoudelijk afval", 2, 1, 1, 0)]
    assert rotterdams.gaps == [Gap("Grof huishoudelijk afval", 1)]

    # Both: the contact Rotterdam took for Den Haag counts once; the one of no organisation not at all.
    both = steering_figures(*last_days(30), [den_haag.pk, rotterdam.pk])
    assert (both.contacts, both.resolved.part) == (8, 4)
    everything = steering_figures(*last_days(30))
    assert per_channel(everything)["Telefoon"] == (4, "44,4%", "75,0% (3/4)")
    assert per_channel(everything)["Website"] == (5, "55,6%", "40,0% (2/5)")
    assert (everything.contacts, everything.resolved.percent) == (9, "55,6%")
    assert dict(everything.handovers.per_status) == {
        "Nieuw": 2,
        "In behandeling": 0,
        "Afgehandeld": 2,
        "Doorgestuurd": 0,
    }
    assert everything.handovers.overdue == 2
    assert [(d.name, d.total) for d in everything.demand] == [
        ("Parkeervergunning", 3),
        ("Grof huishoudelijk afval", 2),
        ("Paspoort aanvragen", 1),
    ]


def test_the_period_decides_which_contacts_and_handovers_count(
    register: Register, den_haag: Organisation
) -> None:
    assert steering_figures(*last_days(7), [den_haag.pk]).contacts == 5
    ninety = steering_figures(*last_days(90), [den_haag.pk])
    assert ninety.contacts == 7
    assert dict(ninety.handovers.per_status)["Afgehandeld"] == 3
    assert (ninety.handovers.within_norm.part, ninety.handovers.within_norm.whole) == (2, 3)
    assert ninety.demand[0] == ProductDemand("Parkeervergunning", 4, 3, 1, 0)

    day = timezone.localdate(register.old_contact.started_at)
    that_day = steering_figures(day, day, [den_haag.pk])
    assert per_channel(that_day)["Telefoon"] == (1, "100,0%", "0,0% (0/1)")
    assert dict(that_day.handovers.per_status)["Afgehandeld"] == 1
    assert that_day.handovers.overdue == 1  # "now", whatever the period
    assert that_day.handovers.within_norm.percent == "100,0%"


def test_a_forwarded_handover_counts_as_closed_for_the_organisation_that_forwarded_it(
    den_haag: Organisation, rotterdam: Organisation, worker: User
) -> None:
    for days_left in (-1, 3):  # forwarded a day after its deadline, and three days before it
        handover = register_contact(Channel.PHONE, handed_to=den_haag).handovers.get()
        Handover.objects.filter(pk=handover.pk).update(due_on=today() + timedelta(days=days_left))
        handover.refresh_from_db()
        services.forward(handover, worker, rotterdam, "Dit gaat over een straat in Rotterdam.")

    den_haags = steering_figures(*last_days(30), [den_haag.pk]).handovers
    assert (den_haags.within_norm.part, den_haags.within_norm.whole) == (1, 2)
    assert dict(den_haags.per_status)["Doorgestuurd"] == 2
    rotterdams = steering_figures(*last_days(30), [rotterdam.pk]).handovers
    assert rotterdams.within_norm.whole == 0 and dict(rotterdams.per_status)["Nieuw"] == 2


def test_a_question_a_stand_in_works_counts_for_both_organisations(
    den_haag: Organisation, waterschap: Organisation, worker: User
) -> None:
    """The water board steers on the questions about it, Den Haag on the work it does."""
    register_contact(Channel.PHONE, handed_to=waterschap)
    assert Handover.objects.get().organisation == den_haag
    for organisation in (den_haag, waterschap):
        figures = steering_figures(*last_days(30), [organisation.pk]).handovers
        assert dict(figures.per_status)["Nieuw"] == 1, organisation
    both = steering_figures(*last_days(30), [den_haag.pk, waterschap.pk]).handovers
    assert dict(both.per_status)["Nieuw"] == 1  # once, not twice


def test_an_empty_period_has_no_shares_and_no_products(den_haag: Organisation) -> None:
    figures = steering_figures(*last_days(30), [den_haag.pk])
    assert figures.contacts == 0 and figures.resolved.fraction is None and figures.resolved.percent == "–"
    assert figures.demand == [] and figures.gaps == []


def test_a_contact_still_open_counts_as_a_contact_but_not_yet_for_first_contact_resolution(
    den_haag: Organisation, agent: User
) -> None:
    register_contact(Channel.PHONE, agent=agent, municipality=den_haag)
    register_contact(Channel.PHONE, agent=agent, municipality=den_haag, outcome=Outcome.ABANDONED)
    services.start_contact(Channel.PHONE, SECRET_QUESTION, agent=agent, municipality=den_haag)  # in progress
    figures = steering_figures(*last_days(30), [den_haag.pk])
    assert figures.contacts == 3 and per_channel(figures)["Telefoon"] == (3, "100,0%", "50,0% (1/2)")
    assert (figures.resolved.part, figures.resolved.whole) == (1, 2)


# --- the page -------------------------------------------------------------------------------------------


def test_a_manager_sees_his_organisations_figures_as_aggregates_only(
    register: Register, manager: User
) -> None:
    response = logged_in(manager).get(FIGURES)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.first_day, figures.last_day) == last_days(30)  # the default period
    assert figures.contacts == 6
    html = response.content.decode()
    for shown in (
        "Parkeervergunning",
        "Paspoort aanvragen",
        NO_PRODUCT,
        "66,7% (2 van 3)",
        "50,0% (1 van de 2",
    ):
        assert shown in html
    for hidden in (SECRET_QUESTION, "Laan van Meerdervoort", RESIDENT_EMAIL, "Grof huishoudelijk afval"):
        assert hidden not in html
    assert "<caption" in html and 'scope="row"' in html and 'scope="col"' in html


def test_a_den_haag_manager_never_gets_rotterdams_figures(
    register: Register, manager: User, rotterdam: Organisation
) -> None:
    client = logged_in(manager)
    options = client.get(FIGURES).context["filters"].fields["organisation"].queryset
    assert list(options.values_list("name", flat=True)) == ["Den Haag"]

    response = client.get(FIGURES, {"organisation": rotterdam.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies een organisatie uit de lijst." in html
    assert "figures" not in response.context and "Grof huishoudelijk afval" not in html


def test_a_content_editor_sees_the_gaps_of_his_own_organisation_only(
    register: Register, alice: User, rotterdam: Organisation
) -> None:
    """The editors fix the gaps the figures show: which products' questions the engine could not answer."""
    client = logged_in(alice)
    response = client.get(FIGURES)
    assert response.status_code == 200 and response.context["figures"].contacts == 6
    assert NO_PRODUCT in response.content.decode()
    assert client.get(FIGURES, {"organisation": rotterdam.pk}).status_code == 400


def test_a_manager_of_two_organisations_chooses_one_or_all_of_his(
    register: Register, den_haag: Organisation, rotterdam: Organisation
) -> None:
    client = logged_in(make_user("regie", (den_haag, Role.MANAGER), (rotterdam, Role.ADMINISTRATOR)))
    assert client.get(FIGURES).context["figures"].contacts == 8  # not the one of no organisation
    only_rotterdam = client.get(FIGURES, {"organisation": str(rotterdam.pk), "period": "30"})
    assert only_rotterdam.status_code == 200 and only_rotterdam.context["figures"].contacts == 3
    assert "Al mijn organisaties" in client.get(FIGURES).content.decode()


def test_a_superuser_chooses_any_organisation_or_all(register: Register, rotterdam: Organisation) -> None:
    client = logged_in(User.objects.create_superuser("root", password="geheim-wachtwoord-123"))
    assert client.get(FIGURES).context["figures"].contacts == 9
    assert client.get(FIGURES, {"organisation": rotterdam.pk}).context["figures"].contacts == 3


@pytest.mark.parametrize(
    ("query", "contacts"),
    [({"period": "7"}, 5), ({"period": "90"}, 7), ({"period": "7", "start": "", "end": ""}, 5)],
)
def test_the_period_filter(register: Register, manager: User, query: dict[str, str], contacts: int) -> None:
    response = logged_in(manager).get(FIGURES, query)
    assert response.status_code == 200 and response.context["figures"].contacts == contacts


def test_own_dates_win_over_the_period_in_either_notation(register: Register, manager: User) -> None:
    day = timezone.localdate(register.old_contact.started_at)
    client = logged_in(manager)
    for start in (day.isoformat(), f"{day.day}-{day.month}-{day.year}"):
        response = client.get(FIGURES, {"period": "7", "start": start, "end": day.isoformat()})
        assert response.status_code == 200 and response.context["figures"].contacts == 1
    longest = client.get(FIGURES, {"start": "2025-01-01", "end": "2026-01-01"})  # 366 days
    assert longest.status_code == 200


def test_a_period_without_contacts_says_so_and_claims_nothing(register: Register, manager: User) -> None:
    client = logged_in(manager)
    empty = client.get(FIGURES, {"start": "2020-02-01", "end": "2020-02-02"}).content.decode()
    assert "In deze periode zijn geen contacten geregistreerd." in empty
    assert "elke vraag beantwoorden" not in empty and "geen enkele vraag" not in empty
    coming = timezone.localdate() + timedelta(days=40)
    future = client.get(
        FIGURES, {"start": coming.isoformat(), "end": (coming + timedelta(days=5)).isoformat()}
    )
    assert "Deze periode is nog niet begonnen." in future.content.decode()
    assert "nog niet begonnen" not in client.get(FIGURES).content.decode()


def test_staff_without_a_managing_role_get_403_and_no_link(
    register: Register, worker: User, agent: User, manager: User
) -> None:
    for user in (worker, agent):
        assert logged_in(user).get(FIGURES).status_code == 403
    assert FIGURES not in logged_in(worker).get(reverse("contacts:queue")).content.decode()
    assert FIGURES not in logged_in(agent).get(reverse("desk:register")).content.decode()
    # Every staff page's navigation links to the figures for a manager, the agent desk's too.
    for page in ("contacts:queue", "desk:register"):
        assert FIGURES in logged_in(manager).get(reverse(page)).content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page() -> None:
    response = Client().get(FIGURES)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('desk:login')}?next={FIGURES}"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"organisation": "999999"}, "Kies een organisatie uit de lijst."),
        ({"organisation": "abc"}, "Kies een organisatie uit de lijst."),
        ({"organisation": "<script>alert(1)</script>"}, "Kies een organisatie uit de lijst."),
        ({"period": "365"}, "Kies een periode uit de lijst."),
        ({"period": "<b>7</b>"}, "Kies een periode uit de lijst."),
        ({"start": "31/12/2025", "end": "2026-01-05"}, "Deze datum klopt niet."),
        ({"start": "2026-02-30", "end": "2026-03-05"}, "Deze datum klopt niet."),
        ({"start": "<script>alert(1)</script>", "end": "2026-01-05"}, "Deze datum klopt niet."),
        ({"start": "2026-01-01"}, "Vul ook de laatste dag in."),
        ({"end": "2026-01-01"}, "Vul ook de eerste dag in."),
        ({"start": "2026-05-10", "end": "2026-05-01"}, "De laatste dag ligt voor de eerste dag."),
        ({"start": "2025-01-01", "end": "2026-01-02"}, "Kies een periode van hoogstens 366 dagen."),
        ({"start": "0001-01-01", "end": "0001-01-02"}, "Kies een datum tussen 1-1-2000 en 31-12-2099."),
        ({"start": "9999-12-30", "end": "9999-12-31"}, "Kies een datum tussen 1-1-2000 en 31-12-2099."),
    ],
)
def test_bad_filter_input_gives_400_with_a_message(
    register: Register, manager: User, query: dict[str, str], message: str
) -> None:
    response = logged_in(manager).get(FIGURES, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "figures" not in response.context
    assert "<script>alert(1)" not in html and "<b>7</b>" not in html


# --- the CSV download -----------------------------------------------------------------------------------


def _csv_rows(response: HttpResponseBase) -> list[list[str]]:
    assert isinstance(response, HttpResponse)
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")  # so a spreadsheet reads it as UTF-8
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))


def test_a_manager_downloads_the_figures_he_sees_as_csv(
    register: Register, manager: User, den_haag: Organisation
) -> None:
    client = logged_in(manager)
    page = client.get(FIGURES, {"period": "30"}).content.decode()
    assert f'href="{FIGURES_CSV}?period=30"' in page
    response = client.get(FIGURES_CSV, {"period": "30"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    first, last = last_days(30)
    assert (
        response["Content-Disposition"] == f'attachment; filename="stuurinformatie-alle-{first}-{last}.csv"'
    )
    header, *rows = _csv_rows(response)
    assert header == ["Onderdeel", "Naam", "Doelgroep", "Aantal", "Van"]
    for row in (
        ["Contacten per kanaal", "Telefoon", "", "3", "6"],
        ["Beantwoord bij eerste contact", "Telefoon", "", "2", "3"],
        ["Beantwoord bij eerste contact", "Totaal", "", "3", "6"],
        ["Overdrachten per status", "Afgehandeld", "", "2", ""],
        ["Overdrachten nu te laat", "", "", "1", ""],
        ["Overdrachten op tijd afgehandeld", "", "", "1", "2"],
        ["Vraag per product", "Parkeervergunning", "Burger", "2", "3"],
        ["Vraag per product", "Parkeervergunning", "Ondernemer", "1", "3"],
        ["Niet beantwoord door de zoekmachine", NO_PRODUCT, "", "1", ""],
    ):
        assert row in rows
    content = response.content.decode()
    for hidden in (SECRET_QUESTION, RESIDENT_EMAIL, "Grof huishoudelijk afval"):  # aggregates, his own only
        assert hidden not in content
    own = client.get(FIGURES_CSV, {"organisation": str(den_haag.pk), "period": "7"})
    assert f"stuurinformatie-{den_haag.code}-" in own["Content-Disposition"]


def test_the_csv_holds_every_product_and_runs_no_formula(
    manager: User, agent: User, den_haag: Organisation
) -> None:
    for number in range(TOP_PRODUCTS + 2):
        register_contact(
            Channel.PHONE,
            agent=agent,
            upl_uri=f"https://example.nl/product/{number}",
            title=f"Product {number}",
        )
    # A title an editor made to run in a spreadsheet program stays text there.
    register_contact(Channel.PHONE, agent=agent, upl_uri="https://example.nl/p", title='=HYPERLINK("x")')
    rows = _csv_rows(logged_in(manager).get(FIGURES_CSV))
    named = {row[1] for row in rows if row[0] == "Vraag per product"}
    assert len(named) == TOP_PRODUCTS + 3 and '\'=HYPERLINK("x")' in named
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_csv_is_refused_as_the_page_is(
    register: Register, manager: User, agent: User, rotterdam: Organisation
) -> None:
    assert logged_in(agent).get(FIGURES_CSV).status_code == 403
    assert Client().get(FIGURES_CSV).status_code == 302
    refused = logged_in(manager).get(FIGURES_CSV, {"organisation": rotterdam.pk})
    assert refused.status_code == 400 and "Kies een organisatie uit de lijst." in refused.content.decode()
    assert refused["Content-Type"].startswith("text/html")


# --- queries --------------------------------------------------------------------------------------------


def _queries_for_the_page(client: Client, query: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(FIGURES, query).status_code == 200
    return len(queries)


@pytest.mark.parametrize("user_kind", ["manager", "superuser"])
def test_the_number_of_queries_does_not_grow_with_the_register(
    user_kind: str, register: Register, manager: User, agent: User, den_haag: Organisation
) -> None:
    user = manager if user_kind == "manager" else User.objects.create_superuser("root", password="x-y-z-123")
    client = logged_in(user)
    query = {"period": "30"}
    before = _queries_for_the_page(client, query)
    for number in range(14):  # with parking and passport, 16 products
        product = f"http://standaarden.overheid.nl/owms/terms/Product{number}"
        Product.objects.create(upl_uri=product, name=f"Product {number}")
        register_contact(Channel.EMAIL, agent=agent, upl_uri=product, audience=Audience.RESIDENT)
        register_contact(
            Channel.CHAT, agent=agent, handed_to=den_haag, upl_uri=product, engine_status="clarify"
        )
    assert _queries_for_the_page(client, query) == before
    assert len(client.get(FIGURES, query).context["figures"].demand) == TOP_PRODUCTS
