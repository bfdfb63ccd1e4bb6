"""A Kommune's own projection scenarios: services, background computation, status, views, tenancy."""

import pytest
from django.urls import reverse

from daks.core.models import AuditLogEntry
from daks.demography import pipeline
from daks.demography.models import Level, Projection, ProjectionScenario
from daks.demography.pipeline import compute_all, compute_scenario
from daks.demography.scenarios import scenario_create, scenario_delete, scenario_update
from daks.demography.tasks import compute_scenario_task

from .factories import RegionFactory
from .test_pipeline import KREIS, build_synthetic

pytestmark = pytest.mark.django_db

GEMEINDE = "09999002"
Status = ProjectionScenario.Status

#: German translations of the service messages (the lead adds them to the catalogue; until then the English
#: source text is shown, so the tests accept both).
GERMAN = {
    "Please enter a name.": "Bitte geben Sie einen Namen ein.",
    "The fertility factor must be between 0.5 and 1.5.": "Der Geburtenfaktor muss zwischen 0,5 und 1,5 liegen.",
    "The gain in life expectancy must be between −2 and +6 years.": (
        "Der Zugewinn an Lebenserwartung muss zwischen −2 und +6 Jahren liegen."
    ),
    "The migration factor must be between −1 and 3.": "Der Wanderungsfaktor muss zwischen −1 und 3 liegen.",
    "A scenario with this name already exists.": "Eine Variante mit diesem Namen gibt es bereits.",
    "For own scenarios the municipality needs an official key for which data is available.": (
        "Für eigene Varianten braucht die Kommune einen amtlichen Schlüssel, zu dem Daten vorliegen."
    ),
}


def german(message, msgid):
    return message in (GERMAN[msgid], msgid)


VALUES = {"fertility_factor": 1.2, "life_expectancy_shift": 3.0, "migration_factor": 2.0}


@pytest.fixture
def synthetic(municipality):
    build_synthetic()
    compute_all()  # the presets (the own scenario is compared with the medium one)
    municipality.official_key = GEMEINDE
    municipality.save()
    return municipality


def create(municipality, actor, django_capture_on_commit_callbacks, name="Neubaugebiet", **values):
    with django_capture_on_commit_callbacks(execute=True):
        return scenario_create(actor=actor, municipality=municipality, name=name, **{**VALUES, **values})


def url(name, municipality, **kwargs):
    return reverse(f"own_data:{name}", kwargs={"municipality_slug": municipality.slug, **kwargs})


# --- services ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "msgid"),
    [
        ({"name": "  "}, "name", "Please enter a name."),
        ({"fertility_factor": 0.4}, "fertility_factor", "The fertility factor must be between 0.5 and 1.5."),
        ({"fertility_factor": 1.51}, "fertility_factor", "The fertility factor must be between 0.5 and 1.5."),
        ({"fertility_factor": "abc"}, "fertility_factor", "The fertility factor must be between 0.5 and 1.5."),
        ({"fertility_factor": float("nan")}, "fertility_factor", "The fertility factor must be between 0.5 and 1.5."),
        (
            {"life_expectancy_shift": -2.5},
            "life_expectancy_shift",
            "The gain in life expectancy must be between −2 and +6 years.",
        ),
        (
            {"life_expectancy_shift": 6.5},
            "life_expectancy_shift",
            "The gain in life expectancy must be between −2 and +6 years.",
        ),
        ({"migration_factor": -1.1}, "migration_factor", "The migration factor must be between −1 and 3."),
        ({"migration_factor": 3.5}, "migration_factor", "The migration factor must be between −1 and 3."),
        ({"name": "mittlere variante"}, "name", "A scenario with this name already exists."),
    ],
)
def test_invalid_values_are_rejected_and_nothing_is_written(
    synthetic, coordinator, django_capture_on_commit_callbacks, values, field, msgid
):
    from daks.core.errors import DomainError

    before = (ProjectionScenario.objects.count(), Projection.objects.count(), AuditLogEntry.objects.count())
    with pytest.raises(DomainError) as info:
        create(synthetic, coordinator, django_capture_on_commit_callbacks, **values)
    assert info.value.field == field
    assert german(info.value.message, msgid)
    assert (ProjectionScenario.objects.count(), Projection.objects.count(), AuditLogEntry.objects.count()) == before


