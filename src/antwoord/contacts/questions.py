"""The extra questions a back office asks with every handover it works (HandoverQuestion), and the check of
their answers. The agent desk and the web form ask them; the API lists them and takes the answers when a
system sends them (a handover without `extra_answers` comes without them).

They are the questions of the back office that works the handover: the organisation's own, or, for an
organisation without one here, its stand-in's (routing.receiving_organisation)."""

from collections.abc import Mapping

from antwoord.lib.text import has_html_tag, normalise_text
from antwoord.organisations.models import Organisation

from .models import HandoverQuestion
from .routing import receiving_organisation

MAX_EXTRA_ANSWER_LENGTH = 500
EXTRA_PREFIX = "extra_"  # a form's field for a question, and the field a refusal names: "extra_12"
TOO_LONG = f"Het antwoord is te lang. Gebruik hoogstens {MAX_EXTRA_ANSWER_LENGTH} tekens."
NO_HTML = "Gebruik geen < en > in het antwoord."


class ExtraAnswerError(ValueError):
    """An answer the back office cannot use, said at the question it belongs to."""

    def __init__(self, message: str, question_id: int) -> None:
        super().__init__(message)
        self.question_id = question_id


def asking_organisation(organisation: Organisation | None) -> Organisation | None:
    """Whose questions a handover to `organisation` asks: the back office's that works it."""
    return receiving_organisation(organisation) if organisation is not None else None


def questions_of(asking: Organisation | None) -> list[HandoverQuestion]:
    """The questions of the organisation that asks them (asking_organisation's answer)."""
    return list(asking.handover_questions.all()) if asking is not None else []


def extra_questions(organisation: Organisation | None) -> list[HandoverQuestion]:
    """The questions of a handover to `organisation` (see asking_organisation)."""
    return questions_of(asking_organisation(organisation))


def kept_answers(questions: list[HandoverQuestion], given: Mapping[int, str] | None) -> list[list[str]]:
    """The questions answered, as [question, answer] pairs to keep with the handover: the text of the question
    as it was asked, so a later change of the question does not change what the resident answered. None:
    the channel did not ask them."""
    if given is None:
        return []
    unknown = set(given) - {question.pk for question in questions}
    if unknown:
        raise ExtraAnswerError("Deze aanvullende vraag hoort niet bij de gekozen organisatie.", min(unknown))
    kept = []
    for question in questions:
        answer = normalise_text(given.get(question.pk, ""))
        if question.required and not answer:
            raise ExtraAnswerError(f"Beantwoord de vraag: {question.text}", question.pk)
        if len(answer) > MAX_EXTRA_ANSWER_LENGTH:
            raise ExtraAnswerError(TOO_LONG, question.pk)
        if has_html_tag(answer):
            raise ExtraAnswerError(NO_HTML, question.pk)
        if answer:
            kept.append([question.text, answer])
    return kept
