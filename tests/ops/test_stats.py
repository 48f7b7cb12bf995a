"""`antwoord stats --json` reports the register next to the catalogue."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from antwoord.contacts.models import Channel, Outcome, RequestedAction
from antwoord.contacts.services import close_contact, hand_over, start_contact
from antwoord.organisations.models import Organisation


@pytest.mark.django_db
def test_stats_counts_contacts_per_channel_and_outcome_and_handovers_per_status(
    den_haag: Organisation,
) -> None:
    close_contact(start_contact(Channel.PHONE, "Wanneer wordt het grofvuil opgehaald?"), Outcome.ANSWERED)
    close_contact(start_contact(Channel.PHONE, "Hoe vraag ik een paspoort aan?"), Outcome.ANSWERED)
    handed = start_contact(Channel.WEB, "Mijn aanvraag voor een parkeervergunning staat al weken open")
    hand_over(handed, den_haag, requested_action=RequestedAction.ANSWER_BY_EMAIL, email="inwoner@example.org")

    out = StringIO()
    call_command("stats", "--json", stdout=out)
    counts = json.loads(out.getvalue())

    register = counts["register"]
    assert register["contacts"]["per_channel"] == {
        "telefoon": {"beantwoord": 2},
        "web": {"overgedragen": 1},
    }
    assert register["first_contact_resolution"] == round(2 / 3, 3)
    assert register["handovers"]["per_status"] == {"nieuw": 1}
    assert counts["appointments"] == {"geboekt": 0, "geannuleerd": 0}
    assert "products" in counts  # the catalogue's counts stay where they were
