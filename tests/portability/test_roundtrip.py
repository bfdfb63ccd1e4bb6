"""Export → import on an emptied instance reproduces the workspace: counts, every object field by field, relations,
files; what the import changes on purpose is checked one by one."""

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command

from daks.accounts.models import User
from daks.municipalities.models import Invitation, Membership, Municipality, Role
from daks.news.models import NewsStatus
from daks.plans import versions
from daks.plans.models import Plan
from daks.portability import exporter, importer, registry
from daks.strategy import activity
from daks.toolbox.models import Tool, ToolStatus
from daks.workshops.models import Participant, Support, Vote

from .roundtrip import capture, compare, export_bytes, queryset, stored_files, wipe_instance


def _round_trip(municipality, coordinator, *, tools=()):
    activity_count = activity.process_entries(municipality.processes.get()).count()
    snapshot = capture(municipality)
    data = export_bytes(municipality, exported_by=coordinator)
    wipe_instance(keep=coordinator, tools=tools)
    assert stored_files() == []
    result = importer.import_workspace(user=coordinator, fileobj=io.BytesIO(data))
    return snapshot, result, activity_count, data


def test_round_trip_reproduces_every_object(workspace, municipality, coordinator, mailoutbox):
    own_tool = workspace["own_tool"]
    snapshot, result, activity_count, _data = _round_trip(municipality, coordinator, tools=[own_tool.pk])
    new = result.municipality

    # every kind of object is covered by the workspace of this test
    generic = [label for label, spec in registry.INCLUDED.items() if spec.mode == registry.GENERIC]
    assert [label for label in generic if snapshot.count(label) == 0] == []

    # counts per model, in the database (stand-ins for members' votes come on top of the participants)
    for label in generic:
        count = queryset(label, new.pk).count()
        if label == "workshops.Participant":
            count -= result.stand_in_participants
        elif label == "workshops.ParticipationLink":
            count -= 1 if result.stand_in_participants else 0
        elif label == "core.AuditLogEntry":
            count -= 1  # the import itself
        assert count == snapshot.count(label), label
        assert result.counts[label] == snapshot.count(label), label

    # every object field by field, relations rewritten to the new ids, files with the same content
    assert compare(snapshot, result.ids, coordinator.pk) == sum(snapshot.count(label) for label in generic)
    assert result.skipped == {}

    # the Kommune itself: a new one, not verified, the importing person its Koordination
    old = snapshot.objects[registry.MUNICIPALITY][municipality.pk]
    for name in ("name", "slug", "kind", "country", "state", "official_key", "website", "description"):
        assert getattr(new, name) == getattr(old, name), name
    assert new.pk != old.pk
    assert not new.is_verified
    assert new.created_by == coordinator
    with new.logo.open("rb") as handle:
        assert handle.read() == snapshot.files[(registry.MUNICIPALITY, old.pk, "logo")]
    assert list(Membership.objects.filter(municipality=new).values_list("user", "role")) == [
        (coordinator.pk, Role.COORDINATION)
    ]

    # the audit trail keeps its history and points to the new objects; the activity feed of the process works
    new_process = new.processes.get()
    assert activity.process_entries(new_process).count() == activity_count
    new_measure = result.ids["plans.Measure"][workspace["measure"].pk]
    updated = new.audit_log.get(action="plans.measure.updated")
    assert updated.data["measure"] == new_measure
    note = new.audit_log.get(action="strategy.process.note")
    assert note.data["process"] == new_process.pk
    assert note.data["item"] == 999  # keys that name no known kind of object stay as they were
    assert new.audit_log.filter(action="portability.workspace.imported").count() == 1

    # the comment is on the new measure
    comment = new.comments.get()
    assert comment.object_id == new_measure
    assert comment.target.title == "Wohnberatung für alle"

    # plan versions still compare with the plan: one changed measure, nothing added or removed
    plan = Plan.objects.get(municipality=new)
    diff = versions.version_diff(plan.published_version.snapshot, versions.plan_snapshot(plan))
    assert len(diff.changed_measures) == 1
    assert not (diff.added_measures or diff.removed_measures or diff.added_goals or diff.removed_goals)

    # votes and supports: the same results; those of former members are kept by anonymous stand-ins
    for text, votes, supports in (("Mehr Bänke", 1, 3), ("Seilbahn", 2, 0)):
        assert Vote.objects.filter(idea__municipality=new, idea__text=text).count() == votes, text
        assert Support.objects.filter(idea__municipality=new, idea__text=text).count() == supports, text
    assert Support.objects.filter(idea__municipality=new, user=coordinator).count() == 1
    stand_in = Participant.objects.get(link__workshop__municipality=new, name=workspace["contributor"].name)
    assert Support.objects.filter(participant=stand_in).count() == 1 and stand_in.votes.count() == 1
    assert result.stand_in_participants == 2

    # the team: no accounts for others, open invitations that have not been sent
    invitations = Invitation.objects.filter(municipality=new).order_by("email")
    assert {(i.email, i.role) for i in invitations} == {
        (workspace["contributor"].email, Role.CONTRIBUTOR),
        (workspace["reader"].email, Role.READER),
        ("neu@musterstadt.example", Role.CONTRIBUTOR),
    }
    assert all(i.sent_count == 0 and i.is_pending() and i.invited_by == coordinator for i in invitations)
    assert mailoutbox == []
    assert User.objects.count() == 1

    # publication, links and calculations of the old instance are not carried over
    tool = Tool.objects.get(pk=result.ids["toolbox.Tool"][own_tool.pk])
    assert (tool.status, tool.published_at, tool.review_requested_by) == (ToolStatus.REVIEW, None, coordinator)
    assert tool.slug == "seniorenlotsen"
    news = new.news_items.get()
    assert (news.status, news.published_at) == (NewsStatus.SUBMITTED, None)
    assert new.workshops.get().participation_links.filter(closed_at__isnull=True).count() == 0
    assert new.projection_scenarios.get().status == "failed"
    assert new.surveys.get().open_link_token_hash == ""
    assert not new.portrait.contacts.exists()


