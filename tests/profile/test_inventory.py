import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.profile import selectors, services
from daks.profile.models import InventoryItem, InventoryKind, InventoryStatus

from .factories import TINY_PDF, InventoryItemFactory, docx_bytes, plain_zip_bytes

pytestmark = pytest.mark.django_db

# Kommune, session, user, membership (×2: access check, navigation), process, entries, notifications badge,
# fields of action (filter): none of them per row.
LIST_QUERIES = 9


def stored_files(settings) -> list[str]:
    return [
        os.path.join(path, name)
        for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
        for path, _dirs, names in os.walk(root)
        for name in names
    ]


def pdf(name="Konzept.pdf", content=TINY_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def entry_data(**extra):
    return {"title": "Seniorenbüro", "kind": "facility", "status": "running", "owner": "Sozialamt", **extra}


# --- Roles --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "contributor", "advisor"])
def test_editors_create_with_document(request, role, login, urls, process, settings):
    client = login(request.getfixturevalue(role))
    assert client.get(urls("inventory_create")).status_code == 200
    response = client.post(
        urls("inventory_create"), entry_data(document=pdf("../Konzept Senioren.pdf"), start_year=2020, end_year=2024)
    )
    item = InventoryItem.objects.get()
    assert response.status_code == 302 and response["Location"] == urls("inventory_detail", item_pk=item.pk)
    assert (item.title, item.kind, item.start_year, item.end_year) == ("Seniorenbüro", "facility", 2020, 2024)
    assert item.document_name == "Konzept_Senioren.pdf" and item.document_type == "application/pdf"
    # stored under an unguessable name below the Kommune, not under the client's name
    assert item.document.name.startswith(f"inventory/{process.municipality_id}/")
    assert "Konzept" not in item.document.name
    assert [Path(path).read_bytes() for path in stored_files(settings)] == [TINY_PDF]
    entry = AuditLogEntry.objects.get(action="profile.inventory.created")
    assert entry.data["process"] == process.pk
    content = client.get(urls("inventory")).content.decode()
    assert "Seniorenbüro" in content and "2020–2024" in content


def test_reader_reads_and_downloads_but_cannot_write(reader, coordinator, login, urls, process):
    item = services.inventory_item_create(
        actor=coordinator, municipality=process.municipality, process=process, title="Tafel", document=pdf()
    )
    client = login(reader)
    assert client.get(urls("inventory")).status_code == 200
    detail = client.get(urls("inventory_detail", item_pk=item.pk)).content.decode()
    assert "Tafel" in detail and urls("inventory_edit", item_pk=item.pk) not in detail
    assert client.get(urls("inventory_document", item_pk=item.pk)).status_code == 200
    assert client.get(urls("inventory_create")).status_code == 403
    assert client.post(urls("inventory_create"), entry_data()).status_code == 403
    assert client.post(urls("inventory_edit", item_pk=item.pk), entry_data(title="X")).status_code == 403
    assert client.post(urls("inventory_delete", item_pk=item.pk)).status_code == 403
    item.refresh_from_db()
    assert InventoryItem.objects.count() == 1 and item.title == "Tafel"


def test_outsider_and_anonymous_get_404(outsider, coordinator, login, client, urls, process):
    item = services.inventory_item_create(
        actor=coordinator, municipality=process.municipality, process=process, title="Tafel", document=pdf()
    )
    for name in ("inventory_detail", "inventory_document", "inventory_edit"):
        assert client.get(urls(name, item_pk=item.pk)).status_code == 404
    assert client.get(urls("inventory")).status_code == 404
    client = login(outsider)
    assert client.get(urls("inventory")).status_code == 404
    for name in ("inventory_detail", "inventory_document", "inventory_edit"):
        assert client.get(urls(name, item_pk=item.pk)).status_code == 404
    assert client.post(urls("inventory_delete", item_pk=item.pk)).status_code == 404
    assert InventoryItem.objects.exists()


def test_document_of_another_municipality_is_404(coordinator, outsider, login, urls, other_process):
    foreign = services.inventory_item_create(
        actor=outsider,
        municipality=other_process.municipality,
        process=other_process,
        title="Fremd",
        document=pdf(),
    )
    client = login(coordinator)
    # the own Kommune's URL with the other Kommune's entry
    assert client.get(urls("inventory_document", item_pk=foreign.pk)).status_code == 404
    assert client.get(urls("inventory_detail", item_pk=foreign.pk)).status_code == 404
    assert client.post(urls("inventory_delete", item_pk=foreign.pk)).status_code == 404
    # the other Kommune's URL
    from django.urls import reverse

    url = reverse(
        "profile:inventory_document",
        kwargs={
            "municipality_slug": other_process.municipality.slug,
            "pk": other_process.pk,
            "step_slug": "kommunalprofil",
            "item_pk": foreign.pk,
        },
    )
    assert client.get(url).status_code == 404
    assert InventoryItem.objects.filter(pk=foreign.pk).exists()


# --- Documents ----------------------------------------------------------------------------------------------------


def test_download_is_an_attachment_with_nosniff(coordinator, login, urls, process):
    item = services.inventory_item_create(
        actor=coordinator,
        municipality=process.municipality,
        process=process,
        title="Quartierskonzept",
        document=SimpleUploadedFile("Quartier Süd.docx", docx_bytes()),
    )
    client = login(coordinator)
    response = client.get(urls("inventory_document", item_pk=item.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == docx_bytes()
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Quartier_S" in response["Content-Disposition"]
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    # pages never link the file under /media/
    for name in ("inventory", "inventory_detail", "inventory_edit"):
        content = client.get(urls(name, item_pk=item.pk) if name != "inventory" else urls(name)).content.decode()
        assert "/media/" not in content and item.document.name not in content
    entry = InventoryItemFactory(process=process, title="Ohne Datei")
    assert client.get(urls("inventory_document", item_pk=entry.pk)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("bericht.pdf", b"<!DOCTYPE html><html><body>Hallo</body></html>", "disguised"),
        ("bericht.pdf", b"MZ\x90\x00" + b"\x00" * 64, "disguised"),
        ("bericht.docx", plain_zip_bytes(), "disguised"),
        ("programm.exe", TINY_PDF, "type_not_allowed"),
        ("gross.pdf", TINY_PDF + b"x" * 100, "too_large"),
    ],
)
def test_bad_upload_writes_nothing(coordinator, login, urls, process, settings, name, content, code):
    settings.DAKS_DOCUMENT_MAX_BYTES = len(TINY_PDF) + 10
    client = login(coordinator)
    response = client.post(urls("inventory_create"), entry_data(document=SimpleUploadedFile(name, content)))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_document_error"' in html and "Seniorenbüro" in html  # the input is kept
    assert not InventoryItem.objects.exists()
    assert stored_files(settings) == []
    assert not AuditLogEntry.objects.filter(action__startswith="profile.inventory").exists()


def test_bad_upload_message_is_german(coordinator, process, settings):
    from django.utils import translation

    settings.DAKS_DOCUMENT_MAX_BYTES = 10
    with translation.override("de"), pytest.raises(DomainError) as info:
        services.inventory_item_create(
            actor=coordinator, municipality=process.municipality, process=process, title="X", document=pdf()
        )
    assert info.value.field == "document"
    assert info.value.message == translation.gettext(
        "The file is too large (%(size)s). At most %(max)s are allowed."
    ) % {"size": f"{len(TINY_PDF)}\xa0Bytes", "max": "10\xa0Bytes"}
    assert not InventoryItem.objects.exists() and stored_files(settings) == []


def test_replace_and_remove_document(coordinator, login, urls, process, settings, django_capture_on_commit_callbacks):
    item = services.inventory_item_create(
        actor=coordinator, municipality=process.municipality, process=process, title="Plan", document=pdf()
    )
    first = item.document.path
    client = login(coordinator)
    data = entry_data(title="Plan", version=item.version, document=SimpleUploadedFile("neu.docx", docx_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(urls("inventory_edit", item_pk=item.pk), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.document_name == "neu.docx" and not os.path.exists(first)
    assert stored_files(settings) == [item.document.path]
    # a bad replacement keeps the stored document
    data = entry_data(title="Plan 2", version=item.version, document=SimpleUploadedFile("x.pdf", b"<html>"))
    response = client.post(urls("inventory_edit", item_pk=item.pk), data)
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title == "Plan" and item.document_name == "neu.docx" and len(stored_files(settings)) == 1
    # remove it
    data = entry_data(title="Plan", version=item.version, remove_document="on")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(urls("inventory_edit", item_pk=item.pk), data).status_code == 302
    item.refresh_from_db()
    assert not item.document and item.document_name == "" and stored_files(settings) == []


def test_delete_removes_document(coordinator, login, urls, process, settings, django_capture_on_commit_callbacks):
    item = services.inventory_item_create(
        actor=coordinator, municipality=process.municipality, process=process, title="Plan", document=pdf()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(urls("inventory_delete", item_pk=item.pk))
    assert response.status_code == 302 and response["Location"] == urls("inventory")
    assert not InventoryItem.objects.exists() and stored_files(settings) == []


# --- Editing ------------------------------------------------------------------------------------------------------


def test_edit_conflict(coordinator, contributor, login, urls, process):
    item = InventoryItemFactory(process=process, title="Mittagstisch")
    client = login(coordinator)
    assert "Mittagstisch" in client.get(urls("inventory_edit", item_pk=item.pk)).content.decode()
    stale = item.version
    services.inventory_item_update(
        actor=contributor,
        municipality=process.municipality,
        item=item,
        title="Mittagstisch (B)",
        kind=item.kind,
        status=InventoryStatus.COMPLETED,
    )
    data = entry_data(title="Mittagstisch (A)", version=stale)
    response = client.post(urls("inventory_edit", item_pk=item.pk), data)
    content = response.content.decode()
    assert response.status_code == 200 and "Mittagstisch (A)" in content and "Mittagstisch (B)" in content
    item.refresh_from_db()
    assert item.title == "Mittagstisch (B)"
    data["version"] = item.version
    assert client.post(urls("inventory_edit", item_pk=item.pk), data).status_code == 302
    item.refresh_from_db()
    assert item.title == "Mittagstisch (A)" and item.status == "running"


def test_invalid_input_writes_nothing(coordinator, outsider, login, urls, process, other_process):
    foreign_field = services.field_of_action_create(
        actor=outsider, municipality=other_process.municipality, process=other_process, title="Fremd"
    )
    client = login(coordinator)
    for data in (
        entry_data(title=""),
        entry_data(field_of_action=foreign_field.pk),
        entry_data(start_year=2025, end_year=2020),
        entry_data(start_year=1200),
        entry_data(url="javascript:alert(1)"),
        entry_data(kind="erfunden"),
    ):
        response = client.post(urls("inventory_create"), data)
        assert response.status_code == 200 and "field__error" in response.content.decode(), data
    assert not InventoryItem.objects.exists()
    with pytest.raises(DomainError):
        services.inventory_item_create(
            actor=coordinator,
            municipality=process.municipality,
            process=process,
            title="X",
            field_of_action=foreign_field,
        )
    with pytest.raises(DomainError):
        services.inventory_item_create(
            actor=outsider, municipality=other_process.municipality, process=process, title="X"
        )
    assert not InventoryItem.objects.exists()


# --- List, filters, detail ----------------------------------------------------------------------------------------


def test_filters(coordinator, login, urls, process):
    housing = services.field_of_action_create(
        actor=coordinator, municipality=process.municipality, process=process, title="Wohnen"
    )
    InventoryItemFactory(process=process, title="Wohnberatung", field_of_action=housing)
    InventoryItemFactory(process=process, title="Seniorenbüro", kind=InventoryKind.FACILITY)
    InventoryItemFactory(process=process, title="Altes Konzept", kind=InventoryKind.CONCEPT, status="completed")
    client = login(coordinator)

    def titles(query):
        return [item.title for item in client.get(urls("inventory"), query).context["items"]]

    assert titles({}) == ["Altes Konzept", "Seniorenbüro", "Wohnberatung"]
    assert titles({"handlungsfeld": housing.pk}) == ["Wohnberatung"]
    assert titles({"art": "facility"}) == ["Seniorenbüro"]
    assert titles({"status": "completed"}) == ["Altes Konzept"]
    assert titles({"art": "plan"}) == []


def test_detail_shows_citing_swot_items(coordinator, login, urls, process):
    item = InventoryItemFactory(process=process, title="Quartierskonzept Altstadt")
    services.swot_item_create(
        actor=coordinator,
        municipality=process.municipality,
        process=process,
        quadrant="strength",
        text="Belebte Altstadt",
        evidence_inventory=item,
    )
    content = login(coordinator).get(urls("inventory_detail", item_pk=item.pk)).content.decode()
    assert "Belebte Altstadt" in content
    assert selectors.inventory_items(process=process)[0].swot_count == 1


@pytest.mark.parametrize("rows", [1, 5])
def test_list_query_count_pinned(coordinator, login, urls, process, rows, django_assert_num_queries):
    housing = services.field_of_action_create(
        actor=coordinator, municipality=process.municipality, process=process, title="Wohnen"
    )
    for n in range(rows):
        item = InventoryItemFactory(process=process, field_of_action=housing, title=f"Angebot {n}")
        services.swot_item_create(
            actor=coordinator,
            municipality=process.municipality,
            process=process,
            quadrant="strength",
            text=f"Stärke {n}",
            evidence_inventory=item,
        )
    client = login(coordinator)
    client.get(urls("inventory"))  # warm the session
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(urls("inventory"))
    assert len(response.context["items"]) == rows


def test_list_query_count_independent_of_rows(coordinator, login, urls, process):
    client = login(coordinator)
    InventoryItemFactory(process=process)
    client.get(urls("inventory"))
    with CaptureQueriesContext(connection) as few:
        client.get(urls("inventory"))
    for _n in range(6):
        InventoryItemFactory(process=process, document_name="x.pdf")
    with CaptureQueriesContext(connection) as many:
        client.get(urls("inventory"))
    assert len(few) == len(many)


def test_criterion_counts_the_inventory(process, django_assert_num_queries):
    with django_assert_num_queries(2):
        assert selectors.profile_criterion(process) == (0, 3)
    InventoryItemFactory(process=process)
    assert selectors.profile_criterion(process) == (1, 3)


def test_demo_seed_is_idempotent(municipality, process, coordinator):
    from daks.profile.demo import seed_profile_inventory
    from daks.profile.models import Interview, SwotItem
    from tests.strategy.factories import ActorFactory

    ActorFactory(municipality=municipality, name="Seniorenbeirat")
    services.field_of_action_create(actor=coordinator, municipality=municipality, process=process, title="Wohnen")
    add_swot = services.swot_item_create(
        actor=coordinator,
        municipality=municipality,
        process=process,
        quadrant="weakness",
        text="Wenig barrierearmer Wohnraum",
    )
    for _round in range(2):
        seed_profile_inventory(municipality, process, coordinator)
    assert InventoryItem.objects.count() == 5 and Interview.objects.count() == 2
    assert all("(Beispieldaten)" in item.title for item in InventoryItem.objects.all())
    done = Interview.objects.get(status="done")
    assert done.actor.name == "Seniorenbeirat" and len(done.statements) == 3
    swot = SwotItem.objects.get(pk=add_swot.pk)
    assert swot.evidence_inventory.title == "Quartierskonzept Altstadt (Beispieldaten)"
    assert swot.evidence_inventory.field_of_action.title == "Wohnen"
