import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from daks.comments.services import comment_create
from daks.meetings.models import Meeting
from daks.profile.models import FieldOfAction
from daks.workshops.models import Cluster, Idea, IdeaStatus, Phase, Support, Vote, Workshop

from .factories import ClusterFactory, IdeaFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


def de(msgid, plural=None, n=1, **values):
    """The German text as rendered (works before and after the catalogues are compiled)."""
    from django.utils.html import escape
    from django.utils.translation import gettext, ngettext, override

    with override("de"):
        text = ngettext(msgid, plural, n) if plural else gettext(msgid)
    return escape(text % values if values else text)


def de_lazy(lazy):
    from django.utils.html import escape
    from django.utils.translation import override

    with override("de"):
        return escape(str(lazy))


@pytest.fixture
def field(process):
    return FieldOfAction.objects.create(process=process, municipality=process.municipality, title="Mobilität")


@pytest.fixture
def board(ws_url, workshop):
    return ws_url("workshops:board", workshop_pk=workshop.pk)


# --- Pages and roles -------------------------------------------------------------------------------


def test_list_create_and_board(coordinator, login, ws_url, process):
    client = login(coordinator)
    response = client.get(ws_url("workshops:list"))
    assert response.status_code == 200
    assert de("No workshop has been planned yet.") in response.content.decode()
    assert client.get(ws_url("workshops:create")).status_code == 200
    starts = (timezone.now() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    ends = (timezone.now() + datetime.timedelta(days=5, hours=4)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "title": "Zukunftswerkstatt 2040",
        "starts_at": starts,
        "ends_at": ends,
        "place": "Bürgerhaus",
        "critique_minutes": 40,
        "fantasy_minutes": 60,
        "realisation_minutes": 70,
        "votes_per_participant": 5,
        "voting_scope": "realisation",
    }
    response = client.post(ws_url("workshops:create"), data)
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response["Location"].startswith(
        ws_url("workshops:board", workshop_pk=workshop.pk)
    )
    assert workshop.meeting.step == "workshop" and workshop.critique_minutes == 40
    content = client.get(response["Location"]).content.decode()
    for phase in Phase:
        assert f'id="phase-{phase.value}"' in content and de_lazy(phase.label) in content
    assert "Zukunftswerkstatt 2040" in client.get(ws_url("workshops:list")).content.decode()


def test_create_bad_input_shows_german_message(coordinator, login, ws_url):
    client = login(coordinator)
    now = timezone.now() + datetime.timedelta(days=5)
    response = client.post(
        ws_url("workshops:create"),
        {
            "title": "W",
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "critique_minutes": 40,
            "fantasy_minutes": 60,
            "realisation_minutes": 70,
            "votes_per_participant": 5,
            "voting_scope": "realisation",
        },
    )
    assert response.status_code == 400
    assert de("The meeting must end after it starts.") in response.content.decode()
    assert not Workshop.objects.exists() and not Meeting.objects.exists()


def test_edit_workshop_and_conflict(coordinator, login, ws_url, workshop):
    client = login(coordinator)
    url = ws_url("workshops:edit", workshop_pk=workshop.pk)
    assert client.get(url).status_code == 200
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["starts_at"] = workshop.meeting.starts_at.astimezone().strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = workshop.meeting.ends_at.astimezone().strftime("%Y-%m-%dT%H:%M")
    data.update(title="Umbenannt", current_phase="fantasy", voting_open="on")
    response = client.post(url, data)
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert (workshop.meeting.title, workshop.current_phase, workshop.voting_open) == ("Umbenannt", "fantasy", True)
    # The same (now old) version again: conflict, German message, nothing written.
    data.update(title="Zweiter Versuch")
    response = client.post(url, data)
    assert response.status_code == 400
    assert (
        de("Somebody else has changed this workshop in the meantime. Please check the current values and save again.")
        in response.content.decode()
    )
    workshop.refresh_from_db()
    assert workshop.meeting.title == "Umbenannt"


def test_delete_workshop(coordinator, login, ws_url, workshop):
    response = login(coordinator).post(ws_url("workshops:delete", workshop_pk=workshop.pk))
    assert response.status_code == 302 and not Workshop.objects.exists()


def test_phase_switch(contributor, login, ws_url, workshop, board):
    response = login(contributor).post(ws_url("workshops:phase", workshop_pk=workshop.pk), {"current_phase": "fantasy"})
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.current_phase == "fantasy"
    assert (
        login(contributor).post(ws_url("workshops:phase", workshop_pk=workshop.pk), {"current_phase": "x"}).status_code
        == 400
    )


def _write_urls(ws_url, workshop, idea, cluster):
    w = {"workshop_pk": workshop.pk}
    return [
        (ws_url("workshops:create"), {}),
        (ws_url("workshops:edit", **w), {}),
        (ws_url("workshops:delete", **w), {}),
        (ws_url("workshops:phase", **w), {"current_phase": "fantasy"}),
        (ws_url("workshops:idea_add", **w), {"phase": "critique", "add-critique-text": "Neu"}),
        (
            ws_url("workshops:idea_edit", **w, idea_pk=idea.pk),
            {f"edit-{idea.pk}-text": "X", f"edit-{idea.pk}-phase": "critique"},
        ),
        (ws_url("workshops:idea_delete", **w, idea_pk=idea.pk), {}),
        (ws_url("workshops:idea_move", **w, idea_pk=idea.pk), {"direction": "up"}),
        (ws_url("workshops:idea_cluster", **w, idea_pk=idea.pk), {"cluster": cluster.pk}),
        (ws_url("workshops:idea_support", **w, idea_pk=idea.pk), {}),
        (
            ws_url("workshops:idea_moderate", **w, idea_pk=idea.pk),
            {f"m{idea.pk}-status": "hidden", f"m{idea.pk}-reason": "x"},
        ),
        (ws_url("workshops:cluster_add", **w), {"phase": "critique", "cluster-critique-title": "C"}),
        (ws_url("workshops:cluster_edit", **w, cluster_pk=cluster.pk), {f"cluster-edit-{cluster.pk}-title": "D"}),
        (ws_url("workshops:cluster_delete", **w, cluster_pk=cluster.pk), {}),
    ]


def _read_urls(ws_url, workshop):
    w = {"workshop_pk": workshop.pk}
    return [
        ws_url("workshops:list"),
        ws_url("workshops:board", **w),
        ws_url("workshops:moderation", **w),
        ws_url("workshops:presentation", **w),
        ws_url("workshops:presentation_live", **w),
    ]


def test_reader_reads_but_cannot_write(reader, login, ws_url, workshop):
    idea = IdeaFactory(workshop=workshop, text="Lesbar")
    cluster = ClusterFactory(workshop=workshop)
    client = login(reader)
    for url in _read_urls(ws_url, workshop):
        assert client.get(url).status_code == 200, url
    content = client.get(ws_url("workshops:board", workshop_pk=workshop.pk)).content.decode()
    assert "Lesbar" in content and "aria-pressed" not in content and "idea_edit" not in content
    assert "/bearbeiten/" not in content
    for url, data in _write_urls(ws_url, workshop, idea, cluster):
        assert client.post(url, data).status_code == 403, url
    assert Idea.objects.get().text == "Lesbar" and not Support.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "contributor", "advisor"])