def test_the_archive_is_complete_and_readable(workspace, municipality, coordinator):
    data = export_bytes(municipality, exported_by=coordinator)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        payload = json.loads(archive.read("data.json"))
        readme = archive.read("README.txt").decode()
    assert "data.json" in names and "README.txt" in names
    files = [name for name in names if name.startswith("files/")]
    assert len(files) == 7  # logo, document, photo + thumbnail, attachment, portrait image, news image
    assert sorted(entry["path"] for entry in payload["files"]) == sorted(files)
    assert payload["format"] == "daks-workspace" and payload["schema_version"] == exporter.SCHEMA_VERSION
    assert payload["source"]["municipality"] == municipality.pk
    assert payload["counts"]["plans.Measure"] == 1
    assert set(payload["excluded"]) == set(registry.EXCLUDED)

    measure = payload["models"]["plans.Measure"]["objects"][0]
    assert measure["id"] == workspace["measure"].pk
    assert measure["plan"] == workspace["plan"].pk
    assert measure["goals"] == [workspace["goal"].pk]
    assert measure["responsible_person"] == workspace["contributor"].pk
    assert measure["budget_own"] == "1500.50"
    assert payload["models"]["plans.Measure"]["fields"]["plan"] == "ForeignKey → plans.Plan"
    tool_link = payload["models"]["toolbox.MeasureTool"]["objects"][0]
    assert tool_link["tool"] == {"ref": {"slug": "zukunftswerkstatt-methode"}}
    comment = payload["models"]["comments.Comment"]["objects"][0]
    assert comment["content_type"] == {"ref": {"app_label": "plans", "model": "measure"}}

    # people only by name and e-mail address; no secrets
    people = {person["id"]: person for person in payload["people"]}
    assert set(people[workspace["contributor"].pk]) == {"id", "name", "email"}
    text = json.dumps(payload)
    assert "token_hash" not in text and "password" not in text
    assert workspace["contributor"].password not in text
    assert "Beschluss" in text and "Wohnberatung" in text

    # the README (German) explains contents and format
    assert "data.json" in readme and "files/" in readme and "schema_version" in readme
    assert "api.ApiToken" in readme


def test_the_demo_workspace_survives_the_round_trip(db):
    call_command("seed_demo", stdout=StringIO())
    town = Municipality.objects.get(slug="beispielstadt")
    coordinator = User.objects.get(email="koordination@beispielstadt.example")
    tools = list(Tool.objects.filter(origin_municipality=town).values_list("pk", flat=True))
    snapshot, result, activity_count, _data = _round_trip(town, coordinator, tools=tools)
    for label, spec in registry.INCLUDED.items():
        if spec.mode == registry.GENERIC:
            assert result.counts[label] == snapshot.count(label), label
    assert compare(snapshot, result.ids, coordinator.pk) == result.object_count
    assert activity.process_entries(result.municipality.processes.get()).count() == activity_count
    assert result.skipped == {}


@pytest.mark.parametrize("kind", ["tool", "news", "municipality"])
def test_slug_conflicts_are_resolved(workspace, municipality, coordinator, kind):
    data = export_bytes(municipality)
    municipality.official_key = ""
    municipality.kind = "quartier"
    municipality.save()  # the source stays: its addresses are taken
    result = importer.import_workspace(user=coordinator, fileobj=io.BytesIO(data))
    new = result.municipality
    if kind == "municipality":
        assert (new.slug, municipality.slug) == ("musterstadt-2", "musterstadt")
    elif kind == "tool":
        assert Tool.objects.get(origin_municipality=new).slug == "seniorenlotsen-2"
    else:
        assert new.news_items.get().slug == "neue-beratung-2"


def test_references_missing_in_the_target_instance_are_dropped_or_skipped(workspace, municipality, coordinator):
    data = export_bytes(municipality)
    wipe_instance(keep=coordinator, tools=[workspace["own_tool"].pk, workspace["editorial_tool"].pk])
    result = importer.import_workspace(user=coordinator, fileobj=io.BytesIO(data))
    # the link of a measure to a tool this instance does not have is left out; everything else is imported
    assert result.skipped == {"toolbox.MeasureTool": 1}
    new_tool = Tool.objects.get(origin_municipality=result.municipality)
    assert not new_tool.related.exists()
    assert result.municipality.measure_tools.get().tool == new_tool


def test_the_importing_person_keeps_their_authorship(workspace, municipality, coordinator):
    data = export_bytes(municipality)
    wipe_instance(keep=coordinator, tools=[workspace["own_tool"].pk])
    result = importer.import_workspace(user=coordinator, fileobj=io.BytesIO(data))
    new = result.municipality
    assert new.processes.get().created_by == coordinator
    assert list(new.processes.get().coordinators.all()) == [coordinator]
    assert new.comments.get().author is None  # written by the contributor, who stayed behind
    assert list(new.comments.get().mentioned.all()) == [coordinator]
    assert result.people_not_linked >= 2
