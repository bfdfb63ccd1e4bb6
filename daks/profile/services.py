"""Writes of the municipal profile: SWOT entries, fields of action and the interpretations of the statistics.

Every function is keyword-only, runs in one transaction, raises DomainError with a German message when
a rule is violated (nothing is written then) and records an audit log entry. ``municipality`` is the
Kommune of the request: objects of another Kommune are refused.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.errors import EditConflict as BaseEditConflict

from .models import SUGGESTED_TOPICS, FieldOfAction, InterpretationSection, ProfileInterpretation, Quadrant, SwotItem


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


@transaction.atomic
def swot_item_create(
    *, actor, municipality, process, quadrant: str, text: str, evidence: str = "", evidence_url: str = ""
) -> SwotItem:
    _check_process(municipality, process)
    if quadrant not in Quadrant.values:
        raise DomainError(_("Please choose a valid quadrant."), field="quadrant")
    text = _clean_text(text, field="text", message=_("Please enter a statement."))
    siblings = SwotItem.objects.select_for_update().filter(process=process, quadrant=quadrant)
    last = siblings.order_by("-position").values_list("position", flat=True).first() or 0
    item = SwotItem.objects.create(
        process=process,
        municipality=municipality,
        quadrant=quadrant,
        text=text,
        evidence=(evidence or "").strip(),
        evidence_url=(evidence_url or "").strip(),
        position=last + 1,
        author=actor,
    )
    log_action("profile.swot.created", actor=actor, municipality=municipality, obj=item, quadrant=quadrant)
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
    expected_version: str | None = None,
) -> SwotItem:
    _check_object(municipality, item)
    current = SwotItem.objects.select_for_update().filter(pk=item.pk).first()
    if current is None:
        raise DomainError(_("This entry has been deleted in the meantime."))
    if expected_version and expected_version != current.version:
        raise EditConflict(current)
    current.text = _clean_text(text, field="text", message=_("Please enter a statement."))
    current.evidence = (evidence or "").strip()
    current.evidence_url = (evidence_url or "").strip()
    current.save()
    log_action("profile.swot.updated", actor=actor, municipality=municipality, obj=current)
    return current


@transaction.atomic
def swot_item_delete(*, actor, municipality, item: SwotItem) -> None:
    _check_object(municipality, item)
    log_action("profile.swot.deleted", actor=actor, municipality=municipality, obj=item, quadrant=item.quadrant)
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