def test_editing_roles_can_write(role, request, login, ws_url, workshop):
    user = request.getfixturevalue(role)
    client = login(user)
    response = client.post(
        ws_url("workshops:idea_add", workshop_pk=workshop.pk), {"phase": "fantasy", "add-fantasy-text": "Ein Café"}
    )
    assert response.status_code == 302
    assert Idea.objects.get().author == user


def test_outsider_and_anonymous(outsider, login, client, ws_url, workshop):
    idea = IdeaFactory(workshop=workshop)
    cluster = ClusterFactory(workshop=workshop)
    for url in _read_urls(ws_url, workshop):
        response = client.get(url)
        assert response.status_code == 404, url  # anonymous: the Kommune is not revealed
    outsider_client = login(outsider)
    for url in _read_urls(ws_url, workshop):
        assert outsider_client.get(url).status_code == 404, url
    for url, data in _write_urls(ws_url, workshop, idea, cluster):
        assert outsider_client.post(url, data).status_code == 404, url
    assert Idea.objects.filter(pk=idea.pk).exists()


def test_other_step_slug_is_404(coordinator, login, process, workshop):
    url = reverse(
        "workshops:board",
        kwargs={
            "municipality_slug": "musterstadt",
            "pk": process.pk,
            "step_slug": "kommunalprofil",
            "workshop_pk": workshop.pk,
        },
    )
    assert login(coordinator).get(url).status_code == 404


