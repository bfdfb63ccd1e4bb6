"""Surveys of the Zwischenbilanz: the questionnaire builder, the distribution and the answering (services + selectors).

Writes are keyword-only functions in one transaction; a violated rule raises ``DomainError`` (nothing is written)
and every write of the team is recorded with ``log_action`` (it appears in the process activity feed).

How answers are stored (``Answer``): Likert → ``number`` 1–5; single choice → ``number`` = 0-based index into
``Question.options``; multiple choice → ``choices`` = sorted list of 0-based indexes; free text → ``text``.

Links and tokens: a personal link (``SurveyInvitation``) and the open link of a survey carry a random token
(``secrets.token_urlsafe(32)``); only its SHA-256 hash is stored. Each mail (invitation, reminder) carries a fresh
token, so an older link of the same person stops working.

One response per personal link: the invitation's ``responded_at`` is set with a conditional UPDATE (``… WHERE
responded_at IS NULL``) before the response is written, in the same transaction. Of two concurrent submissions
only one updates the row; the other sees 0 rows and is refused — on PostgreSQL the second UPDATE waits for the
row lock, on SQLite writers are serialised (BEGIN IMMEDIATE). Non-anonymous responses are additionally protected
by the OneToOne ``Response.invitation``. The open link allows many responses; a signed one-time form nonce
(consumed with an atomic ``cache.add``) stops double submits, a rate limit per keyed address hash stops floods.

Anonymity: for anonymous surveys a response never references its invitation (``Response.invitation`` stays NULL;
only ``invitation.responded_at`` is set) and both ``Response.submitted_at`` and ``invitation.responded_at`` are
rounded to the start of the day, so the times cannot be used to pair a response with a person. Submissions are
not written to the audit log (it would carry an exact time). Whether the survey is anonymous can no longer be
changed once responses exist.
"""

import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError, EditConflict
from daks.core.mail import send_templated_mail

from .models import Answer, Question, QuestionKind, Response, Survey, SurveyInvitation, SurveySection

LIKERT_CHOICES = [
    (1, gettext_lazy("does not apply at all")),
    (2, gettext_lazy("rather does not apply")),
    (3, gettext_lazy("partly applies")),
    (4, gettext_lazy("rather applies")),
    (5, gettext_lazy("fully applies")),
]
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
MAX_OPTIONS = 20
NONCE_MAX_AGE = 2 * 24 * 3600
#: Submissions through an open link per (keyed) address and window: (count, seconds); settings may override.
DEFAULT_OPEN_LINK_RATE_LIMIT = (20, 3600)
REMINDER_INTERVAL_DAYS = 3


class SurveyEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this survey in the meantime. The current values are shown; check them and "
        "save again to keep your version."
    )


class QuestionEditConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed this question in the meantime. The current values are shown; check them and "
        "save again to keep your version."
    )


class SurveyUnavailable(DomainError):
    """A link that cannot be answered (any more): ``status`` is the HTTP status of the page that says so."""

    def __init__(self, message, *, status: int = 404):
        super().__init__(message)
        self.status = status


