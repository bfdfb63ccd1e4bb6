import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from daks.profile import services
from daks.profile.models import SUGGESTED_TOPICS, FieldOfAction, SwotItem

pytestmark = pytest.mark.django_db


def add(process, user, text="Aktive Vereine", quadrant="strength"):
    return services.swot_item_create(
        actor=user, municipality=process.municipality, process=process, quadrant=quadrant, text=text
    )


@pytest.mark.parametrize("role", ["coordinator", "contributor", "advisor"])
def test_editors_can_add(request, role, login, urls, process):
    client = login(request.getfixturevalue(role))
    assert client.get(urls("swot")).status_code == 200
    response = client.post(urls("swot_add"), {"quadrant": "weakness", "add-weakness-text": "Leerstand"})
    assert response.status_code == 302 and response["Location"].endswith("#quadrant-weakness")
    assert SwotItem.objects.get().text == "Leerstand"


def test_reader_reads_but_cannot_write(reader, coordinator, login, urls, process):
    item = add(process, coordinator)
    client = login(reader)
    for name in ("swot", "swot_print", "fields"):
        response = client.get(urls(name))
        assert response.status_code == 200
    assert b"swot_add" not in client.get(urls("swot")).content and b"/swot/neu/" not in client.get(urls("swot")).content
    assert client.post(urls("swot_add"), {"quadrant": "weakness", "add-weakness-text": "x"}).status_code == 403
    assert client.post(urls("swot_delete", item_pk=item.pk)).status_code == 403
    assert client.post(urls("field_suggest"), {"topic": SUGGESTED_TOPICS[0]}).status_code == 403
    assert SwotItem.objects.count() == 1 and not FieldOfAction.objects.exists()


def test_outsider_and_anonymous_get_404(outsider, coordinator, login, client, urls, process):
    item = add(process, coordinator)
    assert client.get(urls("swot")).status_code == 404
    client = login(outsider)
    assert client.get(urls("swot")).status_code == 404
    assert client.post(urls("swot_delete", item_pk=item.pk)).status_code == 404
    assert SwotItem.objects.exists()


def test_process_of_other_municipality_404(coordinator, login, other_process, municipality):
    from django.urls import reverse

    url = reverse(
        "profile:swot",
        kwargs={"municipality_slug": municipality.slug, "pk": other_process.pk, "step_slug": "kommunalprofil"},
    )
    assert login(coordinator).get(url).status_code == 404


def test_wrong_step_slug_404(coordinator, login, process):
    from django.urls import reverse

    url = reverse(
        "profile:swot", kwargs={"municipality_slug": "musterstadt", "pk": process.pk, "step_slug": "kick-off"}
    )
    assert login(coordinator).get(url).status_code == 404


def test_htmx_add_returns_quadrant_partial(coordinator, login, urls, process):
    response = login(coordinator).post(
        urls("swot_add"), {"quadrant": "opportunity", "add-opportunity-text": "Neubaugebiet"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section class="swot-quadrant swot-quadrant--opportunity"')
    assert "Neubaugebiet" in content and "<html" not in content


def test_htmx_add_invalid_shows_error(coordinator, login, urls, process):
    response = login(coordinator).post(
        urls("swot_add"), {"quadrant": "opportunity", "add-opportunity-text": ""}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "field__error" in response.content.decode()
    assert not SwotItem.objects.exists()


def test_edit_inline_and_conflict(coordinator, contributor, login, urls, process):
    item = add(process, coordinator)
    client = login(coordinator)
    response = client.get(urls("swot_edit", item_pk=item.pk), HTTP_HX_REQUEST="true")
    assert f'name="edit-{item.pk}-text"' in response.content.decode()
    stale = item.version
    services.swot_item_update(actor=contributor, municipality=process.municipality, item=item, text="Von B")
    data = {f"edit-{item.pk}-text": "Von A", f"edit-{item.pk}-version": stale}
    response = client.post(urls("swot_edit", item_pk=item.pk), data, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "Von A" in content and "Von B" in content
    item.refresh_from_db()
    assert item.text == "Von B"
    # second save with the refreshed version wins (non-JS: redirect)
    data[f"edit-{item.pk}-version"] = item.version
    response = client.post(urls("swot_edit", item_pk=item.pk), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "Von A"


def test_delete_and_move(coordinator, login, urls, process):
    a, b = add(process, coordinator, "a"), add(process, coordinator, "b")
    client = login(coordinator)
    response = client.post(urls("swot_move", item_pk=b.pk), {"direction": "up"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.index(f'id="item-{b.pk}"') < content.index(f'id="item-{a.pk}"')
    assert [i.text for i in SwotItem.objects.order_by("position")] == ["b", "a"]
    assert client.post(urls("swot_move", item_pk=b.pk), {"direction": "down"}).status_code == 302
    assert [i.text for i in SwotItem.objects.order_by("position")] == ["a", "b"]
    response = client.post(urls("swot_delete", item_pk=a.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert client.post(urls("swot_delete", item_pk=b.pk)).status_code == 302
    assert not SwotItem.objects.exists()


def test_print_view(coordinator, login, urls, process):
    add(process, coordinator, "Starke Wirtschaft")
    services.field_of_action_create(
        actor=coordinator, municipality=process.municipality, process=process, title="Wohnen"
    )
    content = login(coordinator).get(urls("swot_print")).content.decode()
    assert "Starke Wirtschaft" in content and "Wohnen" in content and "swot-grid" in content


def test_swot_query_count_constant(coordinator, login, urls, process, django_assert_max_num_queries):
    client = login(coordinator)
    add(process, coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get(urls("swot"))
    for n in range(12):
        add(process, coordinator, f"Eintrag {n}", quadrant=["strength", "weakness", "opportunity", "threat"][n % 4])
    with CaptureQueriesContext(connection) as many:
        client.get(urls("swot"))
    assert len(few) == len(many)
    with django_assert_max_num_queries(12):
        client.get(urls("swot"))


def test_fields_pages(coordinator, login, urls, process):
    item = add(process, coordinator)
    client = login(coordinator)
    assert client.post(urls("field_suggest"), {"topic": "Wohnen"}).status_code == 302
    response = client.post(urls("field_create"), {"title": "Pflege", "swot_items": [item.pk]})
    assert response.status_code == 302
    pflege = FieldOfAction.objects.get(title="Pflege")
    assert list(pflege.swot_items.all()) == [item]
    content = client.get(urls("fields")).content.decode()
    assert content.index("Wohnen</h3>") < content.index("Pflege</h3>")
    assert 'value="Wohnen"' not in content  # suggestion already used
    response = client.post(urls("field_move", field_pk=pflege.pk), {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert 'id="fields-list"' in response.content.decode() and "<html" not in response.content.decode()
    assert FieldOfAction.objects.order_by("priority").first() == pflege
    response = client.get(urls("field_edit", field_pk=pflege.pk))
    assert "checked" in response.content.decode()
    stale = pflege.version
    services.field_of_action_update(
        actor=coordinator, municipality=process.municipality, field=pflege, title="Pflege 2"
    )
    response = client.post(urls("field_edit", field_pk=pflege.pk), {"title": "Pflege 3", "version": stale})
    assert response.status_code == 200 and "Pflege 2" in response.content.decode()
    assert client.post(urls("field_delete", field_pk=pflege.pk)).status_code == 302
    assert FieldOfAction.objects.count() == 1
