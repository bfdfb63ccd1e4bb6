"""Demo content of the Zukunftswerkstatt ("Beispieldaten"): called by ``seed_demo`` for the demo town.

``seed_workshop(town, process, coordinator)`` creates a held workshop (three weeks ago) with agenda, invitations and
attendance, a closed participation link with anonymous participants, 40 ideas across the three phases and the demo
fields of action, dot votes on the realisation ideas, decisions, one generated example photo, and carries the three
ideas with the most points into the Werkstattplan as measure drafts. It runs after ``daks.plans.demo.seed_plan``
(which creates the fields of action) and is idempotent: an existing demo workshop is returned unchanged.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import secrets

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from .models import Idea, IdeaStatus, Participant, ParticipationLink, Phase, Vote, Workshop

DEMO_TITLE = "Zukunftswerkstatt „Beispielstadt 2040“ (Beispieldaten)"
DEMO_PLACE = "Bürgerhaus Beispielstadt, großer Saal"
POINTS_PER_PARTICIPANT = 5
PARTICIPANTS = 14

AGENDA = [
    (datetime.time(14, 0), "Begrüßung und Ablauf", "Bürgermeisterin"),
    (datetime.time(14, 15), "Kritikphase: Was stört uns heute?", "Moderation"),
    (datetime.time(15, 0), "Fantasiephase: Beispielstadt 2040 – wie wäre es ideal?", "Moderation"),
    (datetime.time(16, 0), "Verwirklichungsphase: Was packen wir an?", "Moderation"),
    (datetime.time(17, 15), "Punktabstimmung", "Moderation"),
    (datetime.time(17, 45), "Ausblick: vom Ideenboard in den Werkstattplan", "Koordination"),
]

# (phase, field of action, text, from the participation link?)
IDEAS = [
    (Phase.CRITIQUE, "Wohnen", "Es gibt kaum barrierefreie Wohnungen in der Altstadt.", False),
    (Phase.CRITIQUE, "Wohnen", "Große Häuser stehen halb leer, junge Familien finden nichts.", True),
    (Phase.CRITIQUE, "Gesundheit und Pflege", "Zwei Hausärzte hören bald auf – Nachfolge ungewiss.", False),
    (Phase.CRITIQUE, "Gesundheit und Pflege", "Wartezeiten auf einen Tagespflegeplatz von über einem Jahr.", True),
    (Phase.CRITIQUE, "Bürgerschaftliches Engagement", "Vereine finden keine Vorstände mehr.", True),
    (Phase.CRITIQUE, "Bürgerschaftliches Engagement", "Jugendliche werden selten gefragt.", True),
    (Phase.CRITIQUE, "Arbeit und Wirtschaft", "Betriebe suchen Fachkräfte, Azubis ziehen weg.", False),
    (Phase.CRITIQUE, "Arbeit und Wirtschaft", "Pflege und Beruf lassen sich schwer vereinbaren.", True),
    (Phase.CRITIQUE, "Begegnung/Beratung/Selbsthilfe", "Im Neubaugebiet gibt es keinen Treffpunkt.", True),
    (Phase.CRITIQUE, "Begegnung/Beratung/Selbsthilfe", "Beratungsangebote sind schwer zu finden.", False),
    (Phase.CRITIQUE, "Digitalisierung", "Ältere Menschen kommen mit Online-Terminen nicht zurecht.", True),
    (Phase.CRITIQUE, "Digitalisierung", "Das Mobilfunknetz in den Ortsteilen ist lückenhaft.", True),
    (Phase.CRITIQUE, "", "Der Bus fährt abends und am Wochenende kaum.", True),
    (Phase.FANTASY, "Wohnen", "Ein Mehrgenerationenhaus in jedem Stadtteil.", True),
    (Phase.FANTASY, "Wohnen", "Wohnungstausch: Senioren ziehen in kleinere Wohnungen, Familien ins Haus.", False),
    (Phase.FANTASY, "Gesundheit und Pflege", "Ein Gesundheitszentrum am Markt mit Ärzten, Pflege und Apotheke.", True),
    (Phase.FANTASY, "Gesundheit und Pflege", "Gemeindeschwester, die Hausbesuche macht.", True),
    (Phase.FANTASY, "Bürgerschaftliches Engagement", "Jede Generation engagiert sich – und wird dafür geehrt.", False),
    (Phase.FANTASY, "Bürgerschaftliches Engagement", "Ein Jugendparlament mit eigenem Budget.", True),
    (Phase.FANTASY, "Arbeit und Wirtschaft", "Coworking-Räume im alten Bahnhof.", True),
    (Phase.FANTASY, "Arbeit und Wirtschaft", "Alle Betriebe sind pflegefreundlich zertifiziert.", False),
    (Phase.FANTASY, "Begegnung/Beratung/Selbsthilfe", "Ein offenes Stadtteilcafé, das allen gehört.", True),
    (Phase.FANTASY, "Begegnung/Beratung/Selbsthilfe", "Eine Beratung für alle Lebenslagen unter einem Dach.", True),
    (Phase.FANTASY, "Digitalisierung", "Jedes Amt ist online erreichbar – und trotzdem persönlich.", False),
    (Phase.FANTASY, "Digitalisierung", "Digitallotsen in jedem Verein.", True),
    (Phase.FANTASY, "", "Ein Bürgerbus, der auf Zuruf kommt.", True),
    (Phase.REALISATION, "Wohnen", "Wohnberatung für barrierearmen Umbau im Rathaus anbieten, einmal pro Woche.", False),
    (Phase.REALISATION, "Wohnen", "Eine Wohnungstauschbörse starten, gemeinsam mit der Genossenschaft.", True),
    (Phase.REALISATION, "Gesundheit und Pflege", "Praxisräume im Ärztehaus günstig an junge Ärztinnen geben.", False),
    (Phase.REALISATION, "Gesundheit und Pflege", "Nachbarschaftshilfe für pflegende Angehörige organisieren.", True),
    (Phase.REALISATION, "Bürgerschaftliches Engagement", "Ein Jugendforum gründen, das zweimal im Jahr tagt.", True),
    (Phase.REALISATION, "Bürgerschaftliches Engagement", "Eine Ehrenamtskarte mit Rabatten lokaler Geschäfte.", True),
    (Phase.REALISATION, "Arbeit und Wirtschaft", "Runder Tisch Fachkräfte mit Betrieben und Schulen.", False),
    (Phase.REALISATION, "Arbeit und Wirtschaft", "Infoabend „Pflege und Beruf“ für Arbeitgeber.", True),
    (Phase.REALISATION, "Begegnung/Beratung/Selbsthilfe", "Stadtteiltreff im Neubaugebiet in der Kita.", True),
    (Phase.REALISATION, "Begegnung/Beratung/Selbsthilfe", "Wegweiser aller Beratungsangebote.", False),
    (Phase.REALISATION, "Digitalisierung", "Smartphone-Sprechstunde: Jugendliche helfen Älteren.", True),
    (Phase.REALISATION, "Digitalisierung", "Online-Terminvergabe im Bürgerbüro mit Telefon-Alternative.", True),
    (Phase.REALISATION, "Wohnen", "Leerstandskataster für die Altstadt anlegen.", True),
    (Phase.REALISATION, "Gesundheit und Pflege", "Gesundheitstag für Seniorinnen und Senioren im Herbst.", True),
]

#: Points each participant gives, by the index of the realisation idea (0-based); rows cycle over participants.
VOTING_PATTERNS = [
    {0: 2, 4: 2, 10: 1},
    {0: 1, 2: 2, 10: 2},
    {4: 3, 8: 2},
    {0: 2, 10: 2, 3: 1},
    {2: 2, 4: 1, 6: 1, 12: 1},
    {8: 2, 10: 1, 0: 1, 11: 1},
    {4: 2, 0: 1, 2: 1, 13: 1},
]


def _hash() -> str:
    """The hash of a random token nobody knows: the demo link and participants cannot be used."""
    return hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()


def _demo_photo() -> SimpleUploadedFile:
    """A generated example "photo" of a pin board (PNG) with the words "Beispielfoto"."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 640), (242, 236, 222))
    draw = ImageDraw.Draw(image)
    colours = [(255, 236, 153), (186, 225, 255), (200, 240, 200), (255, 205, 210)]
    for row in range(3):
        for column in range(5):
            left, top = 60 + column * 175, 150 + row * 150
            box = (left, top, left + 140, top + 110)
            draw.rectangle(box, fill=colours[(row + column) % 4], outline=(120, 120, 120))
    draw.text((60, 60), "Beispielfoto – Pinnwand der Verwirklichungsphase", fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile("beispielfoto.png", out.getvalue(), content_type="image/png")


@transaction.atomic
def seed_workshop(town, process, coordinator, *, today: datetime.date | None = None) -> Workshop:
    """The held demo workshop of ``process`` (see the module docstring); returns the existing one if present."""
    from daks.meetings import services as meeting_services
    from daks.profile.models import FieldOfAction

    from . import services
    from .photos import photo_add
    from .to_plan import ideas_to_plan

    existing = Workshop.objects.filter(process=process, meeting__title=DEMO_TITLE).first()
    if existing is not None:
        return existing

    today = today or timezone.localdate()
    day = today - datetime.timedelta(days=21)
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0)))
    ends = timezone.make_aware(datetime.datetime.combine(day, datetime.time(18, 0)))
    workshop = services.workshop_create(
        actor=coordinator,
        municipality=town,
        process=process,
        title=DEMO_TITLE,
        starts_at=starts,
        ends_at=ends,
        place=DEMO_PLACE,
        description="Bürgerinnen und Bürger, Vereine und Verwaltung entwickeln gemeinsam Ideen für Beispielstadt "
        "2040 – in Kritik-, Fantasie- und Verwirklichungsphase. Erfundenes Beispiel zur Vorführung.",
    )
    meeting = workshop.meeting
    for time, title, owner in AGENDA:
        meeting_services.agenda_item_add(actor=coordinator, meeting=meeting, title=title, time=time, owner=owner)

    members = [membership.user for membership in town.memberships.select_related("user").order_by("user__email")]
    if members:
        invitations = meeting_services.invite(actor=coordinator, meeting=meeting, members=members)
        attended = [invitation.pk for invitation in invitations if invitation.member_id != members[-1].pk]
        meeting_services.attendance_save(actor=coordinator, meeting=meeting, attended_ids=attended)

    link = ParticipationLink.objects.create(
        workshop=workshop,
        token_hash=_hash(),
        opens_at=starts,
        closes_at=ends,
        closed_at=ends,
        moderate_ideas=False,
        created_by=coordinator,
    )
    participants = [
        Participant.objects.create(link=link, token_hash=_hash(), name="Anna (Beispiel)" if index == 3 else "")
        for index in range(PARTICIPANTS)
    ]

    fields = {field.title: field for field in FieldOfAction.objects.filter(process=process)}
    contributor = next((member for member in members if member.pk != coordinator.pk), coordinator)
    realisation: list[Idea] = []
    for index, (phase, field_title, text, anonymous) in enumerate(IDEAS):
        author = None if anonymous else (coordinator if index % 2 else contributor)
        idea = services.idea_create(
            workshop=workshop,
            phase=phase,
            text=text,
            field_of_action=fields.get(field_title),
            author=author,
            participant=participants[index % PARTICIPANTS] if anonymous else None,
            status=IdeaStatus.VISIBLE,
        )
        if phase == Phase.REALISATION:
            realisation.append(idea)

    votes = []
    for number, participant in enumerate(participants):
        for idea_index, points in VOTING_PATTERNS[number % len(VOTING_PATTERNS)].items():
            if idea_index < len(realisation):
                votes += [
                    Vote(workshop=workshop, idea=realisation[idea_index], participant=participant)
                    for _point in range(points)
                ]
    for number, member in enumerate(members[:3]):
        for idea_index, points in VOTING_PATTERNS[(number + 2) % len(VOTING_PATTERNS)].items():
            if idea_index < len(realisation):
                votes += [
                    Vote(workshop=workshop, idea=realisation[idea_index], user=member) for _point in range(points)
                ]
    Vote.objects.bulk_create(votes)

    workshop.current_phase = Phase.REALISATION
    workshop.votes_per_participant = POINTS_PER_PARTICIPANT
    workshop.voting_open = False
    workshop.save(update_fields=["current_phase", "votes_per_participant", "voting_open", "updated_at"])
    meeting_services.minutes_save(
        actor=coordinator,
        meeting=meeting,
        minutes="Rund 40 Teilnehmende, davon 14 über den Mitmach-Link. Die Ideen der drei Phasen hängen an den "
        "Pinnwänden und sind im Ideenboard erfasst. (Beispieldaten)",
        decisions="Die drei Ideen mit den meisten Punkten werden als Maßnahmenentwürfe in den Werkstattplan "
        "übernommen. Die Arbeitsgruppen prüfen bis zum nächsten Treffen die übrigen Ideen der "
        "Verwirklichungsphase.",
    )

    photo_add(
        actor=coordinator,
        workshop=workshop,
        file=_demo_photo(),
        caption="Beispielfoto: Pinnwand der Verwirklichungsphase mit Ideenkarten",
        phase=Phase.REALISATION,
    )

    counts = {idea.pk: 0 for idea in realisation}
    for vote in votes:
        counts[vote.idea.pk] += 1
    top = sorted(realisation, key=lambda idea: (-counts[idea.pk], idea.position))[:3]
    ideas_to_plan(actor=coordinator, workshop=workshop, ideas=[idea for idea in top if idea.field_of_action_id])
    return workshop
