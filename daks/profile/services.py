"""Writes of the municipal profile: SWOT entries, fields of action, interpretations of the statistics,
the inventory (Bestandsaufnahme) with its documents and the qualitative interviews.

Every function is keyword-only, runs in one transaction, raises DomainError with a German message when
a rule is violated (nothing is written then) and records an audit log entry. ``municipality`` is the
Kommune of the request: objects of another Kommune are refused.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.errors import EditConflict as BaseEditConflict
from daks.core.uploads import CheckedDocument, validate_document

from .models import (
    SUGGESTED_TOPICS,
    FieldOfAction,
    InterpretationSection,
    Interview,
    InterviewStatus,
    InventoryItem,
    InventoryKind,
    InventoryStatus,
    ProfileInterpretation,
    Quadrant,
    SwotItem,
)


class EditConflict(BaseEditConflict):
    """The object was changed by somebody else since the form was opened."""

    conflict_message = gettext_lazy(
        "Somebody else has changed this entry in the meantime. The saved version is shown next to "
        "your input; check it and save again to keep your version."
    )


def _check_process(municipality, process) -> None:
    if process is None or process.municipality_id != municipality.pk:
        raise DomainError(_("This strategy process does not belong to this municipality."))


def _check_object(municipality, obj) -> None:
    if obj.municipality_id != municipality.pk or obj.process.municipality_id != municipality.pk:
        raise DomainError(_("This entry does not belong to this municipality."))


def _clean_text(value: str, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    return value


def _move(queryset, obj, *, direction: str, field: str) -> bool:
    """Swap ``obj`` with its neighbour in ``queryset`` (renumbered 1…n first). False at the edge."""
    if direction not in ("up", "down"):
        raise DomainError(_("Please choose a valid direction."))
    ids = list(queryset.select_for_update().order_by(field, "id").values_list("id", flat=True))
    index = ids.index(obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ids):
        return False
    ids[index], ids[other] = ids[other], ids[index]
    for number, pk in enumerate(ids, start=1):
        # .update() keeps updated_at (the version): reordering does not conflict with an open edit form.
        queryset.filter(pk=pk).update(**{field: number})
    return True


# --- SWOT -------------------------------------------------------------------------------------


def _check_evidence(process, *, evidence_indicator: str, evidence_inventory, evidence_interview) -> str:
    """The cited indicator, inventory entry and interview must exist and belong to ``process``."""
    from .selectors import evidence_indicators

    evidence_indicator = (evidence_indicator or "").strip()
    if evidence_indicator and evidence_indicator not in dict(evidence_indicators()):
        raise DomainError(_("Please choose one of the listed indicators."), field="evidence_indicator")
    if evidence_inventory is not None and evidence_inventory.process_id != process.pk:
        raise DomainError(_("Please choose an inventory entry of this process."), field="evidence_inventory")
    if evidence_interview is not None and evidence_interview.process_id != process.pk:
        raise DomainError(_("Please choose an interview of this process."), field="evidence_interview")
    return evidence_indicator


@transaction.atomic
def swot_item_create(
    *,
    actor,
    municipality,
    process,
    quadrant: str,
    text: str,
    evidence: str = "",
    evidence_url: str = "",
    evidence_indicator: str = "",
    evidence_inventory: InventoryItem | None = None,
    evidence_interview: Interview | None = None,
) -> SwotItem:
    _check_process(municipality, process)
    if quadrant not in Quadrant.values:
        raise DomainError(_("Please choose a valid quadrant."), field="quadrant")
    text = _clean_text(text, field="text", message=_("Please enter a statement."))
    evidence_indicator = _check_evidence(
        process,
        evidence_indicator=evidence_indicator,
        evidence_inventory=evidence_inventory,
        evidence_interview=evidence_interview,
    )
    siblings = SwotItem.objects.select_for_update().filter(process=process, quadrant=quadrant)
    last = siblings.order_by("-position").values_list("position", flat=True).first() or 0
    item = SwotItem.objects.create(
        process=process,
        municipality=municipality,
        quadrant=quadrant,
        text=text,
        evidence=(evidence or "").strip(),
        evidence_url=(evidence_url or "").strip(),
        evidence_indicator=evidence_indicator,
        evidence_inventory=evidence_inventory,
        evidence_interview=evidence_interview,
        position=last + 1,
        author=actor,
    )
    log_action(
        "profile.swot.created", actor=actor, municipality=municipality, obj=item, quadrant=quadrant, process=process.pk
    )
    return item


@transaction.atomic
def swot_item_update(
    *,
    actor,
    municipality,
    item: SwotItem,
    text: str,
    evidence: str = "",
    evidence_url: str = "",
    evidence_indicator: str = "",
    evidence_inventory: InventoryItem | None = None,
    evidence_interview: Interview | None = None,
    expected_version: str | None = None,
) -> SwotItem:
    _check_object(municipality, item)
    current = SwotItem.objects.select_for_update().filter(pk=item.pk).first()
    if current is None:
        raise DomainError(_("This entry has been deleted in the meantime."))
    if expected_version and expected_version != current.version:
        raise EditConflict(current)
    current.text = _clean_text(text, field="text", message=_("Please enter a statement."))
    current.evidence_indicator = _check_evidence(
        current.process,
        evidence_indicator=evidence_indicator,
        evidence_inventory=evidence_inventory,
        evidence_interview=evidence_interview,
    )
    current.evidence = (evidence or "").strip()
    current.evidence_url = (evidence_url or "").strip()
    current.evidence_inventory = evidence_inventory
    current.evidence_interview = evidence_interview
    current.save()
    log_action("profile.swot.updated", actor=actor, municipality=municipality, obj=current, process=current.process_id)
    return current


@transaction.atomic
def swot_item_delete(*, actor, municipality, item: SwotItem) -> None:
    _check_object(municipality, item)
    log_action(
        "profile.swot.deleted",
        actor=actor,
        municipality=municipality,
        obj=item,
        quadrant=item.quadrant,
        process=item.process_id,
    )
    item.delete()


@transaction.atomic
def swot_item_move(*, actor, municipality, item: SwotItem, direction: str) -> bool:
    _check_object(municipality, item)
    siblings = SwotItem.objects.filter(process_id=item.process_id, quadrant=item.quadrant)
    moved = _move(siblings, item, direction=direction, field="position")
    if moved:
        log_action("profile.swot.moved", actor=actor, municipality=municipality, obj=item, direction=direction)
    return moved


# --- Fields of action -------------------------------------------------------------------------


def _check_swot_items(process, swot_items) -> list[SwotItem]:
    swot_items = list(swot_items or [])
    if any(item.process_id != process.pk for item in swot_items):
        raise DomainError(_("Please choose SWOT entries of this process."), field="swot_items")
    return swot_items


@transaction.atomic
def field_of_action_create(
    *, actor, municipality, process, title: str, description: str = "", swot_items=()
) -> FieldOfAction:
    _check_process(municipality, process)
    title = _clean_text(title, field="title", message=_("Please enter a title."))
    swot_items = _check_swot_items(process, swot_items)
    if FieldOfAction.objects.filter(process=process, title__iexact=title).exists():
        raise DomainError(_("A field of action with this title already exists."), field="title")
    siblings = FieldOfAction.objects.select_for_update().filter(process=process)
    last = siblings.order_by("-priority").values_list("priority", flat=True).first() or 0
    field = FieldOfAction.objects.create(
        process=process,
        municipality=municipality,
        title=title,
        description=(description or "").strip(),
        priority=last + 1,
        author=actor,
    )
    field.swot_items.set(swot_items)
    log_action("profile.field.created", actor=actor, municipality=municipality, obj=field)
    return field


def field_of_action_from_suggestion(*, actor, municipality, process, topic: str) -> FieldOfAction:
    if topic not in SUGGESTED_TOPICS:
        raise DomainError(_("Please choose one of the suggested topics."), field="topic")
    return field_of_action_create(actor=actor, municipality=municipality, process=process, title=topic)


@transaction.atomic
def field_of_action_update(
    *,
    actor,
    municipality,
    field: FieldOfAction,
    title: str,
    description: str = "",
    swot_items=(),
    expected_version: str | None = None,
) -> FieldOfAction:
    _check_object(municipality, field)
    current = FieldOfAction.objects.select_for_update().filter(pk=field.pk).first()
    if current is None:
        raise DomainError(_("This entry has been deleted in the meantime."))
    if expected_version and expected_version != current.version:
        raise EditConflict(current)
    title = _clean_text(title, field="title", message=_("Please enter a title."))
    swot_items = _check_swot_items(current.process, swot_items)
    if FieldOfAction.objects.filter(process_id=current.process_id, title__iexact=title).exclude(pk=current.pk).exists():
        raise DomainError(_("A field of action with this title already exists."), field="title")
    current.title = title
    current.description = (description or "").strip()
    current.save()
    current.swot_items.set(swot_items)
    log_action("profile.field.updated", actor=actor, municipality=municipality, obj=current)
    return current


@transaction.atomic
def field_of_action_delete(*, actor, municipality, field: FieldOfAction) -> None:
    _check_object(municipality, field)
    log_action("profile.field.deleted", actor=actor, municipality=municipality, obj=field)
    field.delete()


@transaction.atomic
def field_of_action_move(*, actor, municipality, field: FieldOfAction, direction: str) -> bool:
    _check_object(municipality, field)
    siblings = FieldOfAction.objects.filter(process_id=field.process_id)
    moved = _move(siblings, field, direction=direction, field="priority")
    if moved:
        log_action("profile.field.moved", actor=actor, municipality=municipality, obj=field, direction=direction)
    return moved


# --- Interpretations of the statistics ----------------------------------------------------------


class InterpretationConflict(BaseEditConflict):
    """The interpretation was saved by somebody else since the form was opened."""

    conflict_message = gettext_lazy(
        "Somebody else has saved an interpretation of this section in the meantime. The saved version "
        "is shown next to your input; check it and save again to keep your version."
    )
    conflict_field = "text"


INTERPRETATION_MAX_LENGTH = 5000


@transaction.atomic
def interpretation_save(
    *, actor, municipality, process, section: str, text: str, expected_version: str = ""
) -> ProfileInterpretation:
    """Create or change the interpretation of one statistics section of ``process``.

    ``expected_version`` is the version the form was opened with ("" when there was no text yet): when the
    stored interpretation differs from it, nothing is written and InterpretationConflict is raised.
    """
    from daks.strategy.models import StrategyProcess

    _check_process(municipality, process)
    if section not in InterpretationSection.values:
        raise DomainError(_("Please choose a valid section."), field="section")
    text = (text or "").strip()
    if len(text) > INTERPRETATION_MAX_LENGTH:
        raise DomainError(
            _("Please keep the interpretation to at most %(count)d characters.") % {"count": INTERPRETATION_MAX_LENGTH},
            field="text",
        )
    # Lock the process row: two first saves of the same section cannot both create an entry.
    StrategyProcess.objects.select_for_update().filter(pk=process.pk).first()
    current = ProfileInterpretation.objects.select_for_update().filter(process=process, section=section).first()
    # A form that knew a version of an entry that is gone (not possible in the UI) simply saves anew.
    if current is not None and (expected_version or "") != current.version:
        raise InterpretationConflict(current)
    if current is None:
        current = ProfileInterpretation(process=process, municipality=municipality, section=section)
    elif current.text == text:
        return current
    current.text = text
    current.updated_by = actor
    current.save()
    log_action("profile.interpretation.saved", actor=actor, municipality=municipality, obj=current, section=section)
    return current


# --- Inventory (Bestandsaufnahme) -------------------------------------------------------------------------------

YEAR_RANGE = (1900, 2100)


def _check_year(value, *, field: str) -> int | None:
    if value in (None, ""):
        return None
    if not YEAR_RANGE[0] <= int(value) <= YEAR_RANGE[1]:
        raise DomainError(
            _("Please enter a year between %(min)d and %(max)d.") % {"min": YEAR_RANGE[0], "max": YEAR_RANGE[1]},
            field=field,
        )
    return int(value)


def _check_url(url: str) -> str:
    from django.core.validators import URLValidator

    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise DomainError(_("Please enter a valid web address (https://…)."), field="url") from None
    return url


def _inventory_values(
    process, *, title, kind, field_of_action, topic, owner, status, start_year, end_year, url, notes
) -> dict:
    """Check the fields of an inventory entry (nothing is written); the cleaned values by model field."""
    title = _clean_text(title, field="title", message=_("Please enter a title."))
    if kind not in InventoryKind.values:
        raise DomainError(_("Please choose a valid kind."), field="kind")
    if status not in InventoryStatus.values:
        raise DomainError(_("Please choose a valid status."), field="status")
    if field_of_action is not None and field_of_action.process_id != process.pk:
        raise DomainError(_("Please choose a field of action of this process."), field="field_of_action")
    start_year = _check_year(start_year, field="start_year")
    end_year = _check_year(end_year, field="end_year")
    if start_year and end_year and end_year < start_year:
        raise DomainError(_("The end year must not be before the start year."), field="end_year")
    return {
        "title": title,
        "kind": kind,
        "field_of_action": field_of_action,
        "topic": (topic or "").strip(),
        "owner": (owner or "").strip(),
        "status": status,
        "start_year": start_year,
        "end_year": end_year,
        "url": _check_url(url),
        "notes": (notes or "").strip(),
    }


def check_document(document) -> CheckedDocument | None:
    """The uploaded ``document`` checked by content (see daks.core.uploads), or None when there is none."""
    if not document:
        return None
    if isinstance(document, CheckedDocument):
        return document
    try:
        return validate_document(document)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="document") from None


def _store_document(item: InventoryItem, checked: CheckedDocument) -> None:
    """Write the file under an unguessable name (never the client's); remember the client's name for downloads."""
    extension = checked.filename.rsplit(".", 1)[-1]
    item.document.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(checked.content), save=False)
    item.document_name = checked.filename
    item.document_type = checked.mimetype


def _delete_file_on_commit(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def inventory_item_create(
    *,
    actor,
    municipality,
    process,
    title: str,
    kind: str = InventoryKind.PROJECT,
    field_of_action: FieldOfAction | None = None,
    topic: str = "",
    owner: str = "",
    status: str = InventoryStatus.RUNNING,
    start_year: int | None = None,
    end_year: int | None = None,
    url: str = "",
    notes: str = "",
    document=None,
) -> InventoryItem:
    """Add an entry to the inventory; ``document`` (optional) is an uploaded file, checked by its content."""
    _check_process(municipality, process)
    values = _inventory_values(
        process,
        title=title,
        kind=kind,
        field_of_action=field_of_action,
        topic=topic,
        owner=owner,
        status=status,
        start_year=start_year,
        end_year=end_year,
        url=url,
        notes=notes,
    )
    checked = check_document(document)
    item = InventoryItem(process=process, municipality=municipality, author=actor, **values)
    try:
        if checked is not None:
            _store_document(item, checked)
        item.save()
    except BaseException:
        if item.document:
            item.document.storage.delete(item.document.name)
        raise
    log_action(
        "profile.inventory.created",
        actor=actor,
        municipality=municipality,
        obj=item,
        process=process.pk,
        document=bool(checked),
    )
    return item


@transaction.atomic
def inventory_item_update(
    *,
    actor,
    municipality,
    item: InventoryItem,
    title: str,
    kind: str,
    field_of_action: FieldOfAction | None = None,
    topic: str = "",
    owner: str = "",
    status: str,
    start_year: int | None = None,
    end_year: int | None = None,
    url: str = "",
    notes: str = "",
    document=None,
    remove_document: bool = False,
    expected_version: str | None = None,
) -> InventoryItem:
    """Change an inventory entry. A new ``document`` replaces the stored one; ``remove_document`` drops it."""
    _check_object(municipality, item)
    current = InventoryItem.objects.select_for_update().select_related("process").filter(pk=item.pk).first()
    if current is None:
        raise DomainError(_("This entry has been deleted in the meantime."))
    if expected_version and expected_version != current.version:
        raise EditConflict(current)
    values = _inventory_values(
        current.process,
        title=title,
        kind=kind,
        field_of_action=field_of_action,
        topic=topic,
        owner=owner,
        status=status,
        start_year=start_year,
        end_year=end_year,
        url=url,
        notes=notes,
    )
    checked = check_document(document)
    old_name = current.document.name if current.document else ""
    for name, value in values.items():
        setattr(current, name, value)
    new_name = ""
    try:
        if checked is not None:
            _store_document(current, checked)
            new_name = current.document.name
        elif remove_document:
            current.document = None
            current.document_name = current.document_type = ""
        current.save()
    except BaseException:
        if new_name:
            current.document.storage.delete(new_name)
        raise
    if old_name and (checked is not None or remove_document):
        _delete_file_on_commit(current.document.storage, old_name)
    log_action(
        "profile.inventory.updated",
        actor=actor,
        municipality=municipality,
        obj=current,
        process=current.process_id,
        document="replaced" if checked else ("removed" if remove_document and old_name else ""),
    )
    return current


@transaction.atomic
def inventory_item_delete(*, actor, municipality, item: InventoryItem) -> None:
    """Delete an entry and (after the commit) its document; SWOT entries citing it keep their text."""
    _check_object(municipality, item)
    name = item.document.name if item.document else ""
    storage = item.document.storage
    log_action("profile.inventory.deleted", actor=actor, municipality=municipality, obj=item, process=item.process_id)
    item.delete()
    _delete_file_on_commit(storage, name)


# --- Qualitative interviews -------------------------------------------------------------------------------------


def _clean_statements(text: str) -> str:
    """One key statement per line: lines trimmed, empty lines dropped."""
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


def _interview_values(
    municipality, *, interviewee_actor, interviewee, status, date, interviewer, summary, key_statements
) -> dict:
    interviewee = (interviewee or "").strip()
    if interviewee_actor is not None and interviewee_actor.municipality_id != municipality.pk:
        raise DomainError(_("Please choose an actor of this municipality."), field="actor")
    if interviewee_actor is None and not interviewee:
        raise DomainError(
            _("Please choose an actor from the register or enter whom the interview is with."), field="interviewee"
        )
    if status not in InterviewStatus.values:
        raise DomainError(_("Please choose a valid status."), field="status")
    if date is not None and not isinstance(date, datetime.date):
        raise DomainError(_("Please enter a valid date."), field="date")
    if status == InterviewStatus.DONE and date is None:
        raise DomainError(_("Please enter the date on which the interview took place."), field="date")
    if interviewer is not None and not interviewer.memberships.filter(municipality=municipality).exists():
        raise DomainError(_("Please choose a member of the team as interviewer."), field="interviewer")
    return {
        "actor": interviewee_actor,
        "interviewee": interviewee,
        "status": status,
        "date": date,
        "interviewer": interviewer,
        "summary": (summary or "").strip(),
        "key_statements": _clean_statements(key_statements),
    }


@transaction.atomic
def interview_create(
    *,
    actor,
    municipality,
    process,
    interviewee_actor=None,
    interviewee: str = "",
    status: str = InterviewStatus.PLANNED,
    date: datetime.date | None = None,
    interviewer=None,
    summary: str = "",
    key_statements: str = "",
) -> Interview:
    """Plan or record a qualitative interview (``actor`` is the acting user; the interviewee is
    ``interviewee_actor`` from the actors register and/or the free text ``interviewee``)."""
    _check_process(municipality, process)
    values = _interview_values(
        municipality,
        interviewee_actor=interviewee_actor,
        interviewee=interviewee,
        status=status,
        date=date,
        interviewer=interviewer,
        summary=summary,
        key_statements=key_statements,
    )
    interview = Interview.objects.create(process=process, municipality=municipality, **values)
    log_action("profile.interview.created", actor=actor, municipality=municipality, obj=interview, process=process.pk)
    return interview


@transaction.atomic
def interview_update(
    *,
    actor,
    municipality,
    interview: Interview,
    interviewee_actor=None,
    interviewee: str = "",
    status: str,
    date: datetime.date | None = None,
    interviewer=None,
    summary: str = "",
    key_statements: str = "",
    expected_version: str | None = None,
) -> Interview:
    _check_object(municipality, interview)
    current = Interview.objects.select_for_update().filter(pk=interview.pk).first()
    if current is None:
        raise DomainError(_("This entry has been deleted in the meantime."))
    if expected_version and expected_version != current.version:
        raise EditConflict(current)
    values = _interview_values(
        municipality,
        interviewee_actor=interviewee_actor,
        interviewee=interviewee,
        status=status,
        date=date,
        interviewer=interviewer,
        summary=summary,
        key_statements=key_statements,
    )
    for name, value in values.items():
        setattr(current, name, value)
    current.save()
    log_action(
        "profile.interview.updated", actor=actor, municipality=municipality, obj=current, process=current.process_id
    )
    return current


@transaction.atomic
def interview_delete(*, actor, municipality, interview: Interview) -> None:
    _check_object(municipality, interview)
    log_action(
        "profile.interview.deleted", actor=actor, municipality=municipality, obj=interview, process=interview.process_id
    )
    interview.delete()
