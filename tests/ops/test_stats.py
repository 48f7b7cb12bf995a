"""`antwoord stats --json` reports the register next to the catalogue."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

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


@pytest.mark.django_db
def test_stats_json_carries_the_steering_figures_of_the_last_days(den_haag: Organisation) -> None:
    close_contact(start_contact(Channel.PHONE, "Hoe vraag ik een paspoort aan?"), Outcome.ANSWERED)
    start_contact(Channel.WEB, "Mijn aanvraag staat al weken open")

    out = StringIO()
    call_command("stats", "--json", "--days", "7", stdout=out)
    steering = json.loads(out.getvalue())["steering"]

    assert steering["contacts"] == 2
    assert steering["resolved"] == {"part": 1, "whole": 1}  # the open web question may still be answered
    phone = next(c for c in steering["channels"] if c["channel"] == "telefoon")
    assert phone["contacts"] == 1 and phone["resolved"] == {"part": 1, "whole": 1}
    first, last = date.fromisoformat(steering["first_day"]), date.fromisoformat(steering["last_day"])
    assert (last - first).days == 6


@pytest.mark.django_db
@pytest.mark.parametrize("days", ["0", "367"])
def test_stats_refuses_a_period_it_cannot_count(days: str) -> None:
    with pytest.raises(CommandError, match="--days must lie between 1 and 366"):
        call_command("stats", "--json", "--days", days, stdout=StringIO())
