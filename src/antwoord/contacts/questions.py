"""The extra questions an organisation's back office asks with every handover (HandoverQuestion), and the
check of their answers. The agent desk and the web form ask them; the API hands over without them."""

from collections.abc import Mapping

from antwoord.lib.text import PLAIN_TEXT_ONLY, has_html_tag, normalise_text
from antwoord.organisations.models import Organisation

from .models import HandoverQuestion

MAX_EXTRA_ANSWER_LENGTH = 500
EXTRA_PREFIX = "extra_"  # a form's field for a question, and the field a refusal names: "extra_12"


class ExtraAnswerError(ValueError):
    """An answer the back office cannot use, said at the question it belongs to."""

    def __init__(self, message: str, question_id: int) -> None:
        super().__init__(message)
        self.question_id = question_id


def extra_questions(organisation: Organisation | None) -> list[HandoverQuestion]:
    return list(organisation.handover_questions.all()) if organisation is not None else []


def kept_answers(questions: list[HandoverQuestion], given: Mapping[int, str] | None) -> list[list[str]]:
    """The questions answered, as [question, answer] pairs to keep with the handover: the text of the question
    as it was asked, so a later change of the question does not change what the resident answered. None:
    the channel did not ask them."""
    if given is None:
        return []
    unknown = set(given) - {question.pk for question in questions}
    if unknown:
        raise ExtraAnswerError("Deze vraag hoort niet bij de gekozen organisatie.", min(unknown))
    kept = []
    for question in questions:
        answer = normalise_text(given.get(question.pk, ""))
        if question.required and not answer:
            raise ExtraAnswerError(f"Beantwoord de vraag: {question.text}", question.pk)
        if len(answer) > MAX_EXTRA_ANSWER_LENGTH:
            raise ExtraAnswerError(
                f"Het antwoord is te lang. Gebruik hoogstens {MAX_EXTRA_ANSWER_LENGTH} tekens.", question.pk
            )
        if has_html_tag(answer):
            raise ExtraAnswerError(PLAIN_TEXT_ONLY, question.pk)
        if answer:
            kept.append([question.text, answer])
    return kept
