"""Helpers for the deletion tests: a workspace with content, files, a public portrait and a published plan."""

import datetime
from dataclasses import dataclass

from django.core.files.base import ContentFile

from daks.network.models import Portrait
from daks.plans import publishing, versions
from daks.plans.models import Plan
from daks.strategy import services as strategy_services
from tests.profile.factories import TINY_PDF, InventoryItemFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class Workspace:
    process: object
    plan: Plan
    portrait: Portrait
    files: list  # (storage, name) of the uploaded files


def make_workspace(municipality, coordinator, *, title="Zukunft 2040") -> Workspace:
    """Process, plan with a published version, public portrait with image, inventory document, logo."""
    process = strategy_services.process_create(
        actor=coordinator,
        municipality=municipality,
        title=title,
        start_date=datetime.date(2026, 3, 1),
        coordinators=[coordinator],
    )
    plan, _created = Plan.objects.get_or_create(process=process, defaults={"municipality": municipality})
    version = versions.version_create(plan=plan, actor=coordinator, name="Beschluss", date=datetime.date(2026, 3, 12))
    publishing.plan_publish(plan=plan, user=coordinator, version=version)
    portrait = Portrait.objects.create(municipality=municipality, is_public=True, description="Wir sind da.")
    portrait.image.save("bild.png", ContentFile(PNG))
    item = InventoryItemFactory(process=process)
    item.document.save("konzept.pdf", ContentFile(TINY_PDF))
    municipality.logo.save("logo.png", ContentFile(PNG))
    files = [
        (portrait.image.storage, portrait.image.name),
        (item.document.storage, item.document.name),
        (municipality.logo.storage, municipality.logo.name),
    ]
    plan.refresh_from_db()
    return Workspace(process=process, plan=plan, portrait=portrait, files=files)


def de(msgid, plural=None, n=1, **values):
    """The German text as rendered (works before and after the catalogues are compiled)."""
    from django.utils.html import escape
    from django.utils.translation import gettext, ngettext, override

    with override("de"):
        text = ngettext(msgid, plural, n) if plural else gettext(msgid)
    return escape(text % values if values else text)
