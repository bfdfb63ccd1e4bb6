import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from daks.core.tenancy import municipality_view


@municipality_view("municipalities.manage_team")
def team_only_view(request):
    return HttpResponse(request.municipality.name)


def call(user, slug):
    request = RequestFactory().get("/")
    request.user = user
    return team_only_view(request, municipality_slug=slug)


def test_member_with_permission_gets_the_municipality(coordinator, municipality):
    assert call(coordinator, municipality.slug).content.decode() == municipality.name


def test_member_without_permission_gets_403(reader, municipality):
    with pytest.raises(PermissionDenied):
        call(reader, municipality.slug)


def test_non_member_gets_404_even_with_rights_elsewhere(outsider, municipality):
    with pytest.raises(Http404):
        call(outsider, municipality.slug)


def test_anonymous_gets_404(municipality):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        call(AnonymousUser(), municipality.slug)


def test_unknown_slug_gets_404(coordinator):
    with pytest.raises(Http404):
        call(coordinator, "no-such-kommune")
