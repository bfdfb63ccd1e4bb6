import re
from io import StringIO

import pytest
from django.core.management import call_command

from daks.accounts.models import User
from daks.municipalities.models import Membership, Municipality, Role


def run_seed() -> list[str]:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return [line for line in out.getvalue().splitlines() if line.startswith("demo ")]


@pytest.mark.django_db
def test_seed_demo_prints_one_login_per_role_coordination_first():
    lines = run_seed()
    assert [line.split(":")[0] for line in lines] == [
        "demo koordination",
        "demo mitarbeit",
        "demo lesen",
        "demo prozessbegleitung",
        "demo redaktion",
        "demo pruefung",
    ]
    for line in lines:
        assert re.fullmatch(r"demo [a-z]+: \S+@\S+ / \S+", line)


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_its_logins_work(client):
    run_seed()
    counts = (User.objects.count(), Municipality.objects.count(), Membership.objects.count())
    lines = run_seed()
    assert (User.objects.count(), Municipality.objects.count(), Membership.objects.count()) == counts

    email, password = lines[0].split(": ", 1)[1].split(" / ")
    response = client.post("/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302
    town = Municipality.objects.get(slug="beispielstadt")
    assert Membership.objects.get(municipality=town, user__email=email).role == Role.COORDINATION
    assert "Beispieldaten" in town.description
    # Its own (example) residents' register data, once, labelled as example data.
    own = town.datasets.get()
    assert "Beispieldaten" in own.title and own.value_count > 0
    # A strategy process with the Kick-Off under way and open tasks.
    process = town.processes.get()
    assert process.step_states.get(step="kickoff").status == "in_progress"
    assert process.tasks.count() == 4 and process.checklist_ticks.count() == 2
    assert town.actors.count() == 6
    assert process.swot_items.count() == 7
    # Kommunalprofil: inventory and interviews; working groups with their own meeting; comments.
    assert process.inventory_items.count() == 5 and process.interviews.count() == 2
    assert process.working_groups.count() == 2
    meeting = town.meetings.get(step="kickoff", working_group__isnull=True)
    assert meeting.agenda.count() == 4 and meeting.invitations.count() == 3
    assert town.meetings.filter(working_group__isnull=False).exists()
    from daks.comments.models import Comment

    assert Comment.objects.filter(municipality=town).count() == 2
    # Werkstattplan: 6 fields of action, 12 goals, ~40 measures in every status, two versions.
    plan = process.plan
    assert process.fields_of_action.count() == 6 and plan.goals.count() == 12
    assert plan.measures.count() >= 40
    assert set(plan.measures.values_list("status", flat=True)) == {
        "idea",
        "planned",
        "in_progress",
        "done",
        "paused",
        "dropped",
    }
    # two versions of the plan, a third one recording the adjustments of the interim review
    assert plan.versions.count() == 3 and plan.published_version is not None
    # Zukunftswerkstatt: ~40 ideas, votes, three measure drafts; Zwischenbilanz: two survey rounds, one review.
    workshop = process.workshops.get()
    assert workshop.ideas.count() >= 40 and workshop.votes.exists()
    assert plan.measures.filter(ideas__workshop=workshop).distinct().count() == 3
    rounds = process.surveys.filter(network_survey__isnull=True)
    assert rounds.count() == 2 and all(s.responses.count() >= 25 for s in rounds)
    # ... and its copy of a network survey, with enough responses to be evaluated by the network office.
    network_copy = process.surveys.get(network_survey__isnull=False)
    assert network_copy.responses.count() >= 3
    review = process.reviews.get()
    assert review.adjustments.filter(plan_version__isnull=False).exists()
    # The advisor accompanies two Kommunen.
    assert Membership.objects.filter(user__email="begleitung@beratung.example", role=Role.ADVISOR).count() == 2


@pytest.mark.django_db
def test_demo_process_shows_the_statistics_of_a_real_town_when_they_are_loaded():
    from tests.demography.factories import IndicatorValueFactory, RegionFactory

    RegionFactory(key="09178124", name="Freising, Große Kreisstadt")
    IndicatorValueFactory(region_key="09178124", indicator="population", year=2024, value=50_000.0)
    run_seed()
    process = Municipality.objects.get(slug="beispielstadt").processes.get()
    assert process.region_key == "09178124"
    assert "amtliche Statistik einer anderen Gemeinde" in process.scope


@pytest.mark.django_db
def test_demo_process_without_official_statistics_keeps_the_town_key():
    run_seed()
    assert Municipality.objects.get(slug="beispielstadt").processes.get().region_key == ""
