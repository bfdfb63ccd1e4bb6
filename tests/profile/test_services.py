import pytest

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.profile import selectors, services
from daks.profile.models import SUGGESTED_TOPICS, FieldOfAction, Quadrant, SwotItem
from daks.strategy.models import Step
from daks.strategy.steps import STEPS

pytestmark = pytest.mark.django_db


def add(process, coordinator, quadrant="strength", text="Aktive Vereine"):
    return services.swot_item_create(
        actor=coordinator, municipality=process.municipality, process=process, quadrant=quadrant, text=text
    )


def test_create_positions_and_audit(process, coordinator):
    first = add(process, coordinator)
    second = add(process, coordinator, text="Gute Schulen")
    other = add(process, coordinator, quadrant="threat", text="Ärztemangel")
    assert (first.position, second.position, other.position) == (1, 2, 1)
    assert first.author == coordinator and first.municipality == process.municipality
    assert AuditLogEntry.objects.filter(action="profile.swot.created").count() == 3


def test_create_validates(process, coordinator):
    with pytest.raises(DomainError) as error:
        add(process, coordinator, text="  ")
    assert error.value.field == "text"
    with pytest.raises(DomainError):
        add(process, coordinator, quadrant="nonsense")
    assert not SwotItem.objects.exists()


def test_tenancy_mismatch(process, coordinator, other_municipality, other_process, outsider):
    with pytest.raises(DomainError):
        services.swot_item_create(
            actor=outsider, municipality=other_municipality, process=process, quadrant="strength", text="x"
        )
    item = add(process, coordinator)
    with pytest.raises(DomainError):
        services.swot_item_delete(actor=outsider, municipality=other_municipality, item=item)
    with pytest.raises(DomainError):
        services.field_of_action_create(
            actor=coordinator, municipality=process.municipality, process=other_process, title="Wohnen"
        )
    foreign = services.swot_item_create(
        actor=outsider, municipality=other_municipality, process=other_process, quadrant="strength", text="y"
    )
    with pytest.raises(DomainError):
        services.field_of_action_create(
            actor=coordinator, municipality=process.municipality, process=process, title="Wohnen", swot_items=[foreign]
        )
    assert SwotItem.objects.filter(process=process).count() == 1


def test_update_conflict_keeps_other_version(process, coordinator, contributor):
    item = add(process, coordinator)
    version = item.version
    services.swot_item_update(
        actor=contributor, municipality=process.municipality, item=item, text="Neu A", expected_version=version
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.swot_item_update(
            actor=coordinator, municipality=process.municipality, item=item, text="Neu B", expected_version=version
        )
    assert conflict.value.current.text == "Neu A"
    item.refresh_from_db()
    assert item.text == "Neu A"


def test_move(process, coordinator):
    a, _b, c = (add(process, coordinator, text=t) for t in "abc")
    assert services.swot_item_move(actor=coordinator, municipality=process.municipality, item=c, direction="up")
    assert [i.text for i in selectors.swot_quadrant(process=process, quadrant="strength")] == ["a", "c", "b"]
    assert not services.swot_item_move(actor=coordinator, municipality=process.municipality, item=a, direction="up")
    version = a.version
    a.refresh_from_db()
    assert a.version == version  # reordering does not count as an edit


def test_fields_of_action(process, coordinator):
    item = add(process, coordinator)
    housing = services.field_of_action_create(
        actor=coordinator, municipality=process.municipality, process=process, title="Wohnen", swot_items=[item]
    )
    topic = services.field_of_action_from_suggestion(
        actor=coordinator, municipality=process.municipality, process=process, topic=SUGGESTED_TOPICS[0]
    )
    assert (housing.priority, topic.priority) == (1, 2)
    assert list(housing.swot_items.all()) == [item]
    with pytest.raises(DomainError):
        services.field_of_action_create(
            actor=coordinator, municipality=process.municipality, process=process, title="wohnen"
        )
    with pytest.raises(DomainError):
        services.field_of_action_from_suggestion(
            actor=coordinator, municipality=process.municipality, process=process, topic="Erfunden"
        )
    services.field_of_action_move(actor=coordinator, municipality=process.municipality, field=topic, direction="up")
    assert [f.title for f in selectors.fields_of_action(process=process)] == [SUGGESTED_TOPICS[0], "Wohnen"]
    version = housing.version
    services.field_of_action_update(
        actor=coordinator, municipality=process.municipality, field=housing, title="Wohnen im Alter", swot_items=[]
    )
    with pytest.raises(services.EditConflict):
        services.field_of_action_update(
            actor=coordinator, municipality=process.municipality, field=housing, title="X", expected_version=version
        )
    services.field_of_action_delete(actor=coordinator, municipality=process.municipality, field=housing)
    assert FieldOfAction.objects.count() == 1


def test_criterion_progress(process, coordinator):
    definition = STEPS[Step.PROFILE]
    assert selectors.profile_criterion(process) == (0, 3)
    done, total = definition.progress(process)
    for quadrant in Quadrant.values[:3]:
        add(process, coordinator, quadrant=quadrant)
    assert selectors.profile_criterion(process) == (0, 3)
    add(process, coordinator, quadrant="threat")
    assert selectors.profile_criterion(process) == (1, 3)
    services.field_of_action_create(actor=coordinator, municipality=process.municipality, process=process, title="W")
    assert selectors.profile_criterion(process) == (2, 3)
    assert definition.progress(process) == (done + 2, total)


def test_pages_registered(process):
    labels = [str(label) for label, _url in STEPS[Step.PROFILE].page_links(process)]
    assert "SWOT" in labels and len(labels) >= 6
    names = [url_name for _label, url_name in STEPS[Step.PROFILE].pages]
    assert {"profile:swot", "profile:inventory", "profile:interviews"} <= set(names)
    assert labels[1] in ("Statistik", "Statistics")  # the first page after the guidance
