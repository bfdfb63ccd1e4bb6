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
    assert process.tasks.count() == 3 and process.checklist_ticks.count() == 2
    assert town.actors.count() == 6
    assert process.fields_of_action.count() == 2 and process.swot_items.count() == 7
    meeting = town.meetings.get()
    assert meeting.agenda.count() == 4 and meeting.invitations.count() == 3
    # The advisor accompanies two Kommunen.
    assert Membership.objects.filter(user__email="begleitung@beratung.example", role=Role.ADVISOR).count() == 2
