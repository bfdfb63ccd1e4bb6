"""Load the demo: example Kommunen with one user per role. Idempotent; prints the demo logins.

All content created here is example data ("Beispieldaten"), labelled as such in the UI.
"""

from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from daks.accounts.models import User
from daks.municipalities.models import (
    Invitation,
    Membership,
    Municipality,
    Role,
    VerificationMethod,
    hash_token,
)

DEMO_PASSWORD = "Demo-DAKS-2026"  # noqa: S105 - published demo password, printed on purpose
DEMO_NOTE = "Beispieldaten: Diese Kommune ist erfunden und dient nur der Vorführung von DAKS."

# (login label, e-mail, name, role in Beispielstadt); Koordination first as the README promises.
DEMO_USERS = [
    ("koordination", "koordination@beispielstadt.example", "Katrin Koordinatorin", Role.COORDINATION),
    ("mitarbeit", "mitarbeit@beispielstadt.example", "Max Mitarbeiter", Role.CONTRIBUTOR),
    ("lesen", "lesen@beispielstadt.example", "Lena Leserin", Role.READER),
    ("prozessbegleitung", "begleitung@beratung.example", "Paula Prozessbegleiterin", Role.ADVISOR),
]
#: Beispielstadt is invented, so no official statistics exist for its key. Its process shows those of a real
#: town instead (Freising, Große Kreisstadt in Bavaria, when the official data are loaded) or of the example
#: town of the example data; the page names the region whose figures it shows.
DEMO_STATISTICS_KEYS = ("09178124", "99001001")
DEMO_STAFF = ("redaktion", "redaktion@daks.example", "Rita Redaktion")
DEMO_REVIEWER = ("pruefung", "pruefung@daks.example", "Paul Prüfung")


