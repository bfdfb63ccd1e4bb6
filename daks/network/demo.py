"""Demo content of the network (Beispieldaten): both demo Kommunen with a public portrait, the Koordination of
Beispielstadt as consenting contact person, a model-project cohort and a regional cluster with both (the events
demo adds the cluster's regional workshop meetings). Idempotent; called from ``seed_demo``.

The demo Kommunen are invented, so no official statistics exist for their keys: their portraits say so (see
``selectors.no_figures_reason``) rather than show figures of a real Kommune as theirs. Only the strategy process
of Beispielstadt names a real region for its statistics (``process.region_key``, set by ``seed_demo``); the
portrait then shows that region's figures under its own name."""

from django.db import transaction

from daks.toolbox.models import TopicField

from .models import ContactConsent, GroupKind, MunicipalityGroup, Portrait

DEMO_GROUP = "Modellkommunen 2026 (Beispieldaten)"
DEMO_CLUSTER = "Cluster Süd (Beispiel)"
DEMO_CLUSTER_SLUG = "cluster-sued-beispiel"

TOWN_TEXT = (
    "**Beispieldaten:** Beispielstadt ist erfunden und dient nur der Vorführung von DAKS.\n\n"
    "Wir arbeiten seit 2026 an unserer Demografiestrategie „Beispielstadt 2040“. Schwerpunkte sind "
    "barrierearmes Wohnen in der Altstadt und die hausärztliche Versorgung.\n\n"
    "- Auftaktveranstaltung mit über 80 Bürgerinnen und Bürgern\n"
    "- Seniorenbeirat und Jugendforum arbeiten mit"
)
DISTRICT_TEXT = (
    "**Beispieldaten:** Der Landkreis Beispielkreis ist erfunden und dient nur der Vorführung von DAKS.\n\n"
    "Der Landkreis unterstützt seine Gemeinden bei der Pflegestrukturplanung und bei der Mobilität im "
    "ländlichen Raum."
)


@transaction.atomic
def seed_network_demo(*, town, district, staff, coordinator):
    topics = {topic.slug: topic for topic in TopicField.objects.all()}
    ContactConsent.objects.get_or_create(municipality=town, user=coordinator)
    for municipality, text, slugs, share in (
        (town, TOWN_TEXT, ["wohnen", "gesundheit-pflege", "demografiestrategie"], True),
        (district, DISTRICT_TEXT, ["gesundheit-pflege", "kooperation"], True),
    ):
        portrait, _created = Portrait.objects.get_or_create(
            municipality=municipality, defaults={"is_public": True, "description": text, "share_stage": share}
        )
        if not portrait.topics.exists():
            portrait.topics.set([topics[slug] for slug in slugs if slug in topics])
    town_portrait = Portrait.objects.get(municipality=town)
    if not town_portrait.contacts.exists():
        town_portrait.contacts.add(coordinator)
    group, _created = MunicipalityGroup.objects.get_or_create(
        name=DEMO_GROUP,
        defaults={
            "slug": "modellkommunen-2026",
            "kind": GroupKind.COHORT,
            "description": (
                "**Beispieldaten.** Die Kommunen der ersten Runde des Modellprojekts vergleichen hier ihre "
                "Kennzahlen und ihren Stand im Strategieprozess."
            ),
            "created_by": staff,
        },
    )
    group.members.add(town, district)
    demo_cluster(town=town, district=district, staff=staff)
    return group


def demo_cluster(*, town, district, staff) -> MunicipalityGroup:
    """The regional cluster of the demo with both demo Kommunen (idempotent)."""
    cluster, _created = MunicipalityGroup.objects.get_or_create(
        slug=DEMO_CLUSTER_SLUG,
        defaults={
            "name": DEMO_CLUSTER,
            "kind": GroupKind.REGIONAL,
            "description": (
                "**Beispieldaten.** Ein regionaler Cluster der Kommunen im Süden: Sie treffen sich zweimal im Jahr "
                "zum regionalen Werkstatttreffen und vergleichen ihre Kennzahlen."
            ),
            "created_by": staff,
        },
    )
    cluster.members.add(town, district)
    return cluster
