"""Writes concerning the actors register (Akteursregister) of a Kommune.

Every function is keyword-only, runs in one transaction, raises DomainError with a translated message when
a rule is violated (nothing is written then) and records an audit log entry. Contact data (e-mail, phone)
is only stored with the actor's consent.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError, EditConflict

from .models import Actor, ActorKind, Sector

EDITABLE_FIELDS = (
    "kind",
    "name",
    "organisation",
    "sector",
    "role_in_process",
    "email",
    "phone",
    "contact_consent",
    "consent_date",
    "influence",
    "interest",
    "notes",
)
PHONE_RE = re.compile(r"^[0-9+()/\-. ]{3,40}$")


class ActorEditConflict(EditConflict):
    """The actor was changed by somebody else since the form was opened; ``current`` is the stored actor."""

    conflict_message = gettext_lazy(
        "Somebody else has changed this actor in the meantime. The current values are shown next to "
        "your input; check them and save again to keep your version."
    )


def _score(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        message = {
            "influence": _("The influence must be a whole number from 1 to 5."),
            "interest": _("The interest must be a whole number from 1 to 5."),
        }[field]
        raise DomainError(message, field=field)
    return value


def clean_actor_fields(fields: dict, *, today: date | None = None) -> dict:
    """Normalise and check a complete set of actor fields (shared by the form services and the import)."""
    fields = dict(fields)
    for key in ("name", "organisation", "phone"):
        fields[key] = " ".join((fields.get(key) or "").split())
    for key in ("role_in_process", "notes", "email"):
        fields[key] = (fields.get(key) or "").strip()
    if not fields["name"]:
        raise DomainError(_("Please enter the name of the actor."), field="name")
    if len(fields["name"]) > 200:
        raise DomainError(_("The name may have at most 200 characters."), field="name")
    if len(fields["organisation"]) > 200:
        raise DomainError(_("The organisation may have at most 200 characters."), field="organisation")
    if fields.get("kind") not in ActorKind.values:
        raise DomainError(_("Please choose whether the actor is an organisation or a person."), field="kind")
    if fields["kind"] == ActorKind.ORGANISATION:
        fields["organisation"] = ""
    if fields.get("sector") not in Sector.values:
        raise DomainError(_("Please choose a valid sector."), field="sector")
    fields["influence"] = _score(fields.get("influence"), "influence")
    fields["interest"] = _score(fields.get("interest"), "interest")
    if fields["email"]:
        try:
            if len(fields["email"]) > Actor._meta.get_field("email").max_length:  # the validator allows 320
                raise ValidationError("too long")
            validate_email(fields["email"])
        except ValidationError:
            raise DomainError(_("Please enter a valid e-mail address."), field="email") from None
    if fields["phone"] and not PHONE_RE.match(fields["phone"]):
        raise DomainError(_("Please enter a valid phone number (digits, spaces and + ( ) / - only)."), field="phone")
    consent = bool(fields.get("contact_consent"))
    fields["contact_consent"] = consent
    if (fields["email"] or fields["phone"]) and not consent:
        raise DomainError(
            _("Contact data may only be stored with the consent of the actor. Please record the consent first."),
            field="contact_consent",
        )
    if consent:
        fields["consent_date"] = fields.get("consent_date") or today or timezone.localdate()
    else:
        fields["consent_date"] = None
    return fields


def _defaults() -> dict:
    return {
        "kind": ActorKind.ORGANISATION,
        "organisation": "",
        "sector": Sector.OTHER,
        "role_in_process": "",
        "email": "",
        "phone": "",
        "contact_consent": False,
        "consent_date": None,
        "influence": 3,
        "interest": 3,
        "notes": "",
    }


@transaction.atomic
def actor_create(*, actor, municipality, name: str, **fields) -> Actor:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"actor_create() got unexpected fields: {sorted(unknown)}")
    data = clean_actor_fields({**_defaults(), **fields, "name": name})
    record = Actor.objects.create(municipality=municipality, created_by=actor, **data)
    log_action("strategy.actor.created", actor=actor, municipality=municipality, obj=record, actor_id=record.pk)
    return record


@transaction.atomic
def actor_update(*, actor, record: Actor, expected_version: str | None = None, **fields) -> Actor:
    """Change an actor. When ``expected_version`` differs from the stored version (somebody else saved in
    between), ActorEditConflict carrying the stored actor is raised and nothing is written."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"actor_update() got unexpected fields: {sorted(unknown)}")
    record = Actor.objects.select_for_update().select_related("municipality").get(pk=record.pk)
    if expected_version and expected_version != record.version:
        raise ActorEditConflict(record)
    current = {field: getattr(record, field) for field in EDITABLE_FIELDS}
    if fields.get("contact_consent") and current["contact_consent"] and "consent_date" not in fields:
        fields["consent_date"] = current["consent_date"]
    data = clean_actor_fields({**current, **fields})
    changed = sorted(field for field, value in data.items() if getattr(record, field) != value)
    for field, value in data.items():
        setattr(record, field, value)
    record.save()
    log_action(
        "strategy.actor.updated",
        actor=actor,
        municipality=record.municipality,
        obj=record,
        actor_id=record.pk,
        fields=changed,
    )
    return record


@transaction.atomic
def actor_delete(*, actor, record: Actor) -> None:
    log_action("strategy.actor.deleted", actor=actor, municipality=record.municipality, obj=record, actor_id=record.pk)
    record.delete()


class ActorImportError(DomainError):
    """The import was refused; ``errors`` lists the messages (with row numbers). Nothing was written."""

    def __init__(self, errors: list[str]):
        super().__init__(_("The file was not imported; nothing has been saved."), field="file")
        self.errors = errors


@transaction.atomic
def actor_import(*, actor, municipality, rows: list[tuple[int, dict]], source: str = "") -> list[Actor]:
    """Create all actors of ``rows`` (row number, fields) — all or nothing: any invalid row refuses the import."""
    errors, cleaned = [], []
    today = timezone.localdate()
    for number, fields in rows:
        try:
            cleaned.append(clean_actor_fields({**_defaults(), **fields}, today=today))
        except DomainError as error:
            errors.append(_("Row %(row)s: %(message)s") % {"row": number, "message": error.message})
    if not rows and not errors:
        errors.append(_("The file contains no actors."))
    if errors:
        raise ActorImportError(errors)
    created = Actor.objects.bulk_create(
        [Actor(municipality=municipality, created_by=actor, **data) for data in cleaned]
    )
    log_action(
        "strategy.actor.imported", actor=actor, municipality=municipality, count=len(created), source=source[:200]
    )
    return created