@pytest.mark.parametrize("key", ["", "08111000"])
def test_kommune_needs_an_official_key_with_a_region(municipality, coordinator, key):
    from daks.core.errors import DomainError

    municipality.official_key = key
    municipality.save()
    with pytest.raises(DomainError) as info:
        scenario_create(actor=coordinator, municipality=municipality, name="Eigene", **VALUES)
    assert german(
        info.value.message, "For own scenarios the municipality needs an official key for which data is available."
    )
    assert not ProjectionScenario.objects.filter(municipality=municipality).exists()


def test_create_computes_the_scenario_for_the_kommunes_regions_only(
    synthetic, coordinator, django_capture_on_commit_callbacks
):
    scenario = create(synthetic, coordinator, django_capture_on_commit_callbacks)
    scenario.refresh_from_db()
    assert scenario.code == "neubaugebiet" and scenario.created_by == coordinator
    assert scenario.status == Status.DONE and scenario.progress == "" and scenario.error == ""
    assert scenario.computed_at is not None
    own = Projection.objects.filter(scenario=scenario)
    assert sorted(own.values_list("region_key", flat=True)) == [KREIS, GEMEINDE]  # the Land "09" has no data
    medium = Projection.objects.get(scenario__code="medium", scenario__municipality=None, region_key=GEMEINDE)
    mine = own.get(region_key=GEMEINDE)
    assert (mine.base_year, mine.horizon_year) == (medium.base_year, medium.horizon_year)
    assert mine.totals[0] == pytest.approx(medium.totals[0])
    assert mine.totals[-1] > medium.totals[-1]  # more births, longer lives, twice the (positive) net migration
    entry = AuditLogEntry.objects.get(action="demography.scenario.created")
    assert entry.municipality == synthetic and entry.data["migration_factor"] == 2.0


def test_compute_scenario_matches_the_own_scenario_path_of_compute_all(
    synthetic, coordinator, django_capture_on_commit_callbacks
):
    scenario = create(synthetic, coordinator, django_capture_on_commit_callbacks)
    alone = {p.region_key: p.totals for p in scenario.projections.all()}
    compute_all()
    together = {p.region_key: p.totals for p in scenario.projections.all()}
    assert alone.keys() == together.keys()
    for key, totals in alone.items():
        assert totals == pytest.approx(together[key], rel=1e-5)


def test_progress_steps_and_their_labels(synthetic):
    scenario = ProjectionScenario.objects.create(municipality=synthetic, code="x", name="X", migration_factor=2)
    steps = []
    assert compute_scenario(scenario, progress=steps.append) == 2
    assert tuple(steps) == pipeline.SCENARIO_STEPS == tuple(ProjectionScenario.Step.values)


def test_update_recomputes_only_when_assumptions_change(synthetic, coordinator, django_capture_on_commit_callbacks):
    scenario = create(synthetic, coordinator, django_capture_on_commit_callbacks)
    first = Projection.objects.get(scenario=scenario, region_key=GEMEINDE).totals
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        scenario_update(
            actor=coordinator, municipality=synthetic, scenario=scenario, name="Neubaugebiet Nord", **VALUES
        )
    assert callbacks == []  # nothing to recompute
    scenario.refresh_from_db()
    assert scenario.code == "neubaugebiet-nord" and scenario.status == Status.DONE
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        scenario_update(
            actor=coordinator,
            municipality=synthetic,
            scenario=scenario,
            name="Neubaugebiet Nord",
            **{**VALUES, "migration_factor": 0.0},
        )
    assert len(callbacks) == 1
    scenario.refresh_from_db()
    assert scenario.status == Status.DONE
    assert Projection.objects.get(scenario=scenario, region_key=GEMEINDE).totals[-1] < first[-1]
    assert AuditLogEntry.objects.filter(action="demography.scenario.updated").count() == 2


def test_codes_are_unique_per_kommune(synthetic, coordinator, django_capture_on_commit_callbacks):
    a = create(synthetic, coordinator, django_capture_on_commit_callbacks, name="Zuzug!")
    b = create(synthetic, coordinator, django_capture_on_commit_callbacks, name="Zuzug?")
    assert (a.code, b.code) == ("zuzug", "zuzug-2")


def test_delete_removes_the_projections(synthetic, coordinator, django_capture_on_commit_callbacks):
    scenario = create(synthetic, coordinator, django_capture_on_commit_callbacks)
    scenario_delete(actor=coordinator, municipality=synthetic, scenario=scenario)
    assert not Projection.objects.filter(scenario_id=scenario.pk).exists()
    assert AuditLogEntry.objects.filter(action="demography.scenario.deleted").exists()


