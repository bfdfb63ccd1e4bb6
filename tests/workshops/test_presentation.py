import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from daks.profile.models import FieldOfAction
from daks.workshops import selectors, services
from daks.workshops.models import IdeaStatus, Phase, Vote, VotingScope

from .factories import ClusterFactory, IdeaFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def field(process):
    return FieldOfAction.objects.create(process=process, municipality=process.municipality, title="Mobilität")


@pytest.fixture
def urls(ws_url, workshop):
    return (
        ws_url("workshops:presentation", workshop_pk=workshop.pk),
        ws_url("workshops:presentation_live", workshop_pk=workshop.pk),
    )


def test_page_polls_its_fragment(reader, login, urls):
    page, live = urls
    content = login(reader).get(page).content.decode()
    assert f'hx-get="{live}"' in content and 'hx-trigger="every 5s"' in content
    assert '<noscript><meta http-equiv="refresh"' in content
    assert "presentation.css" in content and "<script>" not in content and 'style="' not in content


def test_shows_only_visible_ideas_of_the_current_phase(reader, login, urls, workshop, field):
    IdeaFactory(workshop=workshop, phase=Phase.CRITIQUE, text="Kritik sichtbar", field_of_action=field)
    IdeaFactory(workshop=workshop, phase=Phase.CRITIQUE, text="Wartet", status=IdeaStatus.PENDING)
    IdeaFactory(workshop=workshop, phase=Phase.CRITIQUE, text="Versteckt", status=IdeaStatus.HIDDEN)
    IdeaFactory(workshop=workshop, phase=Phase.FANTASY, text="Fantasie")
    client = login(reader)
    _page, live = urls
    content = client.get(live).content.decode()
    assert "Kritik sichtbar" in content and "Mobilität" in content
    assert "Wartet" not in content and "Versteckt" not in content and "Fantasie" not in content
    assert "<html" not in content
    services.workshop_update(actor=None, workshop=workshop, current_phase=Phase.FANTASY)
    content = client.get(live).content.decode()
    assert "Fantasie" in content and "Kritik sichtbar" not in content


def test_script_is_escaped(reader, login, urls, workshop):
    IdeaFactory(workshop=workshop, text=SCRIPT, cluster=ClusterFactory(workshop=workshop, title=SCRIPT))
    client = login(reader)
    for url in urls:
        for grouping in ("", "?gruppierung=cluster"):
            content = client.get(url + grouping).content.decode()
            assert SCRIPT not in content
            assert "&lt;script&gt;" in content


def test_group_by_cluster(reader, login, urls, workshop):
    cluster = ClusterFactory(workshop=workshop, title="Verkehr")
    IdeaFactory(workshop=workshop, text="Bus", cluster=cluster)
    IdeaFactory(workshop=workshop, text="Ohne")
    page, live = urls
    content = login(reader).get(page + "?gruppierung=cluster").content.decode()
    assert f'hx-get="{live}?gruppierung=cluster"' in content
    assert content.index("Verkehr") < content.index("Bus") < content.index("Ohne")


def test_ranking_only_while_voting_is_open_with_ties(reader, contributor, coordinator, login, urls, workshop):
    a = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, text="Dorfladen")
    b = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, text="Bürgerbus")
    c = IdeaFactory(workshop=workshop, phase=Phase.REALISATION, text="Mitfahrbank")
    IdeaFactory(workshop=workshop, phase=Phase.CRITIQUE, text="Kritik")
    for idea, n in ((a, 2), (b, 2), (c, 1)):
        for _ in range(n):
            Vote.objects.create(workshop=workshop, idea=idea, user=contributor)
    _page, live = urls
    client = login(reader)
    assert "ws-present__ranking" not in client.get(live).content.decode()
    services.workshop_update(actor=coordinator, workshop=workshop, voting_open=True)
    content = client.get(live).content.decode()
    assert "ws-present__ranking" in content and content.count("ws-present__tie") == 2
    ranking = selectors.vote_ranking(workshop)
    assert [(r.rank, r.idea.text, r.votes, r.tied) for r in ranking] == [
        (1, "Dorfladen", 2, True),
        (1, "Bürgerbus", 2, True),
        (3, "Mitfahrbank", 1, False),
    ]


def test_voting_scopes(contributor, workshop):
    critique = IdeaFactory(workshop=workshop, phase=Phase.CRITIQUE)
    realisation = IdeaFactory(workshop=workshop, phase=Phase.REALISATION)
    IdeaFactory(workshop=workshop, phase=Phase.REALISATION, status=IdeaStatus.HIDDEN)
    assert list(selectors.voting_ideas(workshop)) == [realisation]
    workshop.voting_scope = VotingScope.PER_PHASE
    assert list(selectors.voting_ideas(workshop)) == [critique]
    workshop.voting_scope = VotingScope.ALL
    assert set(selectors.voting_ideas(workshop)) == {critique, realisation}


def _fill(workshop, field, contributor, n):
    clusters = [ClusterFactory(workshop=workshop, phase=Phase.CRITIQUE) for _ in range(2)]
    for index in range(n):
        idea = IdeaFactory(
            workshop=workshop,
            phase=Phase.CRITIQUE if index % 4 else Phase.REALISATION,
            field_of_action=field if index % 2 else None,
            cluster=clusters[index % 2] if index % 4 else None,
        )
        Vote.objects.create(workshop=workshop, idea=idea, user=contributor)


@pytest.mark.parametrize("grouping", ["", "?gruppierung=cluster"])
def test_fragment_query_count_is_constant(reader, contributor, login, urls, workshop, field, grouping):
    workshop.voting_open = True
    workshop.save()
    client = login(reader)
    _page, live = urls
    _fill(workshop, field, contributor, 3)
    client.get(live + grouping)
    with CaptureQueriesContext(connection) as few:
        client.get(live + grouping)
    _fill(workshop, field, contributor, 27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(live + grouping)
    assert response.content.decode().count("ws-present__card") >= 20
    assert len(few) == len(many)


def test_fragment_query_count_pinned(reader, contributor, login, urls, workshop, field, django_assert_num_queries):
    workshop.voting_open = True
    workshop.save()
    _fill(workshop, field, contributor, 30)
    client = login(reader)
    _page, live = urls
    client.get(live)
    # session, user, Kommune, membership (2), process, workshop, ideas, fields of action, ranking
    with django_assert_num_queries(10):
        client.get(live)