class AlreadyAnswered(DomainError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def answer_url(token: str) -> str:
    return settings.DAKS_BASE_URL + reverse("survey_public:answer", kwargs={"token": token})


# --- State --------------------------------------------------------------------------------------------------


class State:
    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"


def survey_state(survey: Survey, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if survey.closed_at or (survey.closes_at and survey.closes_at <= now):
        return State.CLOSED
    if survey.opens_at and survey.opens_at > now:
        return State.NOT_OPEN
    return State.OPEN


def state_label(state: str) -> str:
    return {
        State.NOT_OPEN: _("not open yet"),
        State.OPEN: _("open"),
        State.CLOSED: _("closed"),
    }[state]


def question_version(question: Question) -> str:
    """A fingerprint of the editable fields: question forms carry it for optimistic locking."""
    data = [question.section_id, question.kind, question.text, question.help_text, question.required, question.options]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:16]


def section_version(section: SurveySection) -> str:
    return hashlib.sha256(section.title.encode()).hexdigest()[:16]


def has_responses(survey: Survey) -> bool:
    """Whether answers exist that the questionnaire must stay compatible with: the survey's own responses, or —
    for the questionnaire of a network survey — the responses to any Kommune's copy of it."""
    if survey.questionnaire_of_id:
        return Response.objects.filter(survey__network_survey_id=survey.questionnaire_of_id).exists()
    return survey.responses.exists()


# --- Selectors ----------------------------------------------------------------------------------------------


def surveys_of(process):
    """The surveys of a process with their counts (invited, answered invitations, responses, questions)."""
    return (
        Survey.objects.filter(process=process)
        .annotate(
            invited_count=Count("invitations", distinct=True),
            answered_count=Count("invitations", filter=Q(invitations__responded_at__isnull=False), distinct=True),
            response_count=Count("responses", distinct=True),
            question_count=Count("questions", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def response_rate(survey: Survey) -> dict:
    """Answered/invited of the personal links, plus the number of responses through the open link."""
    counts = survey.invitations.aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(responded_at__isnull=False))
    )
    invited, answered = counts["invited"], counts["answered"]
    return {
        "invited": invited,
        "answered": answered,
        "percent": round(100 * answered / invited) if invited else None,
        "open_link": survey.responses.filter(via_open_link=True).count(),
        "total": survey.responses.count(),
    }


@dataclass
class SectionBlock:
    section: SurveySection | None
    questions: list


def questionnaire(survey: Survey) -> list[SectionBlock]:
    """The sections in order with their questions (questions without a section first, under ``None``)."""
    sections = list(survey.sections.all())
    questions = list(survey.questions.all())
    by_section: dict = {section.pk: [] for section in sections}
    loose = []
    for question in questions:
        (by_section.get(question.section_id, loose) if question.section_id else loose).append(question)
    blocks = [SectionBlock(None, loose)] if loose else []
    blocks += [SectionBlock(section, by_section[section.pk]) for section in sections]
    return blocks


# --- Surveys ------------------------------------------------------------------------------------------------


def _clean_survey_fields(fields: dict) -> dict:
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())
        if not fields["title"]:
            raise DomainError(_("Please enter a title for the survey."), field="title")
    if "introduction" in fields:
        fields["introduction"] = (fields["introduction"] or "").strip()
    opens_at, closes_at = fields.get("opens_at"), fields.get("closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError(_("The end must be after the start."), field="closes_at")
    return fields


SURVEY_FIELDS = ("title", "introduction", "anonymous", "opens_at", "closes_at")


@transaction.atomic
def survey_create(
    *,
    actor,
    process,
    title: str,
    introduction: str = "",
    anonymous: bool = True,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    with_default_questionnaire: bool = False,
) -> Survey:
    fields = _clean_survey_fields(
        {
            "title": title,
            "introduction": introduction,
            "anonymous": anonymous,
            "opens_at": opens_at,
            "closes_at": closes_at,
        }
    )
    survey = Survey.objects.create(
        municipality=process.municipality, process=process, created_by=actor if actor else None, **fields
    )
    if with_default_questionnaire:
        from .defaults import default_questionnaire

        questionnaire_apply(survey=survey, sections=default_questionnaire())
    log_action(
        "reviews.survey.created",
        actor=actor,
        municipality=process.municipality,
        obj=survey,
        default_questionnaire=with_default_questionnaire,
    )
    return survey


def questionnaire_apply(*, survey: Survey, sections: list[dict]) -> None:
    """Append ``sections`` (``{"title", "questions": [{"key", "kind", "text", …}]}``) to the survey; a block
    with the title ``None`` holds questions without a section."""
    section_position = (survey.sections.aggregate(top=Max("position"))["top"] or 0) + 1
    question_position = (survey.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    for block in sections:
        section = None
        if block["title"] is not None:
            section = SurveySection.objects.create(survey=survey, title=block["title"], position=section_position)
            section_position += 1
        for entry in block["questions"]:
            Question.objects.create(
                survey=survey,
                section=section,
                kind=entry["kind"],
                text=entry["text"],
                help_text=entry.get("help_text", ""),
                required=entry.get("required", False),
                options=entry.get("options", []),
                key=entry.get("key", ""),
                position=question_position,
            )
            question_position += 1


def questionnaire_export(survey: Survey, *, key=None) -> list[dict]:
    """The survey's sections and questions as plain data for ``questionnaire_apply`` (the reverse of it).
    ``key(question)`` gives the key to write (default: the question's own key)."""
    key = key or (lambda question: question.key)
    return [
        {
            "title": block.section.title if block.section is not None else None,
            "questions": [
                {
                    "key": key(question),
                    "kind": question.kind,
                    "text": question.text,
                    "help_text": question.help_text,
                    "required": question.required,
                    "options": list(question.options or []),
                }
                for question in block.questions
            ],
        }
        for block in questionnaire(survey)
    ]


def _lock(survey: Survey) -> Survey:
    # of=("self",): Kommune and process are null for the questionnaire of a network survey, and PostgreSQL does
    # not lock the nullable side of an outer join.
    return Survey.objects.select_for_update(of=("self",)).select_related("municipality", "process").get(pk=survey.pk)


@transaction.atomic
def survey_update(*, actor, survey: Survey, expected_version: str | None = None, **fields) -> Survey:
    current = _lock(survey)
    if expected_version and expected_version != current.version:
        raise SurveyEditConflict(current)
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    merged = {name: getattr(current, name) for name in SURVEY_FIELDS}
    merged.update(fields)
    fields = _clean_survey_fields(merged)
    if fields["anonymous"] != current.anonymous and has_responses(current):
        raise DomainError(
            _("The survey already has responses: whether it is anonymous can no longer be changed."),
            field="anonymous",
        )
    for name, value in fields.items():
        setattr(current, name, value)
    current.save()
    log_action("reviews.survey.updated", actor=actor, municipality=current.municipality, obj=current)
    return current


@transaction.atomic
def survey_delete(*, actor, survey: Survey) -> None:
    current = _lock(survey)
    log_action("reviews.survey.deleted", actor=actor, municipality=current.municipality, obj=current)
    current.delete()


@transaction.atomic
def survey_close(*, actor, survey: Survey, now: datetime | None = None) -> Survey:
    current = _lock(survey)
    if current.closed_at:
        raise DomainError(_("The survey is already closed."))
    current.closed_at = now or timezone.now()
    current.save(update_fields=["closed_at", "updated_at"])
    log_action("reviews.survey.closed", actor=actor, municipality=current.municipality, obj=current)
    return current


def _touch(survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(updated_at=timezone.now())


# --- Sections -----------------------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Please enter a title for the section."), field="title")
    return title


@transaction.atomic
def section_add(*, actor, survey: Survey, title: str) -> SurveySection:
    survey = _lock(survey)
    top = survey.sections.aggregate(top=Max("position"))["top"]
    section = SurveySection.objects.create(
        survey=survey, title=_clean_title(title), position=0 if top is None else top + 1
    )
    _touch(survey)
    log_action("reviews.section.added", actor=actor, municipality=survey.municipality, obj=survey, title=section.title)
    return section


@transaction.atomic
def section_update(*, actor, section: SurveySection, title: str, expected_version: str | None = None):
    survey = _lock(section.survey)
    current = SurveySection.objects.get(pk=section.pk)
    if expected_version and expected_version != section_version(current):
        raise DomainError(
            _("Somebody else has renamed this section in the meantime: “%(title)s”. Save again to keep your title.")
            % {"title": current.title},
            field="title",
        )
    current.title = _clean_title(title)
    current.save(update_fields=["title"])
    _touch(survey)
    log_action(
        "reviews.section.updated", actor=actor, municipality=survey.municipality, obj=survey, title=current.title
    )
    return current


@transaction.atomic
def section_delete(*, actor, section: SurveySection) -> None:
    survey = _lock(section.survey)
    if section.questions.exists():
        raise DomainError(_("The section still contains questions. Delete or move them first."))
    log_action(
        "reviews.section.deleted", actor=actor, municipality=survey.municipality, obj=survey, title=section.title
    )
    section.delete()
    _touch(survey)


def _swap(items: list, item, direction: str) -> bool:
    index = next(i for i, candidate in enumerate(items) if candidate.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return False
    # Renumber the whole list first, so equal positions cannot make a swap a no-op.
    for position, candidate in enumerate(items):
        candidate.position = position
    items[index].position, items[target].position = items[target].position, items[index].position
    for candidate in items:
        type(candidate).objects.filter(pk=candidate.pk).update(position=candidate.position)
    return True


@transaction.atomic
def section_move(*, actor, section: SurveySection, direction: str) -> None:
    survey = _lock(section.survey)
    if _swap(list(survey.sections.all()), section, direction):
        _touch(survey)
        log_action("reviews.section.moved", actor=actor, municipality=survey.municipality, obj=survey)


# --- Questions ----------------------------------------------------------------------------------------------


def _clean_options(kind: str, options) -> list[str]:
    if kind not in CHOICE_KINDS:
        return []
    if isinstance(options, str):
        options = options.splitlines()
    cleaned = []
    for option in options or []:
        option = " ".join(str(option).split())
        if option and option not in cleaned:
            cleaned.append(option[:200])
    if len(cleaned) < 2:
        raise DomainError(_("Please enter at least two answer options, one per line."), field="options")
    if len(cleaned) > MAX_OPTIONS:
        raise DomainError(_("Please enter at most %(count)d answer options.") % {"count": MAX_OPTIONS}, field="options")
    return cleaned


def _clean_question(survey: Survey, fields: dict) -> dict:
    fields = dict(fields)
    if fields.get("kind") not in QuestionKind.values:
        raise DomainError(_("Please choose a kind of question."), field="kind")
    fields["text"] = " ".join((fields.get("text") or "").split())
    if not fields["text"]:
        raise DomainError(_("Please enter the question."), field="text")
    fields["help_text"] = " ".join((fields.get("help_text") or "").split())
    fields["options"] = _clean_options(fields["kind"], fields.get("options"))
    section = fields.get("section")
    if section is not None and section.survey_id != survey.pk:
        raise DomainError(_("The section does not belong to this survey."), field="section")
    fields["required"] = bool(fields.get("required"))
    return fields


QUESTION_FIELDS = ("section", "kind", "text", "help_text", "required", "options")


@transaction.atomic
def question_add(
    *,
    actor,
    survey: Survey,
    kind: str,
    text: str,
    section: SurveySection | None = None,
    help_text: str = "",
    required: bool = False,
    options=(),
) -> Question:
    survey = _lock(survey)
    fields = _clean_question(
        survey,
        {
            "section": section,
            "kind": kind,
            "text": text,
            "help_text": help_text,
            "required": required,
            "options": options,
        },
    )
    top = survey.questions.aggregate(top=Max("position"))["top"]
    question = Question.objects.create(survey=survey, position=0 if top is None else top + 1, **fields)
    _touch(survey)
    log_action(
        "reviews.question.added", actor=actor, municipality=survey.municipality, obj=survey, question=question.pk
    )
    return question


@transaction.atomic
def question_update(*, actor, question: Question, expected_version: str | None = None, **fields) -> Question:
    survey = _lock(question.survey)
    current = Question.objects.select_related("section").get(pk=question.pk)
    if expected_version and expected_version != question_version(current):
        raise QuestionEditConflict(current)
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {', '.join(sorted(unknown))}")
    merged = {name: getattr(current, name) for name in QUESTION_FIELDS}
    merged.update(fields)
    cleaned = _clean_question(survey, merged)
    if has_responses(survey):
        if cleaned["kind"] != current.kind:
            raise DomainError(
                _("The survey already has responses: the kind of a question can no longer be changed."), field="kind"
            )
        if len(cleaned["options"]) < len(current.options):
            raise DomainError(
                _("The survey already has responses: answer options can be reworded or added, but not removed."),
                field="options",
            )
    for name, value in cleaned.items():
        setattr(current, name, value)
    current.save()
    _touch(survey)
    log_action(
        "reviews.question.updated", actor=actor, municipality=survey.municipality, obj=survey, question=current.pk
    )
    return current


@transaction.atomic
def question_delete(*, actor, question: Question) -> None:
    survey = _lock(question.survey)
    if has_responses(survey):
        raise DomainError(_("The survey already has responses: questions can no longer be deleted."))
    log_action(
        "reviews.question.deleted", actor=actor, municipality=survey.municipality, obj=survey, text=question.text
    )
    question.delete()
    _touch(survey)


@transaction.atomic
def question_move(*, actor, question: Question, direction: str) -> None:
    """Swap the question with its neighbour in the same section."""
    survey = _lock(question.survey)
    siblings = list(survey.questions.filter(section_id=question.section_id))
    if _swap(siblings, question, direction):
        _touch(survey)
        log_action("reviews.question.moved", actor=actor, municipality=survey.municipality, obj=survey)


# --- Distribution -------------------------------------------------------------------------------------------


def _check_distributable(survey: Survey, now: datetime) -> None:
    if survey_state(survey, now=now) == State.CLOSED:
        raise DomainError(_("The survey is closed; no more invitations or reminders can be sent."))
    if not survey.questions.exists():
        raise DomainError(_("The survey has no questions yet."))


def invitable_members(survey: Survey):
    invited = survey.invitations.values_list("email", flat=True)
    return (
        get_user_model()
        .objects.filter(memberships__municipality=survey.municipality, is_active=True)
        .exclude(email__in=invited)
        .order_by("name", "email")
    )


def invitable_actors(survey: Survey):
    invited = survey.invitations.values_list("email", flat=True)
    return (
        survey.municipality.actors.filter(contact_consent=True)
        .exclude(email="")
        .exclude(email__in=invited)
        .order_by("name")
    )


def _mail_link(survey: Survey, invitation: SurveyInvitation, token: str, *, reminder: bool) -> None:
    send_templated_mail(
        "reviews/email/survey_reminder" if reminder else "reviews/email/survey_invitation",
        {
            "survey": survey,
            "municipality": survey.municipality,
            "invitation": invitation,
            "answer_url": answer_url(token),
        },
        [invitation.email],
        language=getattr(invitation, "language", "de") or "de",
    )


@transaction.atomic
def invitations_send(*, actor, survey: Survey, members=(), actors=(), now: datetime | None = None) -> int:
    """Invite members of the team and/or actors (with an e-mail address and consent to contact) and mail each
    a personal link in their language. Returns the number of mails queued."""
    now = now or timezone.now()
    survey = _lock(survey)
    _check_distributable(survey, now)
    municipality = survey.municipality
    guests = []
    for user in members:
        if not municipality.memberships.filter(user=user).exists():
            raise DomainError(_("Only members of the municipality's team can be invited as members."), field="members")
        guests.append(({"member": user, "name": user.name or user.email, "email": user.email}, user.language))
    for stakeholder in actors:
        if stakeholder.municipality_id != municipality.pk:
            raise DomainError(_("The actor does not belong to this municipality."), field="actors")
        if not (stakeholder.contact_consent and stakeholder.email):
            raise DomainError(
                _("%(name)s cannot be invited: there is no e-mail address with consent to contact.")
                % {"name": stakeholder.name},
                field="actors",
            )
        guests.append(({"actor": stakeholder, "name": stakeholder.name, "email": stakeholder.email}, "de"))
    if not guests:
        raise DomainError(_("Please choose at least one person to invite."), field="members")
    seen = {email.lower() for email in survey.invitations.values_list("email", flat=True)}
    outgoing = []
    for guest, language in guests:
        email = guest["email"].strip().lower()
        if email in seen:
            raise DomainError(
                _("%(name)s (%(email)s) has already been invited to this survey.")
                % {"name": guest["name"], "email": email},
                field="members" if "member" in guest else "actors",
            )
        seen.add(email)
        token = secrets.token_urlsafe(32)
        invitation = SurveyInvitation.objects.create(
            survey=survey, token_hash=hash_token(token), sent_at=now, **{**guest, "email": email}
        )
        invitation.language = language
        outgoing.append((invitation, token))

    def _send():
        for invitation, token in outgoing:
            _mail_link(survey, invitation, token, reminder=False)

    transaction.on_commit(_send)
    log_action("reviews.survey.invited", actor=actor, municipality=municipality, obj=survey, count=len(outgoing))
    return len(outgoing)


@transaction.atomic
def invitation_remove(*, actor, invitation: SurveyInvitation) -> None:
    survey = _lock(invitation.survey)
    if invitation.responded_at:
        raise DomainError(_("This person has already answered; the invitation can no longer be removed."))
    log_action("reviews.survey.invitation_removed", actor=actor, municipality=survey.municipality, obj=survey)
    invitation.delete()


def _language_of(invitation: SurveyInvitation) -> str:
    return invitation.member.language if invitation.member_id and invitation.member else "de"


@transaction.atomic
def reminders_send(
    *, actor=None, survey: Survey, now: datetime | None = None, min_days_since: int | None = None
) -> int:
    """Remind everybody invited who has not answered yet (with a fresh link; the older one stops working).

    ``min_days_since`` (used by the daily command): only invitations whose last mail is at least that many days
    old. Returns the number of reminders queued; 0 when nobody is left (no error, so the command can run daily).
    """
    now = now or timezone.now()
    survey = _lock(survey)
    if survey_state(survey, now=now) != State.OPEN:
        if actor is None:
            return 0
        raise DomainError(_("Reminders can only be sent while the survey is open."))
    pending = survey.invitations.filter(responded_at__isnull=True, sent_at__isnull=False).select_related("member")
    outgoing = []
    for invitation in pending:
        last = invitation.reminded_at or invitation.sent_at
        if min_days_since is not None and (now - last).days < min_days_since:
            continue
        token = secrets.token_urlsafe(32)
        invitation.token_hash = hash_token(token)
        invitation.reminded_at = now
        invitation.save(update_fields=["token_hash", "reminded_at"])
        invitation.language = _language_of(invitation)
        outgoing.append((invitation, token))
    if not outgoing:
        if actor is not None:
            raise DomainError(_("Everybody invited has answered already; there is nobody to remind."))
        return 0

    def _send():
        for invitation, token in outgoing:
            _mail_link(survey, invitation, token, reminder=True)

    transaction.on_commit(_send)
    log_action(
        "reviews.survey.reminded", actor=actor, municipality=survey.municipality, obj=survey, count=len(outgoing)
    )
    return len(outgoing)


def send_due_reminders(*, now: datetime | None = None, days: int = REMINDER_INTERVAL_DAYS) -> int:
    """The daily job: remind non-respondents of every open survey whose last mail is ``days`` days old."""
    now = now or timezone.now()
    candidates = (
        Survey.objects.filter(closed_at__isnull=True)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .filter(invitations__responded_at__isnull=True, invitations__sent_at__isnull=False)
        .distinct()
    )
    return sum(reminders_send(survey=survey, now=now, min_days_since=days) for survey in candidates)


@transaction.atomic
def open_link_create(*, actor, survey: Survey, now: datetime | None = None) -> str:
    """Create (or replace) the anonymous open link; returns its token, which is shown only once."""
    now = now or timezone.now()
    survey = _lock(survey)
    if survey_state(survey, now=now) == State.CLOSED:
        raise DomainError(_("The survey is closed; no open link can be created."))
    replaced = bool(survey.open_link_token_hash)
    token = secrets.token_urlsafe(32)
    survey.open_link_token_hash = hash_token(token)
    survey.save(update_fields=["open_link_token_hash", "updated_at"])
    log_action(
        "reviews.survey.open_link_regenerated" if replaced else "reviews.survey.open_link_created",
        actor=actor,
        municipality=survey.municipality,
        obj=survey,
    )
    return token


@transaction.atomic
def open_link_disable(*, actor, survey: Survey) -> None:
    survey = _lock(survey)
    if not survey.open_link_token_hash:
        raise DomainError(_("The survey has no open link."))
    survey.open_link_token_hash = ""
    survey.save(update_fields=["open_link_token_hash", "updated_at"])
    log_action("reviews.survey.open_link_disabled", actor=actor, municipality=survey.municipality, obj=survey)


# --- Answering ----------------------------------------------------------------------------------------------


@dataclass
class Link:
    """What a token opens: the survey and, for a personal link, the invitation."""

    survey: Survey
    invitation: SurveyInvitation | None

    @property
    def is_open_link(self) -> bool:
        return self.invitation is None


def resolve_token(token: str, *, now: datetime | None = None) -> Link:
    """The survey of a personal or open link; raises ``SurveyUnavailable`` (404 unknown / not yet open,
    410 closed) with a German message."""
    now = now or timezone.now()
    token_hash = hash_token(token or "")
    invitation = (
        SurveyInvitation.objects.select_related("survey", "survey__municipality").filter(token_hash=token_hash).first()
        if token
        else None
    )
    if invitation is not None:
        link = Link(invitation.survey, invitation)
    else:
        survey = (
            Survey.objects.select_related("municipality").filter(open_link_token_hash=token_hash).first()
            if token
            else None
        )
        if survey is None:
            raise SurveyUnavailable(
                _("This survey link is not valid. Please check that you copied the whole link from the e-mail."),
                status=404,
            )
        link = Link(survey, None)
    state = survey_state(link.survey, now=now)
    if state == State.CLOSED:
        raise SurveyUnavailable(_("This survey is closed. Answers can no longer be submitted."), status=410)
    if state == State.NOT_OPEN:
        raise SurveyUnavailable(
            _("This survey is not open yet. It opens on %(date)s.")
            % {"date": date_format(timezone.localtime(link.survey.opens_at), "DATETIME_FORMAT")},
            status=404,
        )
    return link


def make_nonce(survey: Survey) -> str:
    """A signed one-time value for the open link's form (no server-side state until it is used)."""
    return signing.dumps({"s": survey.pk, "n": secrets.token_urlsafe(16)}, salt="daks.reviews.survey-nonce")


def _consume_nonce(survey: Survey, nonce: str) -> None:
    try:
        data = signing.loads(nonce or "", salt="daks.reviews.survey-nonce", max_age=NONCE_MAX_AGE)
    except signing.BadSignature:
        raise DomainError(_("The form has expired. Please reload the page and answer again.")) from None
    if data.get("s") != survey.pk:
        raise DomainError(_("The form has expired. Please reload the page and answer again."))
    if not cache.add(f"daks:survey-nonce:{data['n']}", 1, timeout=NONCE_MAX_AGE + 60):
        raise AlreadyAnswered(_("These answers have already been submitted. Thank you!"))


def address_key(request) -> str:
    """A keyed hash of the client's address (the address itself is neither stored nor logged)."""
    return salted_hmac("daks.reviews.address", request.META.get("REMOTE_ADDR", "")).hexdigest()[:32]


def _rate_limit(address: str) -> None:
    limit, seconds = getattr(settings, "DAKS_SURVEY_RATE_LIMIT", DEFAULT_OPEN_LINK_RATE_LIMIT)
    key = f"daks:survey-rate:{address}:{int(time.time() // seconds)}"
    if cache.add(key, 1, timeout=seconds + 5):
        return
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=seconds + 5)
        return
    if count > limit:
        raise DomainError(_("Too many responses from your connection. Please wait a while and try again."))


def clean_answers(survey: Survey, values: dict) -> tuple[dict, dict]:
    """Check ``values`` ({question pk: raw value}) against the questions.

    Returns (answers {question: stored fields}, errors {question pk: German message}). Raw values: Likert and
    single choice a number (str or int), multiple choice a list of option indexes, free text a string.
    """
    answers, errors = {}, {}
    for question in survey.questions.all():
        raw = values.get(question.pk)
        empty = raw in (None, "", [], ()) or (isinstance(raw, str) and not raw.strip())
        if empty:
            if question.required:
                errors[question.pk] = _("Please answer this question.")
            continue
        try:
            if question.kind == QuestionKind.LIKERT:
                number = int(raw)
                if not 1 <= number <= 5:
                    raise ValueError
                answers[question] = {"number": number}
            elif question.kind == QuestionKind.SINGLE:
                number = int(raw)
                if not 0 <= number < len(question.options):
                    raise ValueError
                answers[question] = {"number": number}
            elif question.kind == QuestionKind.MULTIPLE:
                chosen = sorted({int(item) for item in raw})
                if any(not 0 <= item < len(question.options) for item in chosen):
                    raise ValueError
                answers[question] = {"choices": chosen}
            else:
                text = str(raw).replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
                if len(text) > 5000:
                    errors[question.pk] = _("Please write at most 5000 characters.")
                    continue
                answers[question] = {"text": text}
        except (TypeError, ValueError, OverflowError):  # OverflowError: int(float("inf"))
            errors[question.pk] = _("Please choose one of the given answers.")
    return answers, errors


class AnswersInvalid(DomainError):
    def __init__(self, errors: dict):
        super().__init__(_("Please correct the marked answers."))
        self.errors = errors


def _day(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def response_submit(
    *, token: str, values: dict, nonce: str = "", address: str = "", now: datetime | None = None
) -> Response:
    """Submit the answers of a personal or open link (no login). Nothing is written when a rule is violated:
    unknown/closed link (``SurveyUnavailable``), already answered (``AlreadyAnswered``), invalid or missing
    required answers (``AnswersInvalid`` with the messages per question), rate limit or used form."""
    now = now or timezone.now()
    link = resolve_token(token, now=now)
    survey = link.survey
    answers, errors = clean_answers(survey, values)
    if errors:
        raise AnswersInvalid(errors)
    if not answers:
        raise DomainError(_("Please answer at least one question."))
    stamp = _day(now) if survey.anonymous else now
    if link.invitation is not None:
        claimed = SurveyInvitation.objects.filter(pk=link.invitation.pk, responded_at__isnull=True).update(
            responded_at=stamp
        )
        if not claimed:
            raise AlreadyAnswered(_("You have already answered this survey. Thank you!"))
    else:
        _rate_limit(address)
        _consume_nonce(survey, nonce)
    response = Response.objects.create(
        survey=survey,
        invitation=None if survey.anonymous else link.invitation,
        via_open_link=link.invitation is None,
        submitted_at=stamp,
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, **fields) for question, fields in answers.items()
    )
    return response
