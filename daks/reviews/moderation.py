"""Moderation of free-text survey answers (service): editors hide an answer from the results and exports, or
show it again. Every change is written to the audit log (without the answer's text and without who wrote it).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError

from .models import Answer, QuestionKind

#: Wordings of the audit actions for the activity feed (registered in ``ReviewsConfig.ready``).
ACTION_WORDINGS = {
    "reviews.answer.hidden": gettext_lazy("hid a free-text answer of the survey “%(object)s”"),
    "reviews.answer.shown": gettext_lazy("showed a free-text answer of the survey “%(object)s” again"),
}


def register_actions() -> None:
    from daks.strategy.activity import register_action

    for code, text in ACTION_WORDINGS.items():
        register_action(code, text)


@transaction.atomic
def answer_set_hidden(*, actor, answer: Answer, hidden: bool) -> Answer:
    """Hide (``hidden=True``) or show a free-text answer; nothing happens when it already is in that state."""
    answer = Answer.objects.select_for_update().select_related("question", "response__survey").get(pk=answer.pk)
    if answer.question.kind != QuestionKind.TEXT:
        raise DomainError(_("Only free-text answers can be hidden."))
    if answer.hidden == hidden:
        return answer
    answer.hidden = hidden
    answer.save(update_fields=["hidden"])
    survey = answer.response.survey
    log_action(
        "reviews.answer.hidden" if hidden else "reviews.answer.shown",
        actor=actor,
        municipality=survey.municipality,
        obj=survey,
        process=survey.process_id,
        survey=survey.pk,
        answer_id=answer.pk,
    )
    return answer
