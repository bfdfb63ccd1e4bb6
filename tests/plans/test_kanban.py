import pytest

from daks.core.models import AuditLogEntry
from daks.plans.models import MeasureStatus

from .factories import FieldOfActionFactory, MeasureFactory


@pytest.fixture
def measure(plan):
    field = FieldOfActionFactory(process=plan.process, priority=1)
    return MeasureFactory(plan=plan, field_of_action=field, title="Seniorentreff", status=MeasureStatus.PLANNED)


def _column(content, status):
    start = content.index(f'id="column-{status}"')
    end = content.find("</section>", start)
    return content[start:end]


def test_board_has_a_column_per_status_and_labelled_move_controls(coordinator, login, plan_url, measure):
    content = login(coordinator).get(plan_url("plans:kanban")).content.decode()
    for status in MeasureStatus.values:
        assert f'id="column-{status}"' in content
    assert "Seniorentreff" in _column(content, "planned")
    assert f'<label class="visually-hidden" for="move-{measure.pk}">' in content
    assert f'name="version" value="{measure.version}"' in content


@pytest.mark.parametrize("role", ["coordinator", "contributor"])
def test_htmx_move_returns_board_with_focus_marker(request, role, login, plan_url, measure):
    response = login(request.getfixturevalue(role)).post(
        plan_url("plans:measure_status", measure_pk=measure.pk),
        {"status": "in_progress", "version": measure.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="kanban"')
    assert "Seniorentreff" in _column(content, "in_progress")
    assert "Seniorentreff" not in _column(content, "planned")
    assert f'data-focus-key="card-{measure.pk}"' in content
    assert f'data-key="card-{measure.pk}"' in content
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_PROGRESS
    assert AuditLogEntry.objects.get(action="plans.measure.status_changed").data["measure"] == measure.pk


def test_move_without_javascript_redirects_to_the_card(coordinator, login, plan_url, measure):
    response = login(coordinator).post(
        plan_url("plans:measure_status", measure_pk=measure.pk), {"status": "done", "version": measure.version}
    )
    assert response.status_code == 302
    assert response.url == plan_url("plans:kanban") + f"#card-{measure.pk}"
    measure.refresh_from_db()
    assert (measure.status, measure.progress) == (MeasureStatus.DONE, 100)


def test_stale_card_is_refused(coordinator, contributor, login, plan_url, measure):
    stale = measure.version
    login(contributor).post(
        plan_url("plans:measure_status", measure_pk=measure.pk), {"status": "paused", "version": stale}
    )
    response = login(coordinator).post(
        plan_url("plans:measure_status", measure_pk=measure.pk),
        {"status": "dropped", "version": stale},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert 'role="alert"' in content
    assert "Seniorentreff" in _column(content, "paused")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PAUSED


def test_invalid_status_and_roles(reader, outsider, login, client, plan_url, measure):
    url = plan_url("plans:measure_status", measure_pk=measure.pk)
    assert login(reader).post(url, {"status": "done"}).status_code == 403
    assert login(outsider).post(url, {"status": "done"}).status_code == 404
    client.logout()
    assert client.post(url, {"status": "done"}).status_code == 404
    from tests.factories import MembershipFactory

    editor = MembershipFactory(municipality=measure.municipality, role="coordination").user
    assert login(editor).post(url, {"status": "finished"}).status_code == 400
    assert login(editor).get(url).status_code == 405
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED
