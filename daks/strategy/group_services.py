"""Writes concerning the working groups (Arbeitsgruppen) of a strategy process.

Every function is keyword-only, runs in one transaction, raises DomainError with a translated message when
a rule is violated (nothing is written then) and records an audit log entry carrying ``process=<id>`` so the
process overview shows it. Lead and members must be members of the Kommune's team, actors must be in the
Kommune's actors register, the field of action must belong to the group's process.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError, EditConflict

from .models import WorkingGroup

SCALAR_FIELDS = ("title", "description", "process", "field_of_action", "lead")
EDITABLE_FIELDS = (*SCALAR_FIELDS, "members", "actors")


class WorkingGroupEditConflict(EditConflict):
    """The group was changed by somebody else since the form was opened; ``current`` is the stored group."""

    conflict_message = gettext_lazy(
        "Somebody else has changed this working group in the meantime. The current values are shown next to "
        "your input; check them and save again to keep your version."
    )


def _is_member(municipality, user) -> bool:
    return municipality.memberships.filter(user=user).exists()


def _clean(municipality, fields: dict) -> dict:
    """Normalise and check the scalar fields (only those given)."""
    if "title" in fields:
        fields["title"] = " ".join((fields["title"] or "").split())
        if not fields["title"]:
            raise DomainError(_("Please enter a title for the working group."), field="title")
        if len(fields["title"]) > 200:
            raise DomainError(_("The title may have at most 200 characters."), field="title")
    if "description" in fields:
        fields["description"] = (fields["description"] or "").strip()
    process = fields.get("process")
    if "process" in fields and process is None:
        raise DomainError(_("Please choose the strategy process of the working group."), field="process")
    if process is not None and process.municipality_id != municipality.pk:
        raise DomainError(_("The process does not belong to this municipality."), field="process")
    lead = fields.get("lead")
    if lead is not None and not _is_member(municipality, lead):
        raise DomainError(_("Only a member of the municipality's team can lead the working group."), field="lead")
    return fields


def _check_field_of_action(group: WorkingGroup) -> None:
    field = group.field_of_action
    if field is not None and (field.municipality_id != group.municipality_id or field.process_id != group.process_id):
        raise DomainError(
            _("The field of action does not belong to the strategy process of the working group."),
            field="field_of_action",
        )


def _check_people(municipality, members, actors) -> tuple[list, list]:
    """The members and actors as lists; refused unless all belong to ``municipality``."""
    members = list(members) if members is not None else None
    actors = list(actors) if actors is not None else None
    if members:
        team = set(municipality.memberships.filter(user__in=members).values_list("user_id", flat=True))
        strangers = [user for user in members if user.pk not in team]
        if strangers:
            raise DomainError(
                _("Only members of the municipality's team can be members of the working group: %(names)s.")
                % {"names": ", ".join(user.name or user.email for user in strangers)},
                field="members",
            )
    if actors:
        strangers = [actor for actor in actors if actor.municipality_id != municipality.pk]
        if strangers:
            raise DomainError(
                _("These actors are not in the actors register of this municipality: %(names)s.")
                % {"names": ", ".join(actor.name for actor in strangers)},
                field="actors",
            )
    return members, actors


def _with_lead(members: list | None, lead) -> list | None:
    """The lead always belongs to the group."""
    if members is None or lead is None or any(user.pk == lead.pk for user in members):
        return members
    return [*members, lead]


@transaction.atomic
def group_create(
    *,
    actor,
    municipality,
    process,
    title: str,
    description: str = "",
    field_of_action=None,
    lead=None,
    members=(),
    actors=(),
) -> WorkingGroup:
    fields = _clean(
        municipality,
        {
            "title": title,
            "description": description,
            "process": process,
            "field_of_action": field_of_action,
            "lead": lead,
        },
    )
    members, actors = _check_people(municipality, members, actors)
    group = WorkingGroup(municipality=municipality, created_by=actor, **fields)
    _check_field_of_action(group)
    group.save()
    group.members.set(_with_lead(members, group.lead))
    group.actors.set(actors)
    log_action(
        "strategy.working_group.created",
        actor=actor,
        municipality=municipality,
        obj=group,
        process=group.process_id,
        working_group=group.pk,
    )
    return group


def _lock(group: WorkingGroup) -> WorkingGroup:
    return (
        WorkingGroup.objects.select_for_update(of=("self",))
        .select_related("municipality", "process", "field_of_action", "lead")
        .get(pk=group.pk)
    )


@transaction.atomic
def group_update(*, actor, group: WorkingGroup, expected_version: str | None = None, **fields) -> WorkingGroup:
    """Change a working group (any of EDITABLE_FIELDS). When ``expected_version`` differs from the stored version
    (somebody else saved in between), WorkingGroupEditConflict carrying the stored group is raised and nothing is
    written."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"group_update() got unexpected fields: {sorted(unknown)}")
    group = _lock(group)
    if expected_version and expected_version != group.version:
        raise WorkingGroupEditConflict(group)
    municipality = group.municipality
    members, actors = _check_people(municipality, fields.pop("members", None), fields.pop("actors", None))
    fields = _clean(municipality, fields)
    changed = []
    for field, value in fields.items():
        if getattr(group, field) != value:
            setattr(group, field, value)
            changed.append(field)
    _check_field_of_action(group)
    group.save()
    if members is not None or "lead" in changed:
        members = _with_lead(members if members is not None else list(group.members.all()), group.lead)
        if {user.pk for user in members} != set(group.members.values_list("pk", flat=True)):
            group.members.set(members)
            changed.append("members")
    if actors is not None and {a.pk for a in actors} != set(group.actors.values_list("pk", flat=True)):
        group.actors.set(actors)
        changed.append("actors")
    log_action(
        "strategy.working_group.updated",
        actor=actor,
        municipality=municipality,
        obj=group,
        process=group.process_id,
        working_group=group.pk,
        fields=sorted(changed),
    )
    return group


@transaction.atomic
def group_set_members(*, actor, group: WorkingGroup, members=None, actors=None) -> WorkingGroup:
    """Replace the members and/or the actors of a group (``None`` keeps them); the lead stays a member."""
    fields = {}
    if members is not None:
        fields["members"] = members
    if actors is not None:
        fields["actors"] = actors
    return group_update(actor=actor, group=group, **fields)


@transaction.atomic
def group_delete(*, actor, group: WorkingGroup) -> None:
    """Delete a group; its meetings and tasks stay (without a group)."""
    log_action(
        "strategy.working_group.deleted",
        actor=actor,
        municipality=group.municipality,
        obj=group,
        process=group.process_id,
        working_group=group.pk,
    )
    group.delete()


def check_group_for(municipality, *, working_group, process):
    """For meetings and tasks: the group must belong to ``municipality`` and to the same process.

    Returns the process to store (the group's process when none was chosen)."""
    if working_group is None:
        return process
    if working_group.municipality_id != municipality.pk:
        raise DomainError(_("The working group does not belong to this municipality."), field="working_group")
    if process is None:
        return working_group.process
    if process.pk != working_group.process_id:
        raise DomainError(
            _("The working group belongs to another strategy process. Please choose its process or no group."),
            field="working_group",
        )
    return process