def test_other_kommunes_and_presets_cannot_be_changed(synthetic, other_municipality, coordinator):
    from daks.core.errors import DomainError

    medium = ProjectionScenario.objects.get(code="medium", municipality=None)
    with pytest.raises(DomainError):
        scenario_delete(actor=coordinator, municipality=synthetic, scenario=medium)
    theirs = ProjectionScenario.objects.create(municipality=other_municipality, code="x", name="X")
    with pytest.raises(DomainError):
        scenario_update(actor=coordinator, municipality=synthetic, scenario=theirs, name="Y", **VALUES)


def test_task_fails_with_a_german_text_when_no_region_has_data(synthetic):
    RegionFactory(level=Level.GEMEINDE, key="08111000", name="Stuttgart")
    synthetic.official_key = "08111000"
    synthetic.save()
    scenario = ProjectionScenario.objects.create(municipality=synthetic, code="x", name="X", status=Status.QUEUED)
    assert compute_scenario_task.call(scenario.pk) == 0
    scenario.refresh_from_db()
    assert scenario.status == Status.FAILED
    assert scenario.error.startswith("Für das Gebiet der Kommune") or scenario.error.startswith("There are no")
    assert not scenario.projections.exists()


def test_task_for_a_deleted_scenario_does_nothing(db):
    assert compute_scenario_task.call(123456) == 0


def test_a_stale_computation_does_not_overwrite_newer_assumptions(synthetic):
    scenario = ProjectionScenario.objects.create(municipality=synthetic, code="x", name="X", migration_factor=2)

    def change(step):
        if step == "store":
            ProjectionScenario.objects.filter(pk=scenario.pk).update(migration_factor=0.5)

    with pytest.raises(pipeline.ScenarioChanged):
        compute_scenario(scenario, progress=change)
    assert not scenario.projections.exists()


# --- views ---------------------------------------------------------------------------------------------------


