"""Feedback and agents' picks nudge later rankings, boundedly and reversibly; one voter cannot."""

from typing import Any

import pytest
from django.test import Client

from antwoord.answers import services
from antwoord.answers.engine.decide import Answer, Response
from antwoord.answers.engine.learning import MAX_BOOST, Vote, boosts
from antwoord.answers.learning import forget_votes, record_feedback
from antwoord.answers.models import Feedback
from antwoord.demo.loader import load_demo


def votes(
    document: str, voters: int, *, helpful: bool = True, signature: str = "grofvuil ophal"
) -> list[Vote]:
    return [Vote(signature, document, f"voter-{n}", helpful) for n in range(voters)]


def test_one_voter_repeating_himself_changes_nothing() -> None:
    spam = [Vote("grofvuil ophal", "article:x", "same-person", True) for _ in range(50)]
    assert boosts("grofvuil ophal", spam) == {}


def test_several_voters_move_it_within_bounds_and_only_for_similar_questions() -> None:
    many = votes("article:x", 40)
    assert boosts("grofvuil ophal", many) == {"article:x": MAX_BOOST}
    assert 0 < boosts("grofvuil ophal", votes("article:x", 3))["article:x"] < MAX_BOOST
    assert boosts("paspoort kwijt", many) == {}
    assert boosts("grofvuil ophal", votes("article:x", 40, helpful=False)) == {"article:x": -MAX_BOOST}


@pytest.fixture
def demo(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    load_demo()
    monkeypatch.setattr(services, "CHECK_INTERVAL_SECONDS", 0.0)


@pytest.mark.django_db
def test_agents_picks_nudge_their_answer_for_the_next_similar_question_and_can_be_withdrawn(
    demo: None,
) -> None:
    question = "paspoort kwijt wat nu"
    first, runner_up = candidates(services.ask(question))[:2]
    engine = services.current_engine()
    for agent in ("agent-1", "agent-2"):
        record_feedback(engine, question, runner_up.key, helpful=True, voter=agent, by_agent=True)
    assert score_of(services.ask(question), runner_up.key) == runner_up.score  # two voters: no effect yet

    record_feedback(engine, question, runner_up.key, helpful=True, voter="agent-3", by_agent=True)
    after = services.ask("mijn paspoort is kwijt, wat nu?")  # a similar question: the same key words
    assert score_of(after, runner_up.key) == pytest.approx(runner_up.score * (1 + MAX_BOOST), rel=0.01)
    expected_top = runner_up.key if runner_up.score * (1 + MAX_BOOST) > first.score else first.key
    assert candidates(after)[0].key == expected_top

    Feedback.objects.update(withdrawn=True)
    forget_votes()
    assert score_of(services.ask(question), runner_up.key) == runner_up.score


def candidates(response: Response) -> list[Answer]:
    return [response.answer, *response.alternatives] if response.answer else response.alternatives


def score_of(response: Response, key: str) -> float:
    return float(next(a.score for a in candidates(response) if a.key == key))


@pytest.mark.django_db
def test_feedback_api_takes_one_vote_and_refuses_unknown_answers(demo: None, client: Client) -> None:
    answer = services.ask("parkeervergunning aanvragen", postcode="2511").answer
    assert answer is not None
    body = {"question": "parkeervergunning aanvragen", "answer_key": answer.key, "helpful": True}
    assert client.post("/api/v1/feedback", body, content_type="application/json").status_code == 201
    assert client.post("/api/v1/feedback", body, content_type="application/json").status_code == 201
    assert Feedback.objects.count() == 1 and Feedback.objects.get().organisation is not None

    unknown = client.post(
        "/api/v1/feedback", {**body, "answer_key": "article:bestaat-niet"}, content_type="application/json"
    )
    assert unknown.status_code == 400 and "kennen we niet" in unknown.content.decode()
    assert (
        client.post("/api/v1/feedback", {"question": "x"}, content_type="application/json").status_code == 400
    )


@pytest.mark.django_db
def test_refused_feedback_has_a_dutch_detail_and_writes_nothing(demo: None, client: Client) -> None:
    answer = services.ask("parkeervergunning aanvragen", postcode="2511").answer
    assert answer is not None
    body = {"question": "parkeervergunning aanvragen", "answer_key": answer.key, "helpful": True}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"question": 123}, "question"),
        ({"question": ["parkeervergunning"]}, "question"),
        ({"answer_key": {"key": answer.key}}, "answer_key"),
        ({"helpful": "misschien"}, "helpful"),
        ({"answer_key": "article:bestaat-niet"}, "answer_key"),
    ]
    for wrong, field in cases:
        response = client.post("/api/v1/feedback", {**body, **wrong}, content_type="application/json")
        assert response.status_code == 400, wrong
        assert response.json()["detail"] == "De invoer klopt niet." and field in response.json()["errors"]
    broken = client.post("/api/v1/feedback", '{"helpful": tru', content_type="application/json")
    assert broken.json() == {"detail": "De inhoud van het verzoek is geen geldige JSON."}
    assert not Feedback.objects.exists()