class Command(BaseCommand):
    help = "Creates or refreshes the demo Kommunen and users and prints their logins."

    def handle(self, *args, **options):
        # Mails the demo content triggers (e.g. a mention) are sent when the transaction commits; the logins
        # are printed after them so they stay the last lines of the output.
        with transaction.atomic():
            lines = self._seed()
        self.stdout.write("Demo-Daten geladen (Beispieldaten). Anmeldung unter /accounts/login/:")
        for line in lines:
            self.stdout.write(line)

    def _seed(self) -> list[str]:
        town = self._municipality(
            slug="beispielstadt",
            name="Beispielstadt (Demo)",
            kind="stadt",
            state="DE-BY",
            official_key="09999999",
            website="https://www.beispielstadt.example",
        )
        district = self._municipality(
            slug="beispielkreis",
            name="Landkreis Beispielkreis (Demo)",
            kind="landkreis",
            state="DE-BY",
            official_key="09998000",
            website="https://www.beispielkreis.example",
        )
        lines = []
        for label, email, name, role in DEMO_USERS:
            user = self._user(email=email, name=name)
            Membership.objects.update_or_create(municipality=town, user=user, defaults={"role": role})
            lines.append(f"demo {label}: {email} / {DEMO_PASSWORD}")
        # The process advisor accompanies a second Kommune too and sees both on the dashboard.
        advisor = User.objects.get(email=DEMO_USERS[3][1])
        district_coordinator = self._user(email="koordination@beispielkreis.example", name="Kai Kreisbeauftragter")
        Membership.objects.update_or_create(
            municipality=district, user=district_coordinator, defaults={"role": Role.COORDINATION}
        )
        Membership.objects.update_or_create(municipality=district, user=advisor, defaults={"role": Role.ADVISOR})

        # A pending invitation shows the team management at work (its link is not needed for the demo).
        coordinator = User.objects.get(email=DEMO_USERS[0][1])
        Invitation.objects.update_or_create(
            municipality=town,
            email="neue.kollegin@beispielstadt.example",
            defaults={
                "role": Role.CONTRIBUTOR,
                "token_hash": hash_token("demo-invitation-without-known-token-" + town.slug),
                "invited_by": coordinator,
                "expires_at": timezone.now() + timedelta(days=14),
                "accepted_at": None,
                "revoked_at": None,
            },
        )

        # The editorial office of the Werkzeugkoffer: Rita writes, Paul reviews (two people: four-eyes principle).
        staff = self._user(email=DEMO_STAFF[1], name=DEMO_STAFF[2], is_staff=True, is_superuser=True)
        reviewer = self._user(email=DEMO_REVIEWER[1], name=DEMO_REVIEWER[2], is_staff=True)
        from daks.toolbox.demo import seed_toolbox

        seed_toolbox(editor=staff, reviewer=reviewer, stdout=self.stdout)

        self._own_data(town, coordinator)
        self._process(town, coordinator)
        self._network(town=town, district=district, staff=staff, coordinator=coordinator)
        api_line = self._api_token(town, coordinator)
        from daks.opendata.demo import seed_open_data

        seed_open_data(self.stdout)
        from daks.portability.demo import seed_portability

        seed_portability(self.stdout)

        lines.append(f"demo {DEMO_STAFF[0]}: {staff.email} / {DEMO_PASSWORD}")
        lines.append(f"demo {DEMO_REVIEWER[0]}: {reviewer.email} / {DEMO_PASSWORD}")
        lines.append(api_line)

        return lines

    def _api_token(self, town, coordinator) -> str:
        """A fresh read-only API token of the coordination (the old demo token is deleted: tokens are shown once)."""
        from daks.api import tokens
        from daks.api.models import ApiToken

        name = "Beispiel: Auswertung der Statistikstelle"
        ApiToken.objects.filter(user=coordinator, name=name).delete()
        _token, raw = tokens.token_create(user=coordinator, municipality=town, name=name, scope="read")
        return f"API-Token der Koordination (nur lesen): {raw}  –  curl -H 'Authorization: Bearer {raw}' …/api/v1/me"

    def _own_data(self, town, coordinator):
        """Example residents' register figures of the demo town (its own data, never mixed with official)."""
        from daks.demography.models import Dataset
        from daks.demography.statistics import own_data_import

        if Dataset.objects.filter(municipality=town).exists():
            return
        lines = ["alter;geschlecht;anzahl;ortsteil"]
        for district, scale in (("Altstadt", 1.0), ("Neubaugebiet Süd", 0.6)):
            for age in range(0, 96, 5):
                # a smooth, ageing example structure: fewer children, a baby-boomer bulge around 60
                base = 60 + 40 * max(0.0, 1 - abs(age - 60) / 35) - (15 if age < 20 else 0) - max(0, age - 75) * 3
                group = f"{age}-{age + 4}" if age < 95 else "95+"
                for sex, factor in (("m", 0.97), ("w", 1.03)):
                    lines.append(f"{group};{sex};{max(1, round(base * factor * scale))};{district}")
        own_data_import(
            municipality=town,
            user=coordinator,
            file=("\n".join(lines) + "\n").encode(),
            title="Einwohnermeldedaten nach Ortsteilen (Beispieldaten)",
            reference_date=date(2025, 12, 31),
            filename="einwohner-beispieldaten.csv",
        )

    def _process(self, town, coordinator):
        """A strategy process: Kick-Off in progress with ticked checklist items and open tasks (example data)."""
        from daks.strategy.defaults import ensure_default_guidance
        from daks.strategy.models import (
            ChecklistItem,
            ChecklistTick,
            StepState,
            StepStatus,
            StrategyProcess,
            Task,
        )

        ensure_default_guidance()
        process, _created = StrategyProcess.objects.get_or_create(
            municipality=town,
            title="Beispielstadt 2040 (Beispieldaten)",
            defaults={
                "scope": "Demografiestrategie für die ganze Stadt – erfundenes Beispiel zur Vorführung. Weil es "
                "Beispielstadt nicht gibt, zeigt das Kommunalprofil die amtliche Statistik einer anderen Gemeinde "
                "(Gebietsschlüssel des Prozesses).",
                "start_date": date(2026, 9, 1),
                "created_by": coordinator,
            },
        )
        if not process.region_key:
            process.region_key = self._statistics_key()
            process.save(update_fields=["region_key"])
        process.coordinators.add(coordinator)
        StepState.objects.update_or_create(process=process, step="kickoff", defaults={"status": StepStatus.IN_PROGRESS})
        for item in ChecklistItem.objects.filter(step="kickoff", active=True).order_by("order")[:2]:
            ChecklistTick.objects.get_or_create(process=process, item=item, defaults={"ticked_by": coordinator})
        self._actors_and_profile(town, process, coordinator)
        from daks.profile.demo import seed_profile_inventory

        seed_profile_inventory(town, process, coordinator)
        self._kickoff_meeting(town, process, coordinator)
        from daks.strategy.demo_groups import seed_working_groups

        seed_working_groups(town, process, coordinator)
        from daks.plans.demo import seed_plan
        from daks.plans.demo_versions import seed_plan_versions

        seed_plan(town, process, coordinator)
        from daks.workshops.demo import seed_workshop

        # Before the versions, so the measure drafts from the workshop are part of the published version.
        seed_workshop(town, process, coordinator)
        seed_plan_versions(town, process, coordinator)
        from daks.plans.publishing import seed_demo_publication

        seed_demo_publication(plan=process.plan, user=coordinator)
        from daks.toolbox.demo_workspace import seed_toolbox_workspace_demo

        seed_toolbox_workspace_demo(process, coordinator)
        from daks.reviews.demo import seed_review
        from daks.reviews.demo_surveys import seed_survey_rounds

        seed_survey_rounds(town, process, coordinator)
        seed_review(town, process, coordinator)
        from daks.comments.demo import seed_demo_comments

        seed_demo_comments(
            municipality=town, process=process, author=User.objects.get(email=DEMO_USERS[1][1]), other=coordinator
        )
        contributor = User.objects.get(email=DEMO_USERS[1][1])
        today = timezone.localdate()
        for title, assignee, days, step in (
            ("Einladungen zur Auftaktveranstaltung versenden", coordinator, 5, "kickoff"),
            ("Raum und Moderation für den Kick-Off klären", contributor, 12, "kickoff"),
            ("Bestandsaufnahme der Angebote für Seniorinnen und Senioren beginnen", contributor, 30, "profile"),
        ):
            Task.objects.get_or_create(
                municipality=town,
                process=process,
                title=title,
                defaults={
                    "assignee": assignee,
                    "due_date": today + timedelta(days=days),
                    "step": step,
                    "created_by": coordinator,
                },
            )

    @staticmethod
    def _statistics_key() -> str:
        from daks.demography.models import IndicatorValue

        for key in DEMO_STATISTICS_KEYS:
            if IndicatorValue.objects.filter(region_key=key, value__isnull=False).exists():
                return key
        return ""

    def _network(self, *, town, district, staff, coordinator):
        """The network: Rita runs its editorial office too; a network survey Beispielstadt takes part in."""
        from django.contrib.auth.models import Group

        from daks.network.rules import NETWORK_EDITOR_GROUP
        from daks.reviews.demo_network import seed_network_survey

        staff.groups.add(Group.objects.get(name=NETWORK_EDITOR_GROUP))
        staff.__dict__.pop("_daks_groups", None)
        process = town.processes.order_by("pk").first()
        seed_network_survey(staff=staff, process=process, coordinator=coordinator)
        from daks.events.demo import seed_events_demo
        from daks.exchange.demo import seed_exchange_demo
        from daks.network.demo import seed_network_demo
        from daks.news.demo import seed_news_demo

        for seed in (seed_network_demo, seed_news_demo, seed_events_demo, seed_exchange_demo):
            seed(town=town, district=district, staff=staff, coordinator=coordinator)

    def _actors_and_profile(self, town, process, coordinator):
        """Example actors, SWOT items and fields of action of the demo town (Beispieldaten)."""
        from daks.profile.models import FieldOfAction, SwotItem
        from daks.strategy.models import Actor

        for name, sector, influence, interest in (
            ("Bürgermeisterin der Beispielstadt", "verwaltung", 5, 5),
            ("Seniorenbeirat", "zivilgesellschaft", 2, 5),
            ("Wohnungsbaugenossenschaft Beispielstadt eG", "wirtschaft", 4, 3),
            ("Evangelische Kirchengemeinde", "kirche", 2, 3),
            ("Grundschule am Markt", "bildung", 2, 4),
            ("Lokalzeitung Beispielstädter Bote", "medien", 3, 2),
        ):
            Actor.objects.get_or_create(
                municipality=town,
                name=name,
                defaults={"sector": sector, "influence": influence, "interest": interest, "created_by": coordinator},
            )
        items = {}
        for quadrant, texts in (
            ("strength", ["Starkes Ehrenamt in Vereinen", "Gute Grundversorgung in der Altstadt"]),
            ("weakness", ["Wenig barrierearmer Wohnraum", "Abwanderung junger Erwachsener"]),
            ("opportunity", ["Förderprogramm für altersgerechtes Wohnen", "Zuzug junger Familien ins Neubaugebiet"]),
            ("threat", ["Hausärztinnen und Hausärzte gehen in den Ruhestand"]),
        ):
            for position, text in enumerate(texts):
                items[text], _created = SwotItem.objects.get_or_create(
                    process=process,
                    municipality=town,
                    quadrant=quadrant,
                    text=text,
                    defaults={"position": position, "author": coordinator},
                )
        for priority, (title, supporting) in enumerate(
            (
                ("Wohnen", ["Wenig barrierearmer Wohnraum", "Förderprogramm für altersgerechtes Wohnen"]),
                ("Gesundheit und Pflege", ["Hausärztinnen und Hausärzte gehen in den Ruhestand"]),
            ),
            start=1,
        ):
            field, _created = FieldOfAction.objects.get_or_create(
                process=process, municipality=town, title=title, defaults={"priority": priority, "author": coordinator}
            )
            field.swot_items.add(*(items[text] for text in supporting))

    def _kickoff_meeting(self, town, process, coordinator):
        """The Kick-Off meeting of the demo process with agenda and invited team members (example data)."""
        from daks.meetings.models import AgendaItem, Meeting, MeetingInvitation, Rsvp, hash_token

        starts = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=21), time(18, 0)))
        meeting, created = Meeting.objects.get_or_create(
            municipality=town,
            process=process,
            title="Auftaktveranstaltung „Beispielstadt 2040“ (Beispieldaten)",
            defaults={
                "step": "kickoff",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2, minutes=30),
                "place": "Rathaus Beispielstadt, Großer Sitzungssaal",
                "created_by": coordinator,
            },
        )
        if not created:
            return
        for position, (clock, title, owner) in enumerate(
            (
                (time(18, 0), "Begrüßung und Ziele des Prozesses", "Bürgermeisterin"),
                (time(18, 20), "Wie verändert sich Beispielstadt? Zahlen und Vorausberechnung", "Katrin Koordinatorin"),
                (time(19, 0), "Arbeitsgruppen: Stärken und Schwächen sammeln", "Moderation"),
                (time(20, 0), "Nächste Schritte und Verabredungen", "Katrin Koordinatorin"),
            ),
            start=1,
        ):
            AgendaItem.objects.create(meeting=meeting, position=position, time=clock, title=title, owner=owner)
        for label, _email, name, _role in DEMO_USERS[:3]:
            member = User.objects.get(email=_email)
            MeetingInvitation.objects.create(
                meeting=meeting,
                member=member,
                name=name,
                email=_email,
                token_hash=hash_token(f"demo-rsvp-{label}-{meeting.pk}"),
                rsvp=Rsvp.YES if label == "koordination" else Rsvp.PENDING,
            )

    def _municipality(self, *, slug, **fields):
        municipality, _created = Municipality.objects.update_or_create(
            slug=slug,
            defaults={
                **fields,
                "country": "DE",
                "description": DEMO_NOTE,
                "verified_at": timezone.now(),
                "verification_method": VerificationMethod.EDITORIAL,
            },
        )
        return municipality

    def _user(self, *, email, name, **extra):
        user, _created = User.objects.update_or_create(email=email, defaults={"name": name, **extra})
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user
