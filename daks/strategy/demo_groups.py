"""Demo content: two working groups of the demo process with members, actors, a meeting and a task.

Called by ``seed_demo`` after the actors, fields of action and users exist; idempotent (everything is looked up
by title first). All content is example data (Beispieldaten).
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Actor, Task, WorkingGroup

GROUPS = (
    {
        "title": "AG Wohnen im Alter (Beispieldaten)",
        "field_of_action": "Wohnen",
        "description": "Barrierearmer Wohnraum, Wohnberatung und neue Wohnformen für ältere Menschen in Beispielstadt "
        "– erfundenes Beispiel zur Vorführung.",
        "lead": "mitarbeit@beispielstadt.example",
        "members": ["koordination@beispielstadt.example", "begleitung@beratung.example"],
        "actors": ["Seniorenbeirat", "Wohnungsbaugenossenschaft Beispielstadt eG"],
    },
    {
        "title": "AG Gesundheit und Pflege (Beispieldaten)",
        "field_of_action": "Gesundheit und Pflege",
        "description": "Hausärztliche Versorgung, Pflegeangebote und Unterstützung pflegender Angehöriger "
        "– erfundenes Beispiel zur Vorführung.",
        "lead": "koordination@beispielstadt.example",
        "members": ["lesen@beispielstadt.example"],
        "actors": ["Seniorenbeirat", "Evangelische Kirchengemeinde"],
    },
)

MINUTES = (
    "1. Begrüßung und Vorstellungsrunde\n"
    "2. Ergebnisse der Bestandsaufnahme: In der Altstadt fehlen barrierearme Wohnungen; die Genossenschaft "
    "plant einen Neubau mit 24 Wohnungen.\n"
    "3. Der Seniorenbeirat bietet an, eine Umfrage zu Wohnwünschen älterer Menschen zu verteilen."
)
DECISIONS = "Die Arbeitsgruppe trifft sich alle sechs Wochen. Die Umfrage wird bis zum nächsten Treffen vorbereitet."


def seed_working_groups(town, process, coordinator) -> list[WorkingGroup]:
    """Create (or complete) the demo working groups of ``process``; returns them."""
    from daks.meetings.models import Meeting

    users = {user.email: user for user in get_user_model().objects.filter(memberships__municipality=town)}
    actors = {actor.name: actor for actor in Actor.objects.filter(municipality=town)}
    fields = {field.title: field for field in process.fields_of_action.all()}
    groups = []
    for spec in GROUPS:
        group, created = WorkingGroup.objects.get_or_create(
            municipality=town,
            process=process,
            title=spec["title"],
            defaults={
                "description": spec["description"],
                "field_of_action": fields.get(spec["field_of_action"]),
                "lead": users.get(spec["lead"]),
                "created_by": coordinator,
            },
        )
        if created:
            people = [users[email] for email in (spec["lead"], *spec["members"]) if email in users]
            group.members.set(people)
            group.actors.set([actors[name] for name in spec["actors"] if name in actors])
        groups.append(group)

    housing = groups[0]
    starts = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=14), time(17, 0)))
    Meeting.objects.get_or_create(
        municipality=town,
        working_group=housing,
        title="Erstes Treffen der AG Wohnen im Alter (Beispieldaten)",
        defaults={
            "process": process,
            "step": "profile",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "place": "Rathaus Beispielstadt, Raum 104",
            "minutes": MINUTES,
            "decisions": DECISIONS,
            "created_by": coordinator,
        },
    )
    Task.objects.get_or_create(
        municipality=town,
        working_group=housing,
        title="Umfrage zu Wohnwünschen älterer Menschen vorbereiten (Beispieldaten)",
        defaults={
            "process": process,
            "step": "profile",
            "assignee": housing.lead,
            "due_date": timezone.localdate() + timedelta(days=21),
            "created_by": coordinator,
        },
    )
    return groups
