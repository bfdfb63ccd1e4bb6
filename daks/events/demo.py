"""Demo content of the events (Beispieldaten): an online seminar next month with a few registrations, a fully
booked one with a waiting list, a regional workshop meeting of the demo cluster "Cluster Süd (Beispiel)" (and a
past one), and a past conference whose material links two tools of the toolbox. Idempotent (events are found by
their address); called from ``seed_demo``."""

import secrets
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from daks.network.demo import demo_cluster
from daks.toolbox.models import Tool, ToolStatus
from daks.workshops.participation import hash_token

from .models import Event, EventKind, EventStatus, Registration, RegistrationStatus

CONTACT = "Geschäftsstelle des Netzwerks (Beispieldaten)\nnetzwerk@example.org"
#: Fixed personal links of two demo registrations (demo data only), so the personal page can be shown and checked:
#: /veranstaltungen/anmeldung/beispiel-anmeldung-bestaetigt/ and …/beispiel-anmeldung-warteliste/
DEMO_TOKENS = {
    "anna.beispiel@example.org": "beispiel-anmeldung-bestaetigt",
    "gustav.warteliste@example.org": "beispiel-anmeldung-warteliste",
}
DEMO_NOTE = "\n\n*Beispieldaten: Diese Veranstaltung ist erfunden und dient nur der Vorführung von DAKS.*"


def _at(day, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _register(event, people, status=RegistrationStatus.CONFIRMED):
    for name, email, organisation in people:
        if event.registrations.filter(email=email).exists():
            continue
        Registration.objects.create(
            event=event,
            name=name,
            email=email,
            organisation=organisation,
            status=status,
            token_hash=hash_token(DEMO_TOKENS.get(email) or secrets.token_urlsafe(32)),
            consent_at=timezone.now(),
        )


@transaction.atomic
def seed_events_demo(*, town, district, staff, coordinator):
    today = timezone.localdate()
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=10)
    specs = [
        {
            "slug": "online-seminar-pflegestrukturplanung-beispieldaten",
            "title": "Online-Seminar: Pflegestrukturplanung in kleinen Kommunen (Beispieldaten)",
            "kind": EventKind.ONLINE_SEMINAR,
            "starts_at": _at(next_month, 10),
            "ends_at": _at(next_month, 11, 30),
            "online_url": "https://video.example.org/pflege-seminar",
            "capacity": 40,
            "description": "Wie plant eine Kommune die Pflege von morgen? Erfahrungen aus "
            f"{district.name} und Hinweise zu Daten und Beteiligung.\n\n- Input (30 Minuten)\n- Fragen und "
            "Austausch" + DEMO_NOTE,
        },
        {
            "slug": "online-seminar-wohnen-im-alter-beispieldaten",
            "title": "Online-Seminar: Wohnen im Alter (Beispieldaten)",
            "kind": EventKind.ONLINE_SEMINAR,
            "starts_at": _at(next_month + timedelta(days=7), 14),
            "ends_at": _at(next_month + timedelta(days=7), 15, 30),
            "online_url": "https://video.example.org/wohnen-im-alter",
            "capacity": 3,
            "description": f"Barrierearmes Wohnen in der Altstadt – ein Werkstattbericht aus {town.name}." + DEMO_NOTE,
        },
        {
            "slug": "regionaltreffen-sued-beispieldaten",
            "title": "Regionales Werkstatttreffen Süd (Beispieldaten)",
            "kind": EventKind.REGIONAL_MEETING,
            "starts_at": _at(next_month + timedelta(days=14), 9, 30),
            "ends_at": _at(next_month + timedelta(days=14), 15),
            "place": f"Rathaus {town.name}, Sitzungssaal",
            "capacity": 25,
            "description": "Die Kommunen der Region stellen ihren Stand vor und arbeiten an gemeinsamen Fragen."
            + DEMO_NOTE,
        },
        {
            "slug": "auftakt-cluster-sued-beispieldaten",
            "title": "Auftakttreffen Cluster Süd (Beispieldaten)",
            "kind": EventKind.REGIONAL_MEETING,
            "starts_at": _at(today - timedelta(days=120), 10),
            "ends_at": _at(today - timedelta(days=120), 15),
            "place": f"Landratsamt {district.name}",
            "capacity": 25,
            "description": "Erstes Treffen des regionalen Clusters: Kennenlernen, gemeinsame Themen, Termine."
            + DEMO_NOTE,
        },
        {
            "slug": "jahreskonferenz-demografie-beispieldaten",
            "title": "Jahreskonferenz Demografie (Beispieldaten)",
            "kind": EventKind.CONFERENCE,
            "starts_at": _at(today - timedelta(days=45), 10),
            "ends_at": _at(today - timedelta(days=45), 17),
            "place": "Kongresszentrum Beispielstadt",
            "capacity": None,
            "description": "Vorträge und Foren zu Demografiestrategien in Kommunen." + DEMO_NOTE,
            "recording_url": "https://video.example.org/jahreskonferenz-aufzeichnung",
            "slides_url": "https://example.org/jahreskonferenz-folien.pdf",
        },
    ]
    events = {}
    for spec in specs:
        slug = spec.pop("slug")
        event, _created = Event.objects.get_or_create(
            slug=slug, defaults={**spec, "status": EventStatus.PUBLISHED, "contact": CONTACT, "created_by": staff}
        )
        events[slug] = event
    # The regional workshop meetings belong to the demo cluster (shown on its group page).
    cluster = demo_cluster(town=town, district=district, staff=staff)
    Event.objects.filter(
        slug__in=["regionaltreffen-sued-beispieldaten", "auftakt-cluster-sued-beispieldaten"], group__isnull=True
    ).update(group=cluster)
    _register(
        events["online-seminar-pflegestrukturplanung-beispieldaten"],
        [
            ("Anna Beispiel", "anna.beispiel@example.org", town.name),
            ("Bernd Muster", "bernd.muster@example.org", district.name),
            ("Clara Demo", "clara.demo@example.org", ""),
        ],
    )
    full = events["online-seminar-wohnen-im-alter-beispieldaten"]
    _register(
        full,
        [
            ("Dana Beispiel", "dana.beispiel@example.org", town.name),
            ("Emil Muster", "emil.muster@example.org", district.name),
            ("Frieda Demo", "frieda.demo@example.org", "Seniorenbeirat (Beispieldaten)"),
        ],
    )
    _register(
        full,
        [
            ("Gustav Warteliste", "gustav.warteliste@example.org", ""),
            ("Hanna Warteliste", "hanna.warteliste@example.org", town.name),
        ],
        status=RegistrationStatus.WAITING,
    )
    if coordinator.email:
        _register(
            events["regionaltreffen-sued-beispieldaten"],
            [(coordinator.name or coordinator.email, coordinator.email.lower(), town.name)],
        )
    conference = events["jahreskonferenz-demografie-beispieldaten"]
    if not conference.tools.exists():
        tools = list(Tool.objects.filter(status=ToolStatus.PUBLISHED).order_by("pk")[:2])
        conference.tools.set(tools)
    return events