def test_forged_pks_of_another_kommune_are_404(coordinator, login, ws_url, workshop, other_workshop, other_process):
    """Objects of another Kommune (or another process) are never found through this Kommune's URLs."""
    foreign_idea = IdeaFactory(workshop=other_workshop, text="fremd")
    foreign_cluster = ClusterFactory(workshop=other_workshop)
    client = login(coordinator)
    w = {"workshop_pk": workshop.pk}
    cases = [
        ("get", ws_url("workshops:board", workshop_pk=other_workshop.pk), {}),
        ("get", ws_url("workshops:moderation", workshop_pk=other_workshop.pk), {}),
        ("get", ws_url("workshops:presentation", workshop_pk=other_workshop.pk), {}),
        ("get", ws_url("workshops:presentation_live", workshop_pk=other_workshop.pk), {}),
        ("get", ws_url("workshops:edit", workshop_pk=other_workshop.pk), {}),
        ("post", ws_url("workshops:delete", workshop_pk=other_workshop.pk), {}),
        ("post", ws_url("workshops:phase", workshop_pk=other_workshop.pk), {"current_phase": "fantasy"}),
        (
            "post",
            ws_url("workshops:idea_add", workshop_pk=other_workshop.pk),
            {"phase": "critique", "add-critique-text": "X"},
        ),
        ("get", ws_url("workshops:idea_edit", **w, idea_pk=foreign_idea.pk), {}),
        ("post", ws_url("workshops:idea_delete", **w, idea_pk=foreign_idea.pk), {}),
        ("post", ws_url("workshops:idea_move", **w, idea_pk=foreign_idea.pk), {"direction": "up"}),
        ("post", ws_url("workshops:idea_cluster", **w, idea_pk=foreign_idea.pk), {}),
        ("post", ws_url("workshops:idea_support", **w, idea_pk=foreign_idea.pk), {}),
        (
            "post",
            ws_url("workshops:idea_moderate", **w, idea_pk=foreign_idea.pk),
            {f"m{foreign_idea.pk}-status": "hidden"},
        ),
        ("get", ws_url("workshops:cluster_edit", **w, cluster_pk=foreign_cluster.pk), {}),
        ("post", ws_url("workshops:cluster_delete", **w, cluster_pk=foreign_cluster.pk), {}),
        # The foreign workshop under this Kommune's slug but the other process id
        (
            "get",
            reverse(
                "workshops:board",
                kwargs={
                    "municipality_slug": "musterstadt",
                    "pk": other_process.pk,
                    "step_slug": "zukunftswerkstatt",
                    "workshop_pk": other_workshop.pk,
                },
            ),
            {},
        ),
    ]
    for method, url, data in cases:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert Idea.objects.filter(pk=foreign_idea.pk, text="fremd").exists()
    assert Cluster.objects.filter(pk=foreign_cluster.pk).exists()
    assert not Support.objects.exists()


def test_forged_field_of_action_and_cluster_are_refused(
    coordinator, login, ws_url, workshop, other_process, other_workshop
):
    foreign_field = FieldOfAction.objects.create(
        process=other_process, municipality=other_process.municipality, title="Fremd"
    )
    client = login(coordinator)
    response = client.post(
        ws_url("workshops:idea_add", workshop_pk=workshop.pk),
        {"phase": "critique", "add-critique-text": "X", "add-critique-field_of_action": foreign_field.pk},
    )
    assert response.status_code == 200 and not Idea.objects.exists()
    idea = IdeaFactory(workshop=workshop)
    foreign_cluster = ClusterFactory(workshop=other_workshop, phase=idea.phase)
    response = client.post(
        ws_url("workshops:idea_cluster", workshop_pk=workshop.pk, idea_pk=idea.pk), {"cluster": foreign_cluster.pk}
    )
    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.cluster is None


