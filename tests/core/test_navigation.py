"""The editorial pages are reachable from the main navigation (the "Redaktion" menu), only for staff with the
respective permission."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NETWORK_PAGES = [
    "network:office",
    "news:editorial_index",
    "newsletter:editorial_index",
    "network_surveys:office",
]


def nav_of(client) -> str:
    html = client.get(reverse("toolbox:search")).content.decode()
    start = html.index('class="site-nav"')
    return html[start : html.index("</nav>", start)]


def test_network_editor_sees_the_editorial_pages(login):
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Netzwerk-Redaktion"))
    nav = nav_of(login(editor))
    assert "<summary>" in nav
    for name in NETWORK_PAGES:
        assert f'href="{reverse(name)}"' in nav, name
    assert reverse("toolbox_editorial:index") not in nav  # no toolbox editorial role


def test_superuser_sees_every_editorial_page(login, staff_user):
    nav = nav_of(login(staff_user))
    for name in [*NETWORK_PAGES, "toolbox_editorial:index", "admin:index"]:
        assert reverse(name) in nav, name


def test_members_and_visitors_see_no_editorial_pages(client, login, coordinator):
    staff_without_role = UserFactory(is_staff=True)
    for session in (client, login(coordinator)):
        nav = nav_of(session)
        assert "<summary>" not in nav
        for name in NETWORK_PAGES:
            assert f'href="{reverse(name)}"' not in nav, name
    nav = nav_of(login(staff_without_role))
    assert "<summary>" not in nav and reverse("admin:index") in nav
    for name in NETWORK_PAGES:
        assert f'href="{reverse(name)}"' not in nav, name
