"""Public participation pages /mitmachen/<token>/: lifecycle, PIN, ideas, honeypot, rate limits, cookie, +1."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from daks.profile.models import FieldOfAction
from daks.workshops import participation
from daks.workshops.models import Idea, IdeaStatus, Participant, Phase, Support

from .factories import IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def make_link(workshop, actor, *, pin=False, moderate=False, opens=-1, closes=3):
    now = timezone.now()
    return participation.link_create(
        actor=actor,
        workshop=workshop,
        opens_at=now + datetime.timedelta(hours=opens),
        closes_at=now + datetime.timedelta(hours=closes),
        use_pin=pin,
        moderate_ideas=moderate,
    )


@pytest.fixture
def open_link(workshop, coordinator):
    return make_link(workshop, coordinator)


def url(token, suffix=""):
    return f"/mitmachen/{token}/{suffix}"


def joined(client, token, pin=""):
    response = client.post(url(token, "teilnehmen/"), {"pin": pin} if pin else {})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


# --- Lifecycle ----------------------------------------------------------------------------------------


def test_unknown_token_is_404(client):
    assert client.get(url("no-such-token-abcdefghijklmnop")).status_code == 404
    assert client.post(url("no-such-token-abcdefghijklmnop", "teilnehmen/")).status_code == 404


def test_open_link_shows_privacy_notice_and_join_form_without_writing(client, open_link):
    _link, token = open_link
    response = client.get(url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Datenschutz" in html or "Privacy" in html
    assert "IP" in html
    assert 'action="/mitmachen/' in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert Participant.objects.count() == 0


@pytest.mark.parametrize(
    ("opens", "closes", "status"),
    [(1, 3, 403), (-3, -1, 410)],
    ids=["before-start", "after-end"],
)
def test_link_outside_its_window_refuses_everything(client, workshop, coordinator, opens, closes, status):
    now = timezone.now()
    link, token = make_link(workshop, coordinator, opens=-1, closes=3)
    # Move the window afterwards (the service refuses an end in the past).
    link.opens_at = now + datetime.timedelta(hours=opens)
    link.closes_at = now + datetime.timedelta(hours=closes)
    link.save()
    idea = IdeaFactory(workshop=workshop)
    assert client.get(url(token)).status_code == status
    assert client.post(url(token, "teilnehmen/")).status_code == status
    assert client.post(url(token, "ideen/neu/"), {"text": "Neue Idee"}).status_code == status
    assert client.post(url(token, f"ideen/{idea.pk}/punkt/")).status_code == status
    assert Participant.objects.count() == 0
    assert Idea.objects.count() == 1


def test_closed_link_refuses_a_participant_with_cookie(client, workshop, coordinator, open_link):
    link, token = open_link
    workshop.voting_open = True
    workshop.save()
    idea = IdeaFactory(workshop=workshop, phase=Phase.REALISATION)
    joined(client, token)
    participation.link_close(actor=coordinator, link=link)
    response = client.get(url(token))
    assert response.status_code == 410
    assert "geschlossen" in response.content.decode() or "closed" in response.content.decode()
    assert client.post(url(token, "ideen/neu/"), {"text": "Zu spät"}).status_code == 410
    assert client.post(url(token, f"ideen/{idea.pk}/punkt/")).status_code == 410
    assert client.post(url(token, f"ideen/{idea.pk}/unterstuetzen/")).status_code == 410
    assert Idea.objects.count() == 1
    assert not idea.votes.exists()
    assert not Support.objects.exists()


# --- Joining, PIN, cookie -----------------------------------------------------------------------------


def test_join_sets_a_signed_httponly_lax_cookie_scoped_to_the_link(client, open_link):
    link, token = open_link
    response = client.post(url(token, "teilnehmen/"))
    assert response.status_code == 302
    cookie = response.cookies[participation.COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == f"/mitmachen/{token}/"
    assert int(cookie["max-age"]) > 3600
    participant = Participant.objects.get()
    assert participant.link == link
    # Only the hash is stored, the cookie value is signed.
    raw = cookie.value.split(":")[0]
    assert participant.token_hash == participation.hash_token(raw)
    assert raw not in participant.token_hash


def test_tampered_cookie_is_not_a_participant(client, open_link):
    _link, token = open_link
    joined(client, token)
    client.cookies[participation.COOKIE_NAME] = "forged:value"
    response = client.post(url(token, "ideen/neu/"), {"text": "Idee"})
    assert response.status_code == 403
    assert Idea.objects.count() == 0


def test_pin_required_and_checked(client, workshop, coordinator):
    link, token = make_link(workshop, coordinator, pin=True)
    assert 4 <= len(link.pin) <= 6 and link.pin.isdigit()
    response = client.get(url(token))
    assert 'name="pin"' in response.content.decode()
    response = client.post(url(token, "teilnehmen/"), {"pin": ""})
    assert response.status_code == 400
    wrong = "0" * len(link.pin) if link.pin != "0" * len(link.pin) else "1" * len(link.pin)
    response = client.post(url(token, "teilnehmen/"), {"pin": wrong})
    assert response.status_code == 400
    assert "PIN ist nicht richtig" in response.content.decode() or "PIN is not correct" in response.content.decode()
    assert Participant.objects.count() == 0
    joined(client, token, pin=link.pin)
    assert Participant.objects.count() == 1


def test_too_many_wrong_pins_are_refused_even_with_the_right_one(client, workshop, coordinator, settings):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"pin_ip": (3, 600)}
    link, token = make_link(workshop, coordinator, pin=True)
    wrong = "9" * 7
    for _attempt in range(3):
        assert client.post(url(token, "teilnehmen/"), {"pin": wrong}).status_code == 400
    response = client.post(url(token, "teilnehmen/"), {"pin": link.pin})
    assert response.status_code == 429
    assert Participant.objects.count() == 0


# --- Ideas --------------------------------------------------------------------------------------------


def test_idea_in_current_phase_with_field_and_name(client, workshop, open_link):
    _link, token = open_link
    workshop.current_phase = Phase.FANTASY
    workshop.save()
    field = FieldOfAction.objects.create(
        process=workshop.process, municipality=workshop.municipality, title="Wohnen im Alter", priority=1
    )
    joined(client, token)
    response = client.post(
        url(token, "ideen/neu/"), {"text": "Ein Dorfladen mit Café", "field_of_action": field.pk, "author_name": "Ute"}
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert (idea.phase, idea.field_of_action, idea.author_name, idea.status) == (
        Phase.FANTASY,
        field,
        "Ute",
        IdeaStatus.VISIBLE,
    )
    assert idea.participant == Participant.objects.get()
    assert idea.author is None
    page = client.get(url(token)).content.decode()
    assert "Ein Dorfladen mit Café" in page and "Ute" in page


def test_idea_anonymous_by_default(client, open_link):
    _link, token = open_link
    joined(client, token)
    client.post(url(token, "ideen/neu/"), {"text": "Bänke am Marktplatz"})
    assert Idea.objects.get().author_name == ""


def test_idea_of_another_process_field_is_refused(client, workshop, other_process, open_link):
    _link, token = open_link
    FieldOfAction.objects.create(process=workshop.process, municipality=workshop.municipality, title="Eigen")
    foreign = FieldOfAction.objects.create(
        process=other_process, municipality=other_process.municipality, title="Fremd", priority=1
    )
    joined(client, token)
    response = client.post(url(token, "ideen/neu/"), {"text": "Idee", "field_of_action": foreign.pk})
    assert response.status_code == 400
    assert Idea.objects.count() == 0


def test_empty_or_overlong_idea_is_refused(client, open_link):
    _link, token = open_link
    joined(client, token)
    assert client.post(url(token, "ideen/neu/"), {"text": "   "}).status_code == 400
    assert client.post(url(token, "ideen/neu/"), {"text": "x" * 1001}).status_code == 400
    assert Idea.objects.count() == 0


def test_script_in_idea_text_is_escaped(client, open_link):
    _link, token = open_link
    joined(client, token)
    client.post(url(token, "ideen/neu/"), {"text": '<script>alert("x")</script>', "author_name": "<b>Bob</b>"})
    html = client.get(url(token)).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<b>Bob</b>" not in html


def test_honeypot_filled_writes_nothing(client, open_link):
    _link, token = open_link
    joined(client, token)
    response = client.post(url(token, "ideen/neu/"), {"text": "Kaufen Sie jetzt!", "homepage": "http://spam.example"})
    assert response.status_code == 400
    assert "leer" in response.content.decode() or "empty" in response.content.decode()
    assert Idea.objects.count() == 0


def test_honeypot_is_hidden_from_people_but_labelled(client, open_link):
    _link, token = open_link
    joined(client, token)
    html = client.get(url(token)).content.decode()
    field = html[html.index('name="homepage"') - 300 : html.index('name="homepage"') + 120]
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field
    before = html[: html.index('name="homepage"')]
    assert before.rindex('<div class="visually-hidden">') > before.rindex("<form")
    assert "Bitte leer lassen" in html or "Please leave empty" in html


def test_rate_limit_per_participant_answers_429(client, open_link, settings):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"idea_participant": (3, 600)}
    _link, token = open_link
    joined(client, token)
    for number in range(3):
        assert client.post(url(token, "ideen/neu/"), {"text": f"Idee {number}"}).status_code == 302
    response = client.post(url(token, "ideen/neu/"), {"text": "Noch eine"})
    assert response.status_code == 429
    assert "Zu viele" in response.content.decode() or "Too many" in response.content.decode()
    assert Idea.objects.count() == 3


def test_rate_limit_per_address_spans_participants(client, open_link, settings, django_user_model):
    settings.DAKS_PARTICIPATION_RATE_LIMITS = {"idea_ip": (2, 60)}
    _link, token = open_link
    joined(client, token)
    client.post(url(token, "ideen/neu/"), {"text": "Eins"})
    client.cookies.clear()
    joined(client, token)
    client.post(url(token, "ideen/neu/"), {"text": "Zwei"})
    assert client.post(url(token, "ideen/neu/"), {"text": "Drei"}).status_code == 429
    assert Idea.objects.count() == 2


def test_moderated_idea_hidden_from_public_until_approved(client, workshop, coordinator):
    _link, token = make_link(workshop, coordinator, moderate=True)
    joined(client, token)
    response = client.post(url(token, "ideen/neu/"), {"text": "Mehr Busverbindungen"}, follow=True)
    idea = Idea.objects.get()
    assert idea.status == IdeaStatus.PENDING
    assert "nach Prüfung" in response.content.decode() or "after it has been checked" in response.content.decode()
    # The author sees the own idea marked as waiting; somebody else does not see it at all.
    other = client.__class__()
    joined(other, token)
    assert "Mehr Busverbindungen" not in other.get(url(token)).content.decode()
    idea.status = IdeaStatus.VISIBLE
    idea.save()
    assert "Mehr Busverbindungen" in other.get(url(token)).content.decode()


def test_hidden_idea_is_not_shown(client, workshop, open_link):
    _link, token = open_link
    IdeaFactory(workshop=workshop, text="Versteckte Idee", status=IdeaStatus.HIDDEN)
    joined(client, token)
    assert "Versteckte Idee" not in client.get(url(token)).content.decode()


# --- +1 -----------------------------------------------------------------------------------------------


def test_support_toggles_once_per_participant(client, workshop, open_link):
    _link, token = open_link
    idea = IdeaFactory(workshop=workshop)
    joined(client, token)
    assert client.post(url(token, f"ideen/{idea.pk}/unterstuetzen/")).status_code == 302
    assert Support.objects.filter(idea=idea).count() == 1
    assert client.post(url(token, f"ideen/{idea.pk}/unterstuetzen/")).status_code == 302
    assert Support.objects.filter(idea=idea).count() == 0


def test_support_of_another_workshops_idea_is_404(client, other_workshop, open_link):
    _link, token = open_link
    idea = IdeaFactory(workshop=other_workshop)
    joined(client, token)
    assert client.post(url(token, f"ideen/{idea.pk}/unterstuetzen/")).status_code == 404
    assert not Support.objects.exists()


def test_without_joining_nothing_can_be_done(client, workshop, open_link):
    _link, token = open_link
    idea = IdeaFactory(workshop=workshop)
    assert client.post(url(token, "ideen/neu/"), {"text": "Idee"}).status_code == 403
    assert client.post(url(token, f"ideen/{idea.pk}/unterstuetzen/")).status_code == 403
    assert Idea.objects.count() == 1 and not Support.objects.exists()


def test_get_only_pages_refuse_other_methods(client, open_link):
    _link, token = open_link
    assert client.post(url(token)).status_code == 405
    assert client.get(url(token, "teilnehmen/")).status_code == 405
