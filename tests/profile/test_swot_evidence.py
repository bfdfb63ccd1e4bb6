import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from daks.core.errors import DomainError
from daks.profile import selectors, services
from daks.profile.models import SwotItem

from .factories import InterviewFactory, InventoryItemFactory

pytestmark = pytest.mark.django_db

# Kommune, session, user, membership ×2, process, SWOT entries with their evidence, notifications badge,
# inventory entries and interviews offered as evidence: none of them per row.
BOARD_QUERIES = 11  # incl. one query for the comment counts of all entries


def add(process, user, text="Aktive Vereine", quadrant="strength", **evidence):
    return services.swot_item_create(
        actor=user, municipality=process.municipality, process=process, quadrant=quadrant, text=text, **evidence
    )


def test_indicator_choices_are_the_key_figures():
    codes = [code for code, _label in selectors.evidence_indicators()]
    assert "share_65_plus" in codes and "net_migration_per_1000" in codes and len(codes) == len(set(codes))


def test_add_with_evidence_on_the_board(coordinator, login, urls, process):
    item = InventoryItemFactory(process=process, title="Quartierskonzept Altstadt")
    interview = InterviewFactory(process=process, interviewee="Seniorenbeirat")
    client = login(coordinator)
    board = client.get(urls("swot")).content.decode()
    assert 'name="add-weakness-evidence_inventory"' in board and "Quartierskonzept Altstadt" in board
    response = client.post(
        urls("swot_add"),
        {
            "quadrant": "weakness",
            "add-weakness-text": "Wenig barrierearmer Wohnraum",
            "add-weakness-evidence_indicator": "share_65_plus",
            "add-weakness-evidence_inventory": item.pk,
            "add-weakness-evidence_interview": interview.pk,
        },
    )
    assert response.status_code == 302
    swot = SwotItem.objects.get()
    assert (swot.evidence_indicator, swot.evidence_inventory, swot.evidence_interview) == (
        "share_65_plus",
        item,
        interview,
    )
    board = client.get(urls("swot")).content.decode()
    assert urls("inventory_detail", item_pk=item.pk) in board
    assert f"{urls('interviews')}#interview-{interview.pk}" in board
    assert f"{urls('statistics')}#kennzahlen" in board
    printed = client.get(urls("swot_print")).content.decode()
    assert "Quartierskonzept Altstadt" in printed and "Seniorenbeirat" in printed
    assert urls("inventory_detail", item_pk=item.pk) not in printed


def test_foreign_or_unknown_evidence_is_a_form_error(coordinator, outsider, login, urls, process, other_process):
    foreign_item = InventoryItemFactory(process=other_process)
    foreign_interview = InterviewFactory(process=other_process)
    client = login(coordinator)
    for extra in (
        {"add-strength-evidence_inventory": foreign_item.pk},
        {"add-strength-evidence_interview": foreign_interview.pk},
        {"add-strength-evidence_indicator": "erfunden"},
        {"add-strength-evidence_inventory": "abc"},
    ):
        data = {"quadrant": "strength", "add-strength-text": "Gute Schulen", **extra}
        response = client.post(urls("swot_add"), data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "field__error" in response.content.decode(), extra
    assert not SwotItem.objects.exists()
    with pytest.raises(DomainError) as info:
        add(process, coordinator, evidence_inventory=foreign_item)
    assert info.value.field == "evidence_inventory"
    with pytest.raises(DomainError):
        add(process, coordinator, evidence_interview=foreign_interview)
    with pytest.raises(DomainError):
        add(process, coordinator, evidence_indicator="erfunden")
    assert not SwotItem.objects.exists()


def test_edit_sets_and_clears_evidence(coordinator, login, urls, process):
    item = InventoryItemFactory(process=process, title="Seniorenbüro im Rathaus")
    swot = add(process, coordinator, "Gute Beratung")
    client = login(coordinator)
    response = client.get(urls("swot_edit", item_pk=swot.pk), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert f'name="edit-{swot.pk}-evidence_inventory"' in content and "<html" not in content
    prefix = f"edit-{swot.pk}"
    data = {
        f"{prefix}-text": "Gute Beratung",
        f"{prefix}-evidence_inventory": item.pk,
        f"{prefix}-version": swot.version,
    }
    response = client.post(urls("swot_edit", item_pk=swot.pk), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Seniorenbüro im Rathaus" in response.content.decode()
    swot.refresh_from_db()
    assert swot.evidence_inventory == item
    # the edit form shows the stored choice
    content = client.get(urls("swot_edit", item_pk=swot.pk), HTTP_HX_REQUEST="true").content.decode()
    assert f'<option value="{item.pk}" selected>' in content
    data = {f"{prefix}-text": "Gute Beratung", f"{prefix}-evidence_inventory": "", f"{prefix}-version": swot.version}
    assert client.post(urls("swot_edit", item_pk=swot.pk), data).status_code == 302
    swot.refresh_from_db()
    assert swot.evidence_inventory is None


def test_deleting_evidence_keeps_the_swot_item(coordinator, process):
    item = InventoryItemFactory(process=process)
    swot = add(process, coordinator, evidence_inventory=item, evidence_indicator="median_age")
    services.inventory_item_delete(actor=coordinator, municipality=process.municipality, item=item)
    swot.refresh_from_db()
    assert swot.evidence_inventory is None and swot.evidence_indicator == "median_age"


@pytest.mark.parametrize("rows", [1, 5])
def test_board_query_count_pinned(coordinator, login, urls, process, rows, django_assert_num_queries):
    for n in range(rows):
        item = InventoryItemFactory(process=process, title=f"Angebot {n}")
        interview = InterviewFactory(process=process)
        quadrant = ["strength", "weakness", "opportunity", "threat"][n % 4]
        add(
            process,
            coordinator,
            f"Eintrag {n}",
            quadrant=quadrant,
            evidence_indicator="median_age",
            evidence_inventory=item,
            evidence_interview=interview,
        )
    client = login(coordinator)
    client.get(urls("swot"))
    with django_assert_num_queries(BOARD_QUERIES):
        response = client.get(urls("swot"))
    assert response.content.decode().count("#kennzahlen") == rows


def test_board_and_print_query_count_independent_of_rows(coordinator, login, urls, process):
    client = login(coordinator)
    add(process, coordinator, evidence_inventory=InventoryItemFactory(process=process))
    counts = []
    for _round in range(2):
        for name in ("swot", "swot_print"):
            client.get(urls(name))
            with CaptureQueriesContext(connection) as queries:
                client.get(urls(name))
            counts.append(len(queries))
        for n in range(4):
            add(process, coordinator, f"Weitere {n}", evidence_interview=InterviewFactory(process=process))
    assert counts[:2] == counts[2:]
