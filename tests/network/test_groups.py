"""Groups of Kommunen (editorial office), the synopsis with exports, the network office view, key figures."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from daks.demography.models import Projection, ProjectionScenario
from daks.network.models import MunicipalityGroup
from daks.strategy.models import StepState, StepStatus, StrategyProcess

from .factories import GroupFactory, PortraitFactory, de, indicator, make_network_editor, public_portrait_with_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(staff_user):
    staff_user.is_superuser = False
    staff_user.save()
    return make_network_editor(staff_user)


def process_at(municipality, done_steps, **fields):
    process = StrategyProcess.objects.create(
        municipality=municipality, title="Strategie", start_date="2026-01-01", **fields
    )
    for step in done_steps:
        StepState.objects.create(process=process, step=step, status=StepStatus.DONE)
    return process


@pytest.fixture
def cohort(db):
    a = public_portrait_with_region(
        name="Alphastadt", key="09100001", population=24_350, cluster_label="wachsend, jung"
    )
    b = public_portrait_with_region(name="Betadorf", key="09100002", population=3_180)
    a.share_stage = True
    a.save()
    indicator("09100001", "median_age", 44.5)
    indicator("09100001", "median_age", 43.0, year=2015)
    indicator("09100001", "change_pct_5y", 2.25)
    indicator("09100002", "median_age", 51.2)
    process_at(a.municipality, ["kickoff", "profile"])
    process_at(b.municipality, ["kickoff"])  # does not share its stage
    return GroupFactory(name="Cluster Süd", slug="cluster-sued", members=[a.municipality, b.municipality])


# --- Editorial office -------------------------------------------------------------------------------------------


def test_editor_creates_group(login, editor, municipality, other_municipality):
    response = login(editor).post(
        reverse("network:group_create"),
        {"name": "Cluster  Nord", "kind": "regional", "description": "Treffen im Herbst", "members": [municipality.pk]},
    )
    group = MunicipalityGroup.objects.get()
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    assert group.name == "Cluster Nord" and group.slug == "cluster-nord" and list(group.members.all()) == [municipality]


@pytest.mark.parametrize("who", ["coordinator", "user"])
def test_others_may_not_manage_groups(login, request, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("network:group_create")).status_code == 403
    assert client.post(reverse("network:group_create"), {"name": "X", "kind": "other"}).status_code == 403
    assert client.get(reverse("network:office")).status_code == 403
    assert not MunicipalityGroup.objects.exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("network:office"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_duplicate_name_is_refused(login, editor):
    GroupFactory(name="Cluster Süd")
    response = login(editor).post(reverse("network:group_create"), {"name": "cluster süd", "kind": "regional"})
    assert response.status_code == 422
    assert de("A group with this name already exists.") in response.content.decode()
    assert MunicipalityGroup.objects.count() == 1


def test_reserved_slug(login, editor):
    login(editor).post(reverse("network:group_create"), {"name": "Neu", "kind": "other"})
    assert MunicipalityGroup.objects.get().slug == "neu-gruppe"


def test_edit_conflict(login, editor):
    group = GroupFactory(name="Kohorte")
    stale = group.version
    group.description = "geändert"
    group.save()
    url = reverse("network:group_edit", kwargs={"slug": group.slug})
    response = login(editor).post(url, {"name": "Kohorte 2", "kind": "cohort", "version": stale})
    assert response.status_code == 422
    assert (
        de("Somebody else has changed the group in the meantime. Please check the current version and save again.")
        in response.content.decode()
    )
    group.refresh_from_db()
    assert group.name == "Kohorte"


def test_delete(login, editor):
    group = GroupFactory()
    client = login(editor)
    assert client.post(reverse("network:group_delete", kwargs={"slug": group.slug})).status_code == 302
    assert not MunicipalityGroup.objects.exists()


# --- Synopsis ---------------------------------------------------------------------------------------------------


def test_group_page_compares_members(client, cohort):
    response = client.get(reverse("network:group", kwargs={"slug": "cluster-sued"}))
    assert response.status_code == 200 and "Set-Cookie" not in response
    columns = {c.municipality.name: c for c in response.context["synopsis"].columns}
    assert columns["Alphastadt"].values["median_age"] == (2023, 44.5)  # newest year wins
    assert columns["Alphastadt"].stage.number == 3  # kickoff and profile done → step 3
    assert columns["Betadorf"].stage is None  # not shared
    html = response.content.decode()
    assert "24.350" in html and "44,5" in html and "+2,3" in html
    assert de("not shared") in html
    assert "wachsend, jung" in html


def test_group_list(client, cohort):
    assert "Cluster Süd" in client.get(reverse("network:groups")).content.decode()


def test_synopsis_csv(client, cohort):
    response = client.get(reverse("network:group_export", kwargs={"slug": "cluster-sued", "format": "csv"}))
    assert response.status_code == 200 and "synopse-cluster-sued.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    alpha = next(row for row in rows if row and row[0] == "Alphastadt")
    assert "44,5" in alpha and "24350" in alpha
    assert "dl-de/by-2-0" in rows[-1][0]


def test_synopsis_xlsx(client, cohort):
    response = client.get(reverse("network:group_export", kwargs={"slug": "cluster-sued", "format": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    alpha = next(row for row in values if row[0] == "Alphastadt")
    assert 24350 in alpha and 44.5 in alpha


def test_unknown_export_format(client, cohort):
    assert (
        client.get(reverse("network:group_export", kwargs={"slug": "cluster-sued", "format": "pdf"})).status_code == 404
    )


def test_synopsis_query_count(client, cohort, django_assert_num_queries):
    url = reverse("network:group", kwargs={"slug": "cluster-sued"})
    client.get(url)
    # 8 for the synopsis, 2 for the group's meetings (upcoming, past)
    with django_assert_num_queries(10):
        client.get(url)
    extra = public_portrait_with_region(name="Gammaheim", key="09100003")
    extra.share_stage = True
    extra.save()
    process_at(extra.municipality, [])
    cohort.members.add(extra.municipality)
    from tests.events.factories import EventFactory

    EventFactory(group=cohort)
    EventFactory(group=cohort, title="Zweites Treffen")
    with django_assert_num_queries(10):
        client.get(url)


# --- Network office ---------------------------------------------------------------------------------------------


def test_office_counts_only_sharing_kommunen(login, editor, cohort):
    shared_without_process = PortraitFactory(share_stage=True, municipality__name="Startdorf")
    response = login(editor).get(reverse("network:office"))
    assert response.status_code == 200
    rows = {stage.number: [m.name for m in municipalities] for stage, municipalities in response.context["rows"]}
    assert rows[3] == ["Alphastadt"] and rows[0] == ["Startdorf"]
    assert "Betadorf" not in response.content.decode()
    assert response.context["total"] == 2
    assert shared_without_process.pk


# --- Key figures on the portrait --------------------------------------------------------------------------------


def test_portrait_shows_key_figures_with_attribution(client, cohort):
    scenario = ProjectionScenario.objects.get(code="medium", municipality__isnull=True)
    Projection.objects.create(
        region_key="09100001", scenario=scenario, base_year=2023, horizon_year=2040, totals=[24_000, 23_000, 22_800]
    )
    alpha = cohort.members.get(name="Alphastadt")
    html = client.get(reverse("network:portrait", kwargs={"municipality_slug": alpha.slug})).content.decode()
    assert "24.350" in html and "44,5" in html
    assert "22.800" in html and "2040" in html  # projection headline
    assert 'href="https://www.govdata.de/dl-de/by-2-0" rel="license' in html
    assert "Cluster Süd" in html
    group_html = client.get(cohort.get_absolute_url()).content.decode()
    assert 'href="https://www.govdata.de/dl-de/by-2-0" rel="license' in group_html
