"""The register in the shape of the VNG Klantinteracties API."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from antwoord.accounts.models import User
from antwoord.contacts import services
from antwoord.contacts.models import (
    Channel,
    Contact,
    Handover,
    Outcome,
    PersonalDataView,
    Priority,
    RequestedAction,
)
from antwoord.contacts.serializers import (
    ActorSerializer,
    BetrokkeneSerializer,
    InternetaakSerializer,
    KlantcontactSerializer,
    OnderwerpobjectSerializer,
)
from antwoord.organisations.models import Organisation

from .conftest import client_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/klantinteracties"
VAC_UUID = "2c7e2a5c-6f6e-4c1c-9a0b-3a4f2b1d9e11"
UPL = "http://standaarden.overheid.nl/owms/terms/parkeervergunning"


def results(client: APIClient, collection: str, **query: str) -> list[dict[str, Any]]:
    response = client.get(f"{BASE}/{collection}", query)
    assert response.status_code == 200, response.json()
    found: list[dict[str, Any]] = response.json()["results"]
    return found


@pytest.fixture
def answered(agent: User) -> Contact:
    """A phone contact answered with a Rijksoverheid Q&A about a UPL product."""
    contact = services.start_contact(Channel.PHONE, "Hoe lang is mijn paspoort geldig?", agent=agent)
    contact.answer_key = f"article:{VAC_UUID}"
    contact.answer_kind = "article"
    contact.answer_source_id = VAC_UUID
    contact.answer_title = "Hoe lang is een paspoort geldig?"
    contact.upl_uri = UPL
    contact.save()
    return services.close_contact(contact, Outcome.ANSWERED)


def test_a_klantcontact_has_the_standard_fields(answered: Contact, agent: User) -> None:
    client = client_for(agent)
    response = client.get(f"{BASE}/klantcontacten/{answered.uuid}")
    assert response.status_code == 200
    data = response.json()
    assert data["uuid"] == str(answered.uuid)
    assert data["url"] == f"http://testserver{BASE}/klantcontacten/{answered.uuid}"
    assert data["kanaal"] == "telefoon"
    assert data["onderwerp"] == "Hoe lang is een paspoort geldig?"
    assert data["inhoud"] == "Hoe lang is mijn paspoort geldig?"
    assert data["indicatieContactGelukt"] is True
    assert data["taal"] == "nld"
    assert data["vertrouwelijk"] is False
    assert data["plaatsgevondenOp"].startswith(answered.started_at.isoformat()[:16])
    assert len(data["hadBetrokkenen"]) == 1
    assert len(data["gingOverOnderwerpobjecten"]) == 2
    assert data["leiddeTotInterneTaken"] == []
    assert set(data) == set(KlantcontactSerializer().fields)
    assert results(client, "klantcontacten")[0] == data


def test_the_onderwerpobjecten_identify_the_answer_and_the_product(answered: Contact, agent: User) -> None:
    subjects = results(client_for(agent), "onderwerpobjecten", klantcontact=str(answered.uuid))
    identifiers = [s["onderwerpobjectidentificator"] for s in subjects]
    assert identifiers == [
        {
            "objectId": VAC_UUID,
            "codeObjecttype": "vac",
            "codeRegister": "rijksoverheid-vac",
            "codeSoortObjectId": "uuid",
        },
        {"objectId": UPL, "codeObjecttype": "upl", "codeRegister": "upl", "codeSoortObjectId": "uri"},
    ]
    assert subjects[0]["klantcontact"]["uuid"] == str(answered.uuid)
    assert set(subjects[0]) == set(OnderwerpobjectSerializer().fields)
    klantcontact = client_for(agent).get(f"{BASE}/klantcontacten/{answered.uuid}").json()
    assert [ref["uuid"] for ref in klantcontact["gingOverOnderwerpobjecten"]] == [s["uuid"] for s in subjects]


def test_an_offering_is_a_samenwerkende_catalogi_object(agent: User) -> None:
    contact = services.start_contact(Channel.COUNTER, "Parkeervergunning aanvragen", agent=agent)
    contact.answer_kind, contact.answer_source_id = "offering", "https://www.denhaag.nl/parkeervergunning"
    contact.save()
    (subject,) = results(client_for(agent), "onderwerpobjecten")
    assert subject["onderwerpobjectidentificator"]["codeObjecttype"] == "sc"
    assert subject["onderwerpobjectidentificator"]["objectId"] == "https://www.denhaag.nl/parkeervergunning"


def test_actors_are_the_agent_the_engine_and_the_organisations(
    answered: Contact, agent: User, den_haag: Organisation
) -> None:
    services.start_contact(Channel.WEB, "Wanneer is het stadhuis open?", municipality=den_haag)
    agent.first_name, agent.last_name = "Karin", "Claes"
    agent.save()
    actors = results(client_for(agent), "actoren", klantcontact=str(answered.uuid))
    assert [(a["soortActor"], a["naam"]) for a in actors] == [
        ("medewerker", "Karin Claes"),
        ("organisatorische_eenheid", "Den Haag"),
    ]
    assert actors[1]["actoridentificator"]["objectId"] == "gm0518"
    assert set(actors[0]) == set(ActorSerializer().fields)


def test_an_automated_contact_has_the_engine_as_actor(den_haag: Organisation, agent: User) -> None:
    contact = services.start_contact(Channel.WEB, "Wanneer is het stadhuis open?")
    services.hand_over(contact, den_haag, requested_action="email", email="a@example.org")
    actors = results(client_for(agent), "actoren", klantcontact=str(contact.uuid))
    assert [a["soortActor"] for a in actors] == ["geautomatiseerde_actor", "organisatorische_eenheid"]
    assert actors[0]["naam"] == "ANTWOORD antwoordmachine"


def test_an_internetaak_carries_deadline_and_priority(handover: Handover, worker: User) -> None:
    services.claim(handover, worker)
    (task,) = results(client_for(worker), "internetaken")
    assert task["nummer"] == handover.reference
    assert task["gevraagdeHandeling"] == "Antwoord per e-mail"
    assert task["status"] == "te_verwerken"
    assert task["afgehandeldOp"] is None
    assert task["deadline"] == handover.due_on.isoformat()
    assert task["prioriteit"] == "normaal"
    assert task["aanleidinggevendKlantcontact"]["uuid"] == str(handover.contact.uuid)
    assert len(task["toegewezenAanActoren"]) == 2  # Den Haag, and the colleague who claimed it
    assert set(task) == set(InternetaakSerializer().fields)
    services.answer_handover(handover, worker, "Uw vergunning is verlengd.")
    Handover.objects.filter(pk=handover.pk).update(priority=Priority.URGENT)
    (task,) = results(client_for(worker), "internetaken")
    assert task["status"] == "verwerkt"
    assert task["afgehandeldOp"] is not None
    assert task["prioriteit"] == "spoed"


def test_an_internetaak_a_stand_in_works_names_for_whom(
    contact: Contact, waterschap: Organisation, worker: User
) -> None:
    services.hand_over(contact, waterschap, requested_action=RequestedAction.CALL_BACK, phone="0612345678")
    client = client_for(worker)
    (task,) = results(client, "internetaken")
    (assignee,) = task["toegewezenAanActoren"]
    actors = {a["uuid"]: a for a in results(client, "actoren", klantcontact=str(contact.uuid))}
    assert actors[assignee["uuid"]]["naam"] == "Den Haag"  # whose back office works it
    for_whom = actors[task["bedoeldVoor"]["uuid"]]
    assert (for_whom["naam"], for_whom["actoridentificator"]["objectId"]) == (
        "Hoogheemraadschap van Delfland",
        "ws0636",
    )


def test_an_internetaak_of_the_organisation_itself_names_nobody_else(
    handover: Handover, worker: User
) -> None:
    (task,) = results(client_for(worker), "internetaken")
    assert task["bedoeldVoor"] is None


def test_a_handed_over_contact_is_not_a_success_and_is_confidential(handover: Handover, agent: User) -> None:
    data = client_for(agent).get(f"{BASE}/klantcontacten/{handover.contact.uuid}").json()
    assert data["indicatieContactGelukt"] is False
    assert data["vertrouwelijk"] is True
    # the agent's organisation took it, but the internal task is the back office's: no reference for them
    assert data["leiddeTotInterneTaken"] == []


def test_the_betrokkene_shows_addresses_only_to_the_back_office(
    handover: Handover, worker: User, agent: User
) -> None:
    (hidden,) = results(client_for(agent), "betrokkenen")
    assert hidden["rol"] == "klant"
    assert hidden["contactnaam"] is None
    assert hidden["volledigeNaam"] == ""
    assert hidden["digitaleAdressen"] == []
    assert not PersonalDataView.objects.exists()

    (shown,) = results(client_for(worker), "betrokkenen", klantcontact=str(handover.contact.uuid))
    assert shown["uuid"] == hidden["uuid"]
    assert shown["contactnaam"]["achternaam"] == "Fatima de Vries"
    assert shown["digitaleAdressen"] == [
        {"soortDigitaalAdres": "email", "adres": "fatima@example.org", "omschrijving": "E-mailadres"}
    ]
    assert set(shown) == set(BetrokkeneSerializer().fields)
    assert PersonalDataView.objects.filter(viewer=worker, handover=handover).count() == 1


def test_another_organisation_sees_nothing(handover: Handover, outsider: User) -> None:
    client = client_for(outsider)
    for collection in ("klantcontacten", "betrokkenen", "onderwerpobjecten", "actoren", "internetaken"):
        assert results(client, collection) == [], collection
    response = client.get(f"{BASE}/klantcontacten/{handover.contact.uuid}")
    assert response.status_code == 404


def test_bad_identifiers_are_refused(agent: User) -> None:
    client = client_for(agent)
    assert client.get(f"{BASE}/klantcontacten/geen-uuid").status_code == 404
    wrong = client.get(f"{BASE}/betrokkenen?klantcontact=geen-uuid")
    assert wrong.status_code == 400
    assert "klantcontact" in wrong.json()["errors"]
    assert APIClient().get(f"{BASE}/klantcontacten").status_code == 401


@pytest.mark.parametrize(
    "query",
    ["internetaken?status=bogus", "klantcontacten?kanaal=fax&plaatsgevondenOp__gte=x", "actoren?pagina=2"],
)
def test_a_filter_the_api_does_not_have_is_refused_not_ignored(
    handover: Handover, worker: User, query: str
) -> None:
    """An integration that counts on one of Open Klant's filters must not get everything without noticing."""
    response = client_for(worker).get(f"{BASE}/{query}")
    assert response.status_code == 400
    names = {pair.split("=")[0] for pair in query.split("?")[1].split("&")}
    assert response.json()["errors"] == {name: ["Deze parameter kent de API hier niet."] for name in names}
    assert client_for(worker).get(f"{BASE}/internetaken?page=1&page_size=10").status_code == 200
    assert APIClient().get(f"{BASE}/{query}").status_code == 401  # who asks comes first


def _queries_to_list(client: APIClient, collection: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{BASE}/{collection}").status_code == 200
    return len(queries)


@pytest.mark.parametrize("collection", ["klantcontacten", "internetaken"])
def test_listing_takes_no_query_per_contact(
    collection: str, den_haag: Organisation, agent: User, worker: User
) -> None:
    """The rights are read once per request, not once per contact or handover."""

    def hand_over_another(number: int) -> None:
        contact = services.start_contact(Channel.PHONE, f"Vraag {number} over mijn aanvraag", agent=agent)
        services.hand_over(
            contact,
            den_haag,
            requested_action=RequestedAction.ANSWER_BY_EMAIL,
            name="X",
            email="x@example.org",
        )

    client = client_for(worker)
    hand_over_another(0)
    with_one = _queries_to_list(client, collection)
    for number in range(1, 6):
        hand_over_another(number)
    assert _queries_to_list(client, collection) == with_one
