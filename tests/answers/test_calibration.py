"""The thresholds are chosen for the least cost on labelled questions, where a wrong answer costs twice as much
as a needless handover (bench/calibrate.py)."""

from dataclasses import replace

from bench.calibrate import WRONG_ANSWER_COST, Observation, accuracy, fit_observations
from bench.questions import Question

from antwoord.answers.engine.decide import FEATURE_NAMES

COVERAGE = FEATURE_NAMES.index("word_coverage")
CASE_STATUS = FEATURE_NAMES.index("case_status")
LEAD = FEATURE_NAMES.index("lead")


def features_with(coverage: float, own_case: bool = False) -> tuple[float, ...]:
    """No runner-up comes close (lead 1), so only the confidence threshold decides."""
    features = [0.0] * len(FEATURE_NAMES)
    features[COVERAGE], features[LEAD], features[CASE_STATUS] = coverage, 1.0, 1.0 if own_case else 0.0
    return tuple(features)


def observed(number: int, coverage: float, answerable: bool, own_case: bool = False) -> Observation:
    expected = {"status": "answered", "source_id": "vac"} if answerable else {"status": "handover"}
    question = Question(f"q{number}", "vraag", "", "", "article" if answerable else "handover", expected)
    return Observation(question, "answered", "", features_with(coverage, own_case), answerable, None, None)


def test_a_wrong_answer_weighs_more_than_a_needless_handover() -> None:
    """Half-covered questions are right three times out of five: answering them gives more right decisions,
    but costs two wrong answers (4) against three needless handovers (3), so they are handed over."""
    assert WRONG_ANSWER_COST == 2.0
    number = iter(range(100))
    sure = [observed(next(number), 1.0, True) for _ in range(6)]
    hopeless = [observed(next(number), 0.0, False) for _ in range(6)]
    middle = [observed(next(number), 0.5, True) for _ in range(3)]
    middle += [observed(next(number), 0.5, False) for _ in range(2)]
    model = fit_observations(sure + hopeless + middle)

    def confidence(coverage: float) -> float:
        return model.confidence(features_with(coverage))

    assert confidence(1.0) >= model.threshold > confidence(0.5) > confidence(0.0)
    assert accuracy(sure + hopeless + middle, model) == 14 / 17  # answering the middle would make 15 / 17


def test_a_question_about_ones_own_case_is_no_lesson_for_the_confidence_model() -> None:
    """It is handed over by rule, so its features do not pull the model's weights."""
    number = iter(range(100))
    plain = [observed(next(number), 1.0, True) for _ in range(5)]
    plain += [observed(next(number), 0.0, False) for _ in range(5)]
    own_cases = [observed(next(number), 1.0, False, own_case=True) for _ in range(20)]
    assert fit_observations(plain + own_cases).weights == fit_observations(plain).weights


def place_question(
    number: int, topic_fit: float, expected: dict[str, str], *, text_found: bool
) -> Observation:
    """How the engine without thresholds saw a question without a place whose best product depends on it:
    with a text found it has features; without, it asked for the place at once (place_ratio infinite)."""
    question = Question(f"q{number}", "vraag", "", "", expected["status"], expected)
    if text_found:
        return Observation(question, "answered", "", features_with(0.0), False, 0.8, topic_fit)
    return Observation(question, "clarify", "place", None, False, float("inf"), topic_fit)


def test_the_replay_hands_over_what_the_topic_fit_keeps_from_a_place_question() -> None:
    """Below the topic fit no place is asked: an unsure question, and one no text matched, are handed over."""
    place = {"status": "clarify", "reason": "place"}
    handover = {"status": "handover"}
    fitting = [
        place_question(1, 0.9, place, text_found=False),
        place_question(2, 0.9, place, text_found=True),
    ]
    off_topic = [
        place_question(3, 0.1, handover, text_found=False),
        place_question(4, 0.1, handover, text_found=True),
    ]
    model = replace(
        fit_observations(fitting + off_topic), threshold=0.9, uncertain_place_margin=0.5, topic_fit=0.5
    )
    assert accuracy(fitting + off_topic, model) == 1.0
    assert (
        accuracy(off_topic, replace(model, topic_fit=0.0)) == 0.0
    )  # without the gate both get a place question
    assert fit_observations(fitting + off_topic).topic_fit > 0.1
