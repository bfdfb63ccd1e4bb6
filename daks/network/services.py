"""Writes of the network: portraits, contact consent, the contact form, groups of Kommunen."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from daks.core.audit import log_action
from daks.core.errors import DomainError, EditConflict
from daks.core.mail import send_templated_mail
from daks.core.uploads import CheckedDocument

from .models import ContactConsent, MunicipalityGroup, Portrait
from .selectors import consenting_members, contact_persons

CONTACT_RATE_LIMIT = "contact_ip"
#: Group addresses that would collide with pages under /netzwerk/gruppen/.
RESERVED_SLUGS = {"neu"}


class PortraitConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed the portrait in the meantime. Please check the current version and save again."
    )


class GroupConflict(EditConflict):
    conflict_message = gettext_lazy(
        "Somebody else has changed the group in the meantime. Please check the current version and save again."
    )


# --- Portrait -----------------------------------------------------------------------------------------------------


@transaction.atomic
def portrait_save(
    *,
    municipality,
    user,
    is_public: bool,
    description: str,
    image_alt: str,
    topics,
    share_stage: bool,
    contacts,
    image: CheckedDocument | None = None,
    remove_image: bool = False,
    version: str = "",
) -> Portrait:
    """Create or update the portrait of ``municipality`` (Koordination). ``version`` is the one the form was
    opened with ("" for a new portrait); contact persons must be members who gave their own consent."""
    portrait = Portrait.objects.select_for_update().filter(municipality=municipality).first()
    if portrait is not None and version != portrait.version:
        raise PortraitConflict(portrait)
    if portrait is None and version:
        raise DomainError(_("The portrait has been deleted in the meantime. Please fill in the form again."))
    allowed = set(consenting_members(municipality).values_list("pk", flat=True))
    contacts = list(contacts)
    if any(contact.pk not in allowed for contact in contacts):
        raise DomainError(
            _("Only members who agreed themselves to be a contact person can be chosen."), field="contacts"
        )
    keeps_image = image is not None or bool(portrait and portrait.image and not remove_image)
    if is_public and keeps_image and not image_alt.strip():
        raise DomainError(_("Please describe the image for people who cannot see it."), field="image_alt")
    created = portrait is None
    if created:
        portrait = Portrait(municipality=municipality)
    was_public = portrait.is_public
    portrait.is_public = is_public
    portrait.description = description.strip()
    portrait.image_alt = image_alt.strip()
    portrait.share_stage = share_stage
    if is_public and portrait.published_at is None:
        portrait.published_at = timezone.now()
    old_image = portrait.image.name if portrait.image else ""
    if image is not None:
        portrait.image.save(image.filename, image.as_file(), save=False)
    elif remove_image:
        portrait.image = ""
    portrait.save()
    if old_image and old_image != (portrait.image.name if portrait.image else ""):
        storage = portrait.image.storage
        transaction.on_commit(lambda: storage.delete(old_image))
    portrait.topics.set(topics)
    portrait.contacts.set(contacts)
    log_action(
        "network.portrait.created" if created else "network.portrait.updated",
        actor=user,
        municipality=municipality,
        obj=portrait,
        public=is_public,
        published=is_public and not was_public,
        share_stage=share_stage,
        contacts=len(contacts),
    )
    return portrait


@transaction.atomic
def contact_consent_set(*, municipality, user, consent: bool) -> bool:
    """A member gives or withdraws their own consent to be a contact person. Withdrawing also removes them from
    the portrait's contact persons at once. Returns the new state."""
    if not municipality.memberships.filter(user=user).exists():
        raise DomainError(_("Only members of the municipality can be contact persons."))
    if consent:
        _consent, created = ContactConsent.objects.get_or_create(municipality=municipality, user=user)
        if created:
            log_action("network.contact_consent.given", actor=user, municipality=municipality, obj=user)
        return True
    deleted, _rows = ContactConsent.objects.filter(municipality=municipality, user=user).delete()
    portrait = Portrait.objects.filter(municipality=municipality).first()
    if portrait is not None:
        portrait.contacts.remove(user)
    if deleted:
        log_action("network.contact_consent.withdrawn", actor=user, municipality=municipality, obj=user)
    return False


# --- Contact form -------------------------------------------------------------------------------------------------


def contact_send(*, portrait: Portrait, name: str, email: str, message: str, address: str, honeypot: str = "") -> int:
    """Send a visitor's message to the contact persons of ``portrait`` by e-mail (one mail each; the visitor never
    learns their addresses). Nothing of the message is stored: the audit log records only that a message was sent
    and to how many people. Raises ``DomainError`` (German) for spam and ``RateLimited`` beyond the limit
    ``contact_ip`` per (hashed) address. Returns the number of recipients."""
    from daks.workshops.participation import rate_limit

    if honeypot:
        raise DomainError(_("Your message could not be sent. Please leave the last field empty."))
    if not portrait.is_visible:
        raise DomainError(_("This portrait is not public."))
    rate_limit(CONTACT_RATE_LIMIT, address)
    recipients = [person for person in contact_persons(portrait) if person.email]
    if not recipients:
        raise DomainError(_("This municipality has no contact person at the moment. Please try again later."))
    municipality = portrait.municipality
    consent_url = settings.DAKS_BASE_URL + reverse(
        "network_municipality:consent", kwargs={"municipality_slug": municipality.slug}
    )
    with transaction.atomic():
        log_action("network.contact.sent", municipality=municipality, obj=portrait, recipients=len(recipients))

        def send():
            for person in recipients:
                send_templated_mail(
                    "network/email/contact",
                    {
                        "municipality": municipality,
                        "recipient": person,
                        "sender_name": name,
                        "sender_email": email,
                        "message": message,
                        "consent_url": consent_url,
                    },
                    [person.email],
                    language=getattr(person, "language", "") or "de",
                )

        transaction.on_commit(send)
    return len(recipients)


# --- Groups -------------------------------------------------------------------------------------------------------


def _unique_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:70] or "gruppe"
    if base in RESERVED_SLUGS:
        base = f"{base}-gruppe"
    slug, number = base, 2
    while MunicipalityGroup.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def group_save(
    *, user, name: str, kind: str, description: str, members, group: MunicipalityGroup | None = None, version: str = ""
) -> MunicipalityGroup:
    """Create (``group=None``) or update a group of Kommunen (editorial office of the network)."""
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Please enter a name."), field="name")
    if group is not None:
        group = MunicipalityGroup.objects.select_for_update().get(pk=group.pk)
        if version != group.version:
            raise GroupConflict(group)
    if MunicipalityGroup.objects.filter(name__iexact=name).exclude(pk=getattr(group, "pk", None)).exists():
        raise DomainError(_("A group with this name already exists."), field="name")
    created = group is None
    if created:
        group = MunicipalityGroup(created_by=user, slug=_unique_slug(name))
    group.name = name
    group.kind = kind
    group.description = description.strip()
    group.save()
    members = list(members)
    group.members.set(members)
    log_action(
        "network.group.created" if created else "network.group.updated",
        actor=user,
        obj=group,
        group=group.pk,
        members=[m.pk for m in members],
    )
    return group


@transaction.atomic
def group_delete(*, user, group: MunicipalityGroup) -> None:
    log_action("network.group.deleted", actor=user, obj=group, group=group.pk)
    group.delete()
