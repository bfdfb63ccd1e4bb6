"""News submitted by a Kommune: tenancy (only own Kommunen), every role, moderation status shown to the Kommune."""

import pytest
from django.urls import reverse

from daks.core.errors import DomainError
from daks.news import services
from daks.news.models import NewsItem, NewsStatus

from .factories import NewsItemFactory

pytestmark = pytest.mark.django_db

DATA = {"title": "Generationentreff eröffnet", "teaser": "Ein Treffpunkt für Jung und Alt.", "kind": "news"}


def _submit_url(municipality):
    return reverse("news:submit", kwargs={"municipality_slug": municipality.slug})


@pytest.mark.parametrize("role", ["coordinator", "contributor", "advisor"])
def test_editing_members_submit_news_of_their_kommune(request, client, login, municipality, role):
    person = request.getfixturevalue(role)
    page = login(person).get(_submit_url(municipality))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    response = login(person).post(_submit_url(municipality), DATA)
    assert response.status_code == 302
    assert response.url == reverse("news:submissions", kwargs={"municipality_slug": municipality.slug})
    item = NewsItem.objects.get()
    assert (item.status, item.municipality, item.author) == (NewsStatus.SUBMITTED, municipality, person)
    assert item.published_at is None
    client.logout()
    assert client.get(item.get_absolute_url()).status_code == 404  # not public before moderation


def test_reader_may_not_submit(login, reader, municipality):
    client = login(reader)
    assert client.get(_submit_url(municipality)).status_code == 403
    assert client.post(_submit_url(municipality), DATA).status_code == 403
    assert not NewsItem.objects.exists()


def test_outsider_and_anonymous_get_404(client, login, outsider, municipality):
    assert client.post(_submit_url(municipality), DATA).status_code == 404
    assert login(outsider).post(_submit_url(municipality), DATA).status_code == 404
    assert (
        login(outsider).get(reverse("news:submissions", kwargs={"municipality_slug": municipality.slug})).status_code
        == 404
    )
    assert not NewsItem.objects.exists()


def test_service_refuses_other_kommunen(outsider, municipality):
    with pytest.raises(DomainError):
        services.news_submit(actor=outsider, municipality=municipality, **DATA)
    assert not NewsItem.objects.exists()


def test_submit_link_with_kommune_parameter(client, login, contributor, municipality, other_municipality):
    response = login(contributor).get(reverse("news:submit_choose"), {"kommune": municipality.slug})
    assert response.status_code == 302 and response.url == _submit_url(municipality)
    page = client.get(reverse("news:submit_choose")).content.decode()
    assert municipality.name in page and other_municipality.name not in page


def test_submissions_page_shows_status_and_note(login, reader, contributor, municipality, other_municipality):
    NewsItemFactory(title="Abgelehnt", municipality=municipality, author=contributor, status=NewsStatus.REJECTED,
                    review_note="Bitte mit Datum.", published_at=None)  # fmt: skip
    NewsItemFactory(title="Veröffentlicht", municipality=municipality, author=contributor)
    NewsItemFactory(title="Fremde Meldung", municipality=other_municipality)
    response = login(reader).get(reverse("news:submissions", kwargs={"municipality_slug": municipality.slug}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Abgelehnt" in content and "Bitte mit Datum." in content and "Veröffentlicht" in content
    assert "Fremde Meldung" not in content
    assert reverse("news:submit", kwargs={"municipality_slug": municipality.slug}) not in content  # reader