def test_list_shows_presets_and_the_comparison_chart(synthetic, coordinator, login, django_capture_on_commit_callbacks):
    scenario = create(synthetic, coordinator, django_capture_on_commit_callbacks)
    response = login(coordinator).get(url("scenarios", synthetic), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    for preset in ("Niedrige Variante", "Mittlere Variante", "Hohe Variante"):
        assert preset in html
    assert f'id="scenario-{scenario.pk}"' in html
    assert f'id="chart-scenario-{scenario.pk}-title"' in html and 'role="img"' in html
    assert '<th scope="row">Gemeinde 2</th>' in html and "Landkreis Beispiel" in html  # region summary table
    assert 'hx-trigger="every 2s"' not in html  # done: no polling
    assert url("scenario_edit", synthetic, pk=scenario.pk) in html
    assert 'style="' not in html and "<script>" not in html


def test_list_for_a_reader_has_no_edit_links(synthetic, reader, login):
    ProjectionScenario.objects.create(municipality=synthetic, code="x", name="Eigene X", status=Status.QUEUED)
    html = login(reader).get(url("scenarios", synthetic)).content.decode()
    assert "Eigene X" in html and url("scenario_create", synthetic) not in html
    assert 'hx-trigger="every 2s"' in html and 'role="status"' in html


def test_create_view_saves_and_redirects(synthetic, contributor, login, django_capture_on_commit_callbacks):
    client = login(contributor)
    assert client.get(url("scenario_create", synthetic)).status_code == 200
    data = {"name": "Mehr Zuzug", "description": "", "fertility_factor": "1", "life_expectancy_shift": "2"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("scenario_create", synthetic), {**data, "migration_factor": "1.5"})
    scenario = ProjectionScenario.objects.get(municipality=synthetic, name="Mehr Zuzug")
    assert response.status_code == 302 and response["Location"].endswith(f"#scenario-{scenario.pk}")
    scenario.refresh_from_db()
    assert scenario.status == Status.DONE and scenario.projections.count() == 2


def test_create_view_shows_the_service_message_at_the_field(synthetic, contributor, login):
    data = {"name": "X", "fertility_factor": "2", "life_expectancy_shift": "2", "migration_factor": "1"}
    response = login(contributor).post(url("scenario_create", synthetic), data, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response.context["form"].errors["fertility_factor"]
    assert not ProjectionScenario.objects.filter(municipality=synthetic).exists()


def test_edit_and_delete_views(synthetic, coordinator, login, django_capture_on_commit_callbacks):
    scenario = create(synthetic, coordinator, django_capture_on_commit_callbacks)
    client = login(coordinator)
    assert client.get(url("scenario_edit", synthetic, pk=scenario.pk)).status_code == 200
    data = {"name": "Umbenannt", "description": "Text", **{k: str(v) for k, v in VALUES.items()}}
    response = client.post(url("scenario_edit", synthetic, pk=scenario.pk), data)
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.name == "Umbenannt" and scenario.description == "Text"
    response = client.post(url("scenario_delete", synthetic, pk=scenario.pk))
    assert response.status_code == 302
    assert not ProjectionScenario.objects.filter(pk=scenario.pk).exists()


def test_status_fragment_polls_only_while_pending(synthetic, reader, login):
    scenario = ProjectionScenario.objects.create(municipality=synthetic, code="x", name="X", status=Status.RUNNING)
    ProjectionScenario.objects.filter(pk=scenario.pk).update(progress="project")
    client = login(reader)
    status_url = url("scenario_status", synthetic, pk=scenario.pk)
    response = client.get(status_url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'hx-trigger="every 2s"' in html and 'value="3" max="4"' in html
    assert client.get(status_url, {"seen": "running-project"}, HTTP_HX_REQUEST="true").status_code == 204
    ProjectionScenario.objects.filter(pk=scenario.pk).update(status=Status.DONE, progress="")
    html = client.get(status_url, {"seen": "running-project"}, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html and f"#scenario-{scenario.pk}" in html
    without_js = client.get(status_url)
    assert without_js.status_code == 302 and without_js["Location"].endswith(f"#scenario-{scenario.pk}")


def _all_urls(municipality, pk):
    return [
        ("get", url("scenarios", municipality)),
        ("get", url("scenario_create", municipality)),
        ("get", url("scenario_edit", municipality, pk=pk)),
        ("post", url("scenario_delete", municipality, pk=pk)),
        ("get", url("scenario_status", municipality, pk=pk)),
    ]


def test_outsiders_and_anonymous_users_get_404(synthetic, outsider, client, login):
    scenario = ProjectionScenario.objects.create(municipality=synthetic, code="x", name="X")
    for method, address in _all_urls(synthetic, scenario.pk):
        assert getattr(client, method)(address).status_code == 404, address
    client = login(outsider)
    for method, address in _all_urls(synthetic, scenario.pk):
        assert getattr(client, method)(address).status_code == 404, address
    # the outsider's own Kommune does not reach the scenario either
    for method, address in _all_urls(outsider.memberships.get().municipality, scenario.pk)[2:]:
        assert getattr(client, method)(address, HTTP_HX_REQUEST="true").status_code == 404, address
    assert ProjectionScenario.objects.filter(pk=scenario.pk).exists()


def test_readers_may_look_but_not_change(synthetic, reader, login):
    scenario = ProjectionScenario.objects.create(municipality=synthetic, code="x", name="X")
    client = login(reader)
    assert client.get(url("scenarios", synthetic)).status_code == 200
    assert client.get(url("scenario_status", synthetic, pk=scenario.pk), HTTP_HX_REQUEST="true").status_code == 200
    assert client.get(url("scenario_create", synthetic)).status_code == 403
    assert client.post(url("scenario_create", synthetic), {"name": "Y"}).status_code == 403
    assert client.get(url("scenario_edit", synthetic, pk=scenario.pk)).status_code == 403
    assert client.post(url("scenario_delete", synthetic, pk=scenario.pk)).status_code == 403
    assert ProjectionScenario.objects.filter(pk=scenario.pk, name="X").exists()


def test_region_page_never_shows_own_scenarios(synthetic, coordinator, client, django_capture_on_commit_callbacks):
    create(synthetic, coordinator, django_capture_on_commit_callbacks, name="Geheime Variante")
    for key in (GEMEINDE, KREIS):
        html = client.get(reverse("demography:region", args=[key])).content.decode()
        assert "Mittlere Variante" in html
        assert "Geheime Variante" not in html
        csv = client.get(reverse("demography:region_csv", args=[key, "vorausberechnung"])).content.decode()
        assert "Geheime Variante" not in csv


def test_own_data_page_links_to_the_scenarios(synthetic, reader, login):
    html = login(reader).get(url("list", synthetic)).content.decode()
    assert url("scenarios", synthetic) in html