# --- Board interactions -------------------------------------------------------------------------------


def test_htmx_add_returns_column(contributor, login, ws_url, workshop, field):
    client = login(contributor)
    response = client.post(
        ws_url("workshops:idea_add", workshop_pk=workshop.pk),
        {"phase": "fantasy", "add-fantasy-text": "Ein Bürgerbus", "add-fantasy-field_of_action": field.pk},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="phase-fantasy"' in content and 'id="phase-critique"' not in content
    assert "Ein Bürgerbus" in content and "data-focus-within" in content and "<html" not in content
    assert Idea.objects.get().field_of_action == field


def test_add_invalid_shows_error_and_writes_nothing(contributor, login, ws_url, workshop):
    client = login(contributor)
    response = client.post(
        ws_url("workshops:idea_add", workshop_pk=workshop.pk),
        {"phase": "critique", "add-critique-text": "x" * 1001},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "field__error" in response.content.decode()
    assert not Idea.objects.exists()
    assert client.post(ws_url("workshops:idea_add", workshop_pk=workshop.pk), {"phase": "nope"}).status_code == 400


def test_edit_idea_inline_and_conflict(contributor, login, ws_url, workshop):
    idea = IdeaFactory(workshop=workshop, text="Alt")
    client = login(contributor)
    url = ws_url("workshops:idea_edit", workshop_pk=workshop.pk, idea_pk=idea.pk)
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert f'name="edit-{idea.pk}-text"' in response.content.decode()
    version = idea.version
    data = {f"edit-{idea.pk}-text": "Neu", f"edit-{idea.pk}-phase": "critique", f"edit-{idea.pk}-version": version}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Neu" in response.content.decode()
    data[f"edit-{idea.pk}-text"] = "Überschrieben?"
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert (
        de(
            "Somebody else has changed this idea in the meantime. The saved version is shown next to your input; "
            "check it and save again to keep your version."
        )
        in content
    )
    idea.refresh_from_db()
    assert idea.text == "Neu"


def test_edit_idea_to_other_phase_redirects_client(contributor, login, ws_url, workshop):
    idea = IdeaFactory(workshop=workshop)
    url = ws_url("workshops:idea_edit", workshop_pk=workshop.pk, idea_pk=idea.pk)
    response = login(contributor).post(
        url, {f"edit-{idea.pk}-text": "Weiter", f"edit-{idea.pk}-phase": "realisation"}, HTTP_HX_REQUEST="true"
    )
    assert "#phase-realisation" in response["HX-Redirect"]
    idea.refresh_from_db()
    assert idea.phase == "realisation"


def test_move_delete_cluster_support(contributor, login, ws_url, workshop):
    a = IdeaFactory(workshop=workshop, text="Erste")
    b = IdeaFactory(workshop=workshop, text="Zweite")
    client = login(contributor)
    w = {"workshop_pk": workshop.pk}
    response = client.post(
        ws_url("workshops:idea_move", **w, idea_pk=b.pk), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert content.index("Zweite") < content.index("Erste")
    # Focus: the moved card is first now, so the "down" button of it gets the focus.
    assert f'id="move-down-{b.pk}" data-focus' in content
    assert client.post(ws_url("workshops:idea_move", **w, idea_pk=b.pk), {"direction": "x"}).status_code == 400

    response = client.post(
        ws_url("workshops:cluster_add", **w), {"phase": "critique", "cluster-critique-title": "Verkehr"}
    )
    assert response.status_code == 302
    cluster = Cluster.objects.get()
    response = client.post(
        ws_url("workshops:idea_cluster", **w, idea_pk=a.pk), {"cluster": cluster.pk}, HTTP_HX_REQUEST="true"
    )
    assert f'id="cluster-{a.pk}" data-focus' in response.content.decode()
    a.refresh_from_db()
    assert a.cluster == cluster

    response = client.post(ws_url("workshops:idea_support", **w, idea_pk=a.pk), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert f'id="support-{a.pk}" aria-pressed="true" data-focus' in content
    assert Support.objects.filter(idea=a, user=contributor).count() == 1
    response = client.post(ws_url("workshops:idea_support", **w, idea_pk=a.pk))
    assert response.status_code == 302 and not Support.objects.exists()

    response = client.post(ws_url("workshops:idea_delete", **w, idea_pk=a.pk), HTTP_HX_REQUEST="true")
    assert "Erste" not in response.content.decode() and not Idea.objects.filter(pk=a.pk).exists()


def test_cluster_rename_and_delete(contributor, login, ws_url, workshop):
    cluster = ClusterFactory(workshop=workshop, title="Alt")
    client = login(contributor)
    url = ws_url("workshops:cluster_edit", workshop_pk=workshop.pk, cluster_pk=cluster.pk)
    assert f'name="cluster-edit-{cluster.pk}-title"' in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    version = cluster.version
    client.post(url, {f"cluster-edit-{cluster.pk}-title": "Neu", f"cluster-edit-{cluster.pk}-version": version})
    cluster.refresh_from_db()
    assert cluster.title == "Neu"
    response = client.post(
        url, {f"cluster-edit-{cluster.pk}-title": "Später", f"cluster-edit-{cluster.pk}-version": version}
    )
    assert "Neu" in response.content.decode()
    cluster.refresh_from_db()
    assert cluster.title == "Neu"
    client.post(ws_url("workshops:cluster_delete", workshop_pk=workshop.pk, cluster_pk=cluster.pk))
    assert not Cluster.objects.exists()


def test_script_in_idea_text_is_escaped_on_board(coordinator, login, board, workshop):
    IdeaFactory(workshop=workshop, text=SCRIPT)
    content = login(coordinator).get(board).content.decode()
    assert SCRIPT not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in content


def test_board_shows_fields_counts_and_comment_links(coordinator, contributor, login, board, workshop, field):
    idea = IdeaFactory(workshop=workshop, field_of_action=field, phase=Phase.FANTASY, text="Mitfahrbank")
    Support.objects.create(idea=idea, user=contributor)
    Vote.objects.create(workshop=workshop, idea=idea, user=contributor)
    Vote.objects.create(workshop=workshop, idea=idea, user=coordinator)
    comment_create(actor=contributor, municipality=workshop.municipality, obj=idea, body="Gute Idee")
    IdeaFactory(workshop=workshop, status=IdeaStatus.PENDING, text="Wartet noch")
    IdeaFactory(workshop=workshop, status=IdeaStatus.HIDDEN, text="Versteckt")
    content = login(coordinator).get(board).content.decode()
    assert "Mobilität" in content and "Mitfahrbank" in content
    assert de("%(counter)s support", "%(counter)s supports", 1, counter=1) in content
    assert de("%(counter)s point", "%(counter)s points", 2, counter=2) in content
    assert de("%(counter)s comment", "%(counter)s comments", 1, counter=1) in content
    assert reverse("comments:thread", args=["musterstadt", "workshops.idea", idea.pk]) in content
    assert "Wartet noch" not in content and "Versteckt" not in content
    assert 'aria-pressed="false"' in content


def test_comment_thread_of_an_idea_links_back(coordinator, login, workshop, board):
    idea = IdeaFactory(workshop=workshop)
    response = login(coordinator).get(reverse("comments:thread", args=["musterstadt", "workshops.idea", idea.pk]))
    assert response.status_code == 200
    assert f"{board}#idea-{idea.pk}" in response.content.decode()


def test_meeting_detail_links_to_board(coordinator, login, workshop, board):
    response = login(coordinator).get(reverse("meetings:detail", args=["musterstadt", workshop.meeting.pk]))
    assert board in response.content.decode()


def test_step_registers_the_workshops_page(ws_url, process):
    from daks.strategy.models import Step
    from daks.strategy.steps import STEPS

    assert ws_url("workshops:list") in [url for _label, url in STEPS[Step.WORKSHOP].page_links(process)]


def test_board_query_count_is_constant(coordinator, contributor, login, board, workshop, field):
    client = login(coordinator)

    def fill(n):
        for index in range(n):
            idea = IdeaFactory(
                workshop=workshop,
                phase=Phase.values[index % 3],
                field_of_action=field if index % 2 else None,
                cluster=ClusterFactory(workshop=workshop, phase=Phase.values[index % 3]) if index % 5 == 0 else None,
            )
            Support.objects.create(idea=idea, user=contributor)
            Vote.objects.create(workshop=workshop, idea=idea, user=contributor)

    fill(3)
    client.get(board)
    with CaptureQueriesContext(connection) as few:
        client.get(board)
    fill(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(board)
    assert response.content.decode().count('class="ws-card"') == 30
    assert len(few) == len(many), [q["sql"] for q in many.captured_queries]


def test_board_query_count_pinned(coordinator, login, board, workshop, field, django_assert_num_queries):
    for index in range(30):
        IdeaFactory(workshop=workshop, phase=Phase.values[index % 3], field_of_action=field if index % 2 else None)
    client = login(coordinator)
    client.get(board)
    with django_assert_num_queries(13):
        client.get(board)


# --- Moderation -------------------------------------------------------------------------------------------


def test_moderation_queue(coordinator, login, ws_url, workshop, board):
    pending = IdeaFactory(workshop=workshop, status=IdeaStatus.PENDING, text=SCRIPT, author_name="Erika")
    other = IdeaFactory(workshop=workshop, status=IdeaStatus.PENDING, text="Spam")
    client = login(coordinator)
    url = ws_url("workshops:moderation", workshop_pk=workshop.pk)
    content = client.get(url).content.decode()
    assert SCRIPT not in content and "&lt;script&gt;" in content and "Erika" in content
    # The board shows how many ideas wait.
    assert f'2<span class="visually-hidden"> {de("waiting")}' in client.get(board).content.decode()
    moderate = ws_url("workshops:idea_moderate", workshop_pk=workshop.pk, idea_pk=other.pk)
    response = client.post(moderate, {f"m{other.pk}-status": "hidden", f"m{other.pk}-reason": ""})
    assert response.status_code == 400
    assert de("Please give a reason for hiding the idea.") in response.content.decode()
    other.refresh_from_db()
    assert other.status == IdeaStatus.PENDING
    client.post(moderate, {f"m{other.pk}-status": "hidden", f"m{other.pk}-reason": "Werbung"})
    client.post(
        ws_url("workshops:idea_moderate", workshop_pk=workshop.pk, idea_pk=pending.pk),
        {f"m{pending.pk}-status": "visible"},
    )
    other.refresh_from_db()
    pending.refresh_from_db()
    assert (other.status, other.moderation_reason, pending.status) == ("hidden", "Werbung", "visible")
    content = client.get(url).content.decode()
    assert "Werbung" in content and "Spam" in content
    assert "&lt;script&gt;" in client.get(board).content.decode()


def test_moderation_queue_query_count_constant(coordinator, login, ws_url, workshop):
    client = login(coordinator)
    url = ws_url("workshops:moderation", workshop_pk=workshop.pk)
    IdeaFactory(workshop=workshop, status=IdeaStatus.PENDING)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        IdeaFactory(workshop=workshop, status=IdeaStatus.PENDING)
        IdeaFactory(workshop=workshop, status=IdeaStatus.HIDDEN, moderation_reason="x")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_list_query_count_constant(coordinator, login, ws_url, process):
    client = login(coordinator)
    WorkshopFactory(process=process)
    client.get(ws_url("workshops:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(ws_url("workshops:list"))
    for _ in range(4):
        workshop = WorkshopFactory(process=process)
        IdeaFactory(workshop=workshop)
    with CaptureQueriesContext(connection) as many:
        client.get(ws_url("workshops:list"))
    assert len(few) == len(many)
