import pytest
from django.urls import reverse

from daks.profile import selectors, services
from daks.profile.models import ProfileInterpretation

from ..demography.test_region_views import build_region_tree

pytestmark = pytest.mark.django_db


def save_url(urls, section):
    return urls("statistics_save", section=section)


@pytest.fixture
def region_tree(process):
    tree = build_region_tree()
    process.municipality.official_key = tree["gemeinde"].key
    process.municipality.save()
    return tree


def test_statistics_is_the_first_profile_page(login, reader, urls, process):
    from daks.strategy.models import Step
    from daks.strategy.steps import STEPS

    labels = [str(label) for label, _url in STEPS[Step.PROFILE].page_links(process)[1:]]
    assert labels[0] in ("Statistik", "Statistics")
    assert urls("statistics").endswith("/kommunalprofil/statistik/")


def test_region_found_shows_figures_charts_and_provenance(login, reader, urls, process, region_tree):
    response = login(reader).get(urls("statistics"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Adenau, Stadt" in content
    assert response.context["region"] == region_tree["gemeinde"]
    assert response.context["key_figures"] is not None
    assert {"pyramid", "zeitreihe", "vorausberechnung"} <= set(response.context["charts"])
    assert 'id="quellen"' in content and "dl-de/by-2-0" in content
    assert reverse("demography:region_csv", args=["07131001", "pyramid"]) in content
    assert "Deutung" in content or "Interpretation" in content
    # readers see no forms
    assert "statistik/figures/" not in content


def test_process_region_key_wins(login, reader, urls, process, region_tree):
    process.region_key = "07131"
    process.save()
    response = login(reader).get(urls("statistics"))
    assert response.context["region"] == region_tree["kreis"]


def test_landkreis_key_with_000_means_the_kreis(process, region_tree):
    municipality = process.municipality
    municipality.kind = "landkreis"
    municipality.official_key = "07131000"
    municipality.save()
    assert selectors.statistics_key(process) == "07131"
    assert selectors.statistics_region(process) == region_tree["kreis"]


def test_no_region_explains_and_links_own_data(login, reader, urls, process):
    process.municipality.official_key = "09999998"
    process.municipality.save()
    response = login(reader).get(urls("statistics"), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["region"] is None
    assert "09999998" in content
    assert reverse("own_data:list", kwargs={"municipality_slug": process.municipality.slug}) in content
    assert 'id="quellen"' not in content


def test_no_key_explains(login, reader, urls, process):
    process.municipality.official_key = ""
    process.municipality.save()
    response = login(reader).get(urls("statistics"))
    assert response.status_code == 200 and response.context["region"] is None
    assert (
        reverse("own_data:list", kwargs={"municipality_slug": process.municipality.slug}) in response.content.decode()
    )


@pytest.mark.parametrize("role", ["coordinator", "contributor", "advisor"])
def test_editors_save_an_interpretation(request, role, login, urls, process):
    user = request.getfixturevalue(role)
    client = login(user)
    assert 'name="figures-text"' in client.get(urls("statistics")).content.decode()
    response = client.post(save_url(urls, "figures"), {"figures-text": "Wir schrumpfen.", "figures-version": ""})
    assert response.status_code == 302 and response["Location"].endswith("statistik/#kennzahlen")
    item = ProfileInterpretation.objects.get()
    assert (item.section, item.text, item.updated_by, item.municipality) == (
        "figures",
        "Wir schrumpfen.",
        user,
        process.municipality,
    )
    assert "Wir schrumpfen." in client.get(urls("statistics")).content.decode()


def test_stale_version_is_refused_and_both_versions_shown(login, coordinator, contributor, urls, process):
    first = services.interpretation_save(
        actor=coordinator, municipality=process.municipality, process=process, section="projection", text="Alt"
    )
    opened_version = first.version
    services.interpretation_save(
        actor=coordinator,
        municipality=process.municipality,
        process=process,
        section="projection",
        text="Von der Koordination",
        expected_version=opened_version,
    )
    client = login(contributor)
    response = client.post(
        save_url(urls, "projection"),
        {"projection-text": "Meine Deutung", "projection-version": opened_version},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "in der Zwischenzeit" in content or "inzwischen" in content or "meantime" in content
    assert "Meine Deutung" in content and "Von der Koordination" in content
    assert ProfileInterpretation.objects.get().text == "Von der Koordination"
    # the form now carries the stored version: saving again keeps the user's text
    new_version = response.context["sections"]["projection"]["form"]["version"].value()
    response = client.post(
        save_url(urls, "projection"), {"projection-text": "Meine Deutung", "projection-version": new_version}
    )
    assert response.status_code == 302
    assert ProfileInterpretation.objects.get().text == "Meine Deutung"


def test_concurrent_first_save_conflicts(coordinator, contributor, process):
    services.interpretation_save(
        actor=coordinator, municipality=process.municipality, process=process, section="comparison", text="Erste"
    )
    with pytest.raises(services.InterpretationConflict) as error:
        services.interpretation_save(
            actor=contributor,
            municipality=process.municipality,
            process=process,
            section="comparison",
            text="Zweite",
            expected_version="",
        )
    assert error.value.current.text == "Erste"
    assert ProfileInterpretation.objects.get().text == "Erste"


def test_service_refuses_other_municipality(coordinator, process, other_process):
    from daks.core.errors import DomainError

    with pytest.raises(DomainError):
        services.interpretation_save(
            actor=coordinator, municipality=process.municipality, process=other_process, section="figures", text="x"
        )
    with pytest.raises(DomainError):
        services.interpretation_save(
            actor=coordinator, municipality=process.municipality, process=process, section="nope", text="x"
        )
    assert not ProfileInterpretation.objects.exists()


def test_unknown_section_is_404(login, coordinator, urls):
    assert login(coordinator).post(save_url(urls, "nope"), {"nope-text": "x"}).status_code == 404


def test_reader_reads_but_cannot_write(login, reader, urls, process):
    client = login(reader)
    assert client.get(urls("statistics")).status_code == 200
    assert client.post(save_url(urls, "figures"), {"figures-text": "x"}).status_code == 403
    assert not ProfileInterpretation.objects.exists()


def test_outsider_and_anonymous_get_404(login, outsider, client, urls):
    for c in (login(outsider), client):
        assert c.get(urls("statistics")).status_code == 404
        assert c.post(urls("statistics_save", section="figures"), {"figures-text": "x"}).status_code == 404
    assert not ProfileInterpretation.objects.exists()


def test_get_on_save_url_is_not_allowed(login, coordinator, urls):
    assert login(coordinator).get(urls("statistics_save", section="figures")).status_code == 405
