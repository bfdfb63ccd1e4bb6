"""Participation links and dot voting on the workspace side: services, roles, tenancy, QR code, results, exports."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.utils import timezone
from openpyxl import load_workbook

from daks.core.errors import DomainError
from daks.core.models import AuditLogEntry
from daks.workshops import participation
from daks.workshops.models import IdeaStatus, ParticipationLink, Phase, Vote, VotingScope

from .factories import IdeaFactory, ParticipantFactory, ParticipationLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _window(opens=-1, closes=3):
    now = timezone.now()
    return now + datetime.timedelta(hours=opens), now + datetime.timedelta(hours=closes)


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


# --- Services -----------------------------------------------------------------------------------------


def test_link_create_stores_only_the_hash_and_can_show_the_token_again(workshop, coordinator):
    opens, closes = _window()
    link, token = participation.link_create(
        actor=coordinator, workshop=workshop, opens_at=opens, closes_at=closes, use_pin=True
    )
    assert len(token) >= 40
    assert link.token_hash == participation.hash_token(token)
    assert token not in link.token_hash and token not in link.pin
    link = ParticipationLink.objects.get(pk=link.pk)
    assert participation.link_token(link) == token
    assert participation.link_url(link).endswith(f"/mitmachen/{token}/")
    assert participation.link_for_token(token) == link
    assert participation.link_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    entry = AuditLogEntry.objects.get(action="workshops.participation_link.created")
    assert entry.data["process"] == workshop.process_id


def test_link_tokens_differ_and_change_with_the_secret_key(workshop, coordinator, settings):
    opens, closes = _window()
    first, token1 = participation.link_create(actor=coordinator, workshop=workshop, opens_at=opens, closes_at=closes)
    _second, token2 = participation.link_create(actor=coordinator, workshop=workshop, opens_at=opens, closes_at=closes)
    assert token1 != token2
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    # The link still works (looked up by its hash) but cannot be displayed any more.
    assert participation.link_for_token(token1) == first
    assert participation.link_token(first) == ""
    assert participation.link_url(first) == ""


@pytest.mark.parametrize(
    ("opens", "closes", "field"),
    [(2, 1, "closes_at"), (-5, -1, "closes_at"), (0, 24 * 70, "closes_at")],
    ids=["end-before-start", "end-in-past", "too-long"],
)
def test_link_create_bad_window_is_refused(workshop, coordinator, opens, closes, field):
    opens_at, closes_at = _window(opens, closes)
    with pytest.raises(DomainError) as error:
        participation.link_create(actor=coordinator, workshop=workshop, opens_at=opens_at, closes_at=closes_at)
    assert error.value.field == field
    assert not ParticipationLink.objects.exists()


def test_link_states(workshop, coordinator):
    now = timezone.now()
    link = ParticipationLinkFactory(workshop=workshop, opens_at=now, closes_at=now + datetime.timedelta(hours=1))
    assert participation.link_state(link, now=now - datetime.timedelta(seconds=1)) == "scheduled"
    assert participation.link_state(link, now=now) == "open"
    assert participation.link_state(link, now=now + datetime.timedelta(hours=1)) == "ended"
    participation.link_close(actor=coordinator, link=link)
    link.refresh_from_db()
    assert participation.link_state(link, now=now) == "closed"
    closed_at = link.closed_at
    participation.link_close(actor=coordinator, link=link)  # idempotent
    link.refresh_from_db()
    assert link.closed_at == closed_at
    assert AuditLogEntry.objects.filter(action="workshops.participation_link.closed").count() == 1


def test_qr_code_is_local_accessible_svg(workshop):
    svg = participation.qr_svg("https://daks.example/mitmachen/abc/", title="QR-Code des Beteiligungslinks")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="qr-title"' in svg
    assert '<title id="qr-title">QR-Code des Beteiligungslinks</title>' in svg
    assert "http" not in svg.split(">", 1)[0].replace("http://www.w3.org/2000/svg", "")


# --- Workspace pages: roles and tenancy ---------------------------------------------------------------


@pytest.fixture
def link_with_token(workshop, coordinator):
    opens, closes = _window()
    return participation.link_create(
        actor=coordinator, workshop=workshop, opens_at=opens, closes_at=closes, use_pin=True
    )


def test_coordinator_creates_a_link_and_sees_url_qr_and_pin(login, coordinator, workshop, ws_url):
    client = login(coordinator)
    opens, closes = _window(0, 4)
    response = client.post(
        ws_url("workshops:participation_links", workshop_pk=workshop.pk),
        {"opens_at": _local(opens), "closes_at": _local(closes), "use_pin": "on", "moderate_ideas": "on"},
    )
    link = ParticipationLink.objects.get()
    assert response.status_code == 302
    assert response["Location"] == ws_url("workshops:participation_link", workshop_pk=workshop.pk, link_pk=link.pk)
    assert link.pin and link.moderate_ideas and link.created_by == coordinator
    html = client.get(response["Location"]).content.decode()
    token = participation.link_token(link)
    assert f"/mitmachen/{token}/" in html
    assert link.pin in html
    assert 'role="img"' in html and "<svg" in html
    present = client.get(
        ws_url("workshops:participation_link_present", workshop_pk=workshop.pk, link_pk=link.pk)
    ).content.decode()
    assert f"/mitmachen/{token}/" in present and link.pin in present


def test_link_form_errors_are_german_and_nothing_is_written(login, coordinator, workshop, ws_url):
    client = login(coordinator)
    opens, closes = _window(2, 1)
    response = client.post(
        ws_url("workshops:participation_links", workshop_pk=workshop.pk),
        {"opens_at": _local(opens), "closes_at": _local(closes)},
    )
    assert response.status_code == 400
    assert "Das Ende muss nach dem Beginn liegen" in response.content.decode() or "end must be after" in (
        response.content.decode()
    )
    assert not ParticipationLink.objects.exists()


def test_close_link_from_the_workspace(login, coordinator, workshop, ws_url, link_with_token):
    link, token = link_with_token
    client = login(coordinator)
    response = client.post(ws_url("workshops:participation_link_close", workshop_pk=workshop.pk, link_pk=link.pk))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.closed_at is not None
    assert client.get(f"/mitmachen/{token}/").status_code == 410


def test_contributor_may_create_reader_only_sees_the_list(
    login, contributor, reader, workshop, ws_url, link_with_token
):
    link, token = link_with_token
    list_url = ws_url("workshops:participation_links", workshop_pk=workshop.pk)
    detail_url = ws_url("workshops:participation_link", workshop_pk=workshop.pk, link_pk=link.pk)
    close_url = ws_url("workshops:participation_link_close", workshop_pk=workshop.pk, link_pk=link.pk)
    client = login(reader)
    page = client.get(list_url)
    assert page.status_code == 200
    assert token not in page.content.decode() and 'id="link-form"' not in page.content.decode()
    assert client.get(detail_url).status_code == 403
    opens, closes = _window(0, 2)
    assert client.post(list_url, {"opens_at": _local(opens), "closes_at": _local(closes)}).status_code == 403
    assert client.post(close_url).status_code == 403
    assert ParticipationLink.objects.count() == 1
    client = login(contributor)
    assert client.get(detail_url).status_code == 200
    assert client.post(list_url, {"opens_at": _local(opens), "closes_at": _local(closes)}).status_code == 302
    assert ParticipationLink.objects.count() == 2


def _all_urls(ws_url, workshop, link, idea):
    kwargs = {"workshop_pk": workshop.pk}
    return [
        ("get", ws_url("workshops:participation_links", **kwargs)),
        ("get", ws_url("workshops:participation_link", link_pk=link.pk, **kwargs)),
        ("get", ws_url("workshops:participation_link_present", link_pk=link.pk, **kwargs)),
        ("post", ws_url("workshops:participation_link_close", link_pk=link.pk, **kwargs)),
        ("get", ws_url("workshops:voting", **kwargs)),
        ("post", ws_url("workshops:voting_toggle", **kwargs)),
        ("post", ws_url("workshops:member_vote_add", idea_pk=idea.pk, **kwargs)),
        ("post", ws_url("workshops:member_vote_remove", idea_pk=idea.pk, **kwargs)),
        ("get", ws_url("workshops:vote_results_fragment", **kwargs)),
        ("get", ws_url("workshops:vote_results_export", fmt="csv", **kwargs)),
    ]


def test_outsiders_get_404_and_anonymous_users_too(client, login, outsider, workshop, ws_url, link_with_token):
    link, _token = link_with_token
    idea = IdeaFactory(workshop=workshop, phase=Phase.REALISATION)
    urls = _all_urls(ws_url, workshop, link, idea)
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    member_client = login(outsider)
    for method, url in urls:
        assert getattr(member_client, method)(url).status_code == 404, url
    link.refresh_from_db()
    assert link.closed_at is None and not Vote.objects.exists()


def test_workshop_of_another_kommune_is_404_through_own_kommune(login, coordinator, other_workshop, ws_url):
    client = login(coordinator)
    assert client.get(ws_url("workshops:participation_links", workshop_pk=other_workshop.pk)).status_code == 404
    assert client.get(ws_url("workshops:voting", workshop_pk=other_workshop.pk)).status_code == 404


def test_link_of_another_workshop_is_404(login, coordinator, workshop, process, ws_url):
    from .factories import WorkshopFactory

    sibling = WorkshopFactory(process=process)
    link = ParticipationLinkFactory(workshop=sibling)
    client = login(coordinator)
    url = ws_url("workshops:participation_link", workshop_pk=workshop.pk, link_pk=link.pk)
    assert client.get(url).status_code == 404


def test_wrong_step_slug_is_404(login, coordinator, workshop, process):
    client = login(coordinator)
    base = f"/kommunen/{process.municipality.slug}/prozesse/{process.pk}"
    url = f"{base}/kommunalprofil/werkstaetten/{workshop.pk}/abstimmung/"
    assert client.get(url).status_code == 404


def test_links_list_query_count_is_constant(login, coordinator, workshop, ws_url, django_assert_max_num_queries):
    client = login(coordinator)
    url = ws_url("workshops:participation_links", workshop_pk=workshop.pk)
    link = ParticipationLinkFactory(workshop=workshop)
    ParticipantFactory(link=link)
    client.get(url)
    with django_assert_max_num_queries(30) as queries:
        client.get(url)
    for _index in range(5):
        ParticipantFactory(link=ParticipationLinkFactory(workshop=workshop))
    with django_assert_max_num_queries(len(queries.captured_queries)):
        client.get(url)


# --- Voting from the workspace ------------------------------------------------------------------------


@pytest.fixture
def voting_workshop(workshop):
    workshop.voting_open = True
    workshop.votes_per_participant = 2
    workshop.voting_scope = VotingScope.REALISATION
    workshop.save()
    return workshop


def test_coordinator_opens_and_closes_voting(login, coordinator, workshop, ws_url):
    client = login(coordinator)
    url = ws_url("workshops:voting_toggle", workshop_pk=workshop.pk)
    assert client.post(url, {"voting_open": "1", "version": workshop.version}).status_code == 302
    workshop.refresh_from_db()
    assert workshop.voting_open
    client.post(url, {"voting_open": "0", "version": workshop.version})
    workshop.refresh_from_db()
    assert not workshop.voting_open


def test_voting_toggle_with_stale_version_changes_nothing(login, coordinator, workshop, ws_url):
    client = login(coordinator)
    url = ws_url("workshops:voting_toggle", workshop_pk=workshop.pk)
    response = client.post(url, {"voting_open": "1", "version": "2000-01-01T00:00:00+00:00"}, follow=True)
    workshop.refresh_from_db()
    assert not workshop.voting_open
    assert response.status_code == 200


def test_reader_cannot_toggle_or_vote(login, reader, voting_workshop, ws_url):
    idea = IdeaFactory(workshop=voting_workshop, phase=Phase.REALISATION)
    client = login(reader)
    assert client.get(ws_url("workshops:voting", workshop_pk=voting_workshop.pk)).status_code == 200
    assert client.post(ws_url("workshops:voting_toggle", workshop_pk=voting_workshop.pk)).status_code == 403
    url = ws_url("workshops:member_vote_add", workshop_pk=voting_workshop.pk, idea_pk=idea.pk)
    assert client.post(url).status_code == 403
    assert not Vote.objects.exists()


def test_member_votes_within_budget_with_german_refusal(login, contributor, voting_workshop, ws_url):
    idea = IdeaFactory(workshop=voting_workshop, phase=Phase.REALISATION, text="Dorfladen")
    client = login(contributor)
    add = ws_url("workshops:member_vote_add", workshop_pk=voting_workshop.pk, idea_pk=idea.pk)
    client.post(add)
    client.post(add)
    response = client.post(add, follow=True)
    assert "alle Ihre Punkte" in response.content.decode() or "all your points" in response.content.decode()
    assert Vote.objects.filter(user=contributor).count() == 2
    client.post(ws_url("workshops:member_vote_remove", workshop_pk=voting_workshop.pk, idea_pk=idea.pk))
    assert Vote.objects.filter(user=contributor).count() == 1
    page = client.get(ws_url("workshops:voting", workshop_pk=voting_workshop.pk)).content.decode()
    assert "Dorfladen" in page and 'id="vote-results"' in page


def test_results_fragment_polls_while_voting_is_open(login, reader, voting_workshop, ws_url):
    IdeaFactory(workshop=voting_workshop, phase=Phase.REALISATION, text="Bürgerbus")
    client = login(reader)
    url = ws_url("workshops:vote_results_fragment", workshop_pk=voting_workshop.pk)
    response = client.get(url, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 5s"' in html
    assert "Bürgerbus" in html and "<caption>" in html and 'role="img"' in html
    voting_workshop.voting_open = False
    voting_workshop.save()
    assert "hx-trigger" not in client.get(url).content.decode()


def test_results_fragment_shows_ties(login, coordinator, voting_workshop, ws_url):
    a = IdeaFactory(workshop=voting_workshop, phase=Phase.REALISATION, text="Idee A")
    b = IdeaFactory(workshop=voting_workshop, phase=Phase.REALISATION, text="Idee B")
    link = ParticipationLinkFactory(workshop=voting_workshop)
    participation.vote_add(idea=a, participant=ParticipantFactory(link=link))
    participation.vote_add(idea=b, participant=ParticipantFactory(link=link))
    html = login(coordinator).get(ws_url("workshops:vote_results_fragment", workshop_pk=voting_workshop.pk))
    text = html.content.decode()
    assert text.count("(gleichauf)") + text.count("(tied)") == 2


def test_exports_csv_and_xlsx(login, reader, voting_workshop, ws_url):
    idea = IdeaFactory(workshop=voting_workshop, phase=Phase.REALISATION, text='=HYPERLINK("x")')
    IdeaFactory(workshop=voting_workshop, phase=Phase.REALISATION, text="Grünes Dorfzentrum")
    IdeaFactory(workshop=voting_workshop, phase=Phase.REALISATION, text="versteckt", status=IdeaStatus.HIDDEN)
    link = ParticipationLinkFactory(workshop=voting_workshop)
    participation.vote_add(idea=idea, participant=ParticipantFactory(link=link))
    client = login(reader)
    response = client.get(ws_url("workshops:vote_results_export", workshop_pk=voting_workshop.pk, fmt="csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    assert rows[1][0] == "1" and rows[1][2].startswith("'=") and rows[1][5] == "1"
    assert rows[2][2] == "Grünes Dorfzentrum" and rows[2][5] == "0"
    response = client.get(ws_url("workshops:vote_results_export", workshop_pk=voting_workshop.pk, fmt="xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[2][0] == 1 and values[2][5] == 1
    assert values[3][2] == "Grünes Dorfzentrum"
    assert (
        client.get(ws_url("workshops:vote_results_export", workshop_pk=voting_workshop.pk, fmt="pdf")).status_code
        == 404
    )


def test_export_of_one_phase(login, reader, voting_workshop, ws_url):
    voting_workshop.voting_scope = VotingScope.ALL
    voting_workshop.save()
    IdeaFactory(workshop=voting_workshop, phase=Phase.CRITIQUE, text="Kritik")
    IdeaFactory(workshop=voting_workshop, phase=Phase.FANTASY, text="Fantasie")
    client = login(reader)
    url = ws_url("workshops:vote_results_export", workshop_pk=voting_workshop.pk, fmt="csv")
    text = client.get(url + "?phase=critique").content.decode("utf-8-sig")
    assert "Kritik" in text and "Fantasie" not in text
    text = client.get(url).content.decode("utf-8-sig")
    assert "Kritik" in text and "Fantasie" in text
