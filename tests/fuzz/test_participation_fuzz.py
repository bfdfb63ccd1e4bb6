"""Fuzzing the public participation pages /mitmachen/<token>/ (no login): take part with a PIN, add an idea, +1,
put a dot on an idea and take it back.

Requests with the real, a cut or a made-up token; PINs right, wrong, too long, non-ASCII digits; ideas with long
texts, NUL characters, markup, names, a field of action that is not in the list; a filled honeypot; idea ids that
do not exist, of another workshop, waiting for moderation, or larger than any database integer; with the
participant's cookie, without it, or forged. Property: never a server error — a redirect (the action happened)
or a German page with 400/403/404/409/410/429 — and a refused request writes nothing.
"""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, example, given
from hypothesis import strategies as st

from daks.profile.models import FieldOfAction
from daks.strategy import services as strategy_services
from daks.workshops import participation
from daks.workshops.models import Idea, IdeaStatus, Participant, Support, Vote, VotingScope
from tests.workshops.factories import IdeaFactory, WorkshopFactory

from .strategies import FUZZ, cells, isolated, row_counts

pytestmark = pytest.mark.django_db

PIN = "4711"


class Setting:
    """What the examples work on: two links (with and without PIN), ideas, a joined participant's cookie."""

    def __init__(self, client, coordinator):
        process = strategy_services.process_create(
            actor=coordinator,
            municipality=coordinator.memberships.get().municipality,
            title="Musterstadt 2040",
            start_date=datetime.date(2026, 3, 1),
            coordinators=[coordinator],
        )
        self.workshop = WorkshopFactory(
            process=process, voting_open=True, votes_per_participant=3, voting_scope=VotingScope.ALL
        )
        other = WorkshopFactory(process=process)
        self.field = FieldOfAction.objects.create(municipality=process.municipality, process=process, title="Wohnen")
        now = timezone.now()
        window = {"opens_at": now - datetime.timedelta(hours=1), "closes_at": now + datetime.timedelta(hours=3)}
        link, self.token = participation.link_create(actor=coordinator, workshop=self.workshop, **window)
        link.pin = PIN
        link.save(update_fields=["pin"])
        _open, self.open_token = participation.link_create(
            actor=coordinator, workshop=self.workshop, moderate_ideas=False, use_pin=False, **window
        )
        self.visible = IdeaFactory(workshop=self.workshop)
        self.pending = IdeaFactory(workshop=self.workshop, status=IdeaStatus.PENDING)
        self.foreign = IdeaFactory(workshop=other)
        self.cookies = {}  # token → the cookie of a participant who joined through that link
        for token, pin in ((self.token, PIN), (self.open_token, "")):
            response = client.post(self._url(token, "join"), {"pin": pin} if pin else {})
            assert response.status_code == 302
            self.cookies[token] = client.cookies[participation.COOKIE_NAME].value
        for participant in Participant.objects.filter(link__workshop=self.workshop):  # a point to take back
            Vote.objects.create(workshop=self.workshop, idea=self.visible, participant=participant)

    @staticmethod
    def _url(token, name, **kwargs):
        path = reverse(f"participate:{name}", kwargs={"token": "TOKEN", **kwargs})
        return path.replace("TOKEN", quote(token, safe=""))


@pytest.fixture
def setting(client, coordinator):
    return Setting(client, coordinator)


def tokens(setting):
    return st.one_of(
        st.just(setting.token),
        st.just(setting.open_token),
        st.sampled_from(["", "x", setting.token[:-1], setting.token + "A", "A" * 500, "..", "%2F"]),
        st.text(min_size=1, max_size=30),
    )


def idea_ids(setting):
    return st.one_of(
        st.sampled_from([setting.visible.pk, setting.visible.pk, setting.pending.pk, setting.foreign.pk, 0]),
        st.integers(min_value=0, max_value=10**30),
    )


PINS = st.one_of(
    st.sampled_from([PIN, f" {PIN} ", "4712", "", "47111", "０４７１１", "٤٧١١", "4711\x00", "9" * 9]), cells
)
TEXTS = st.one_of(
    st.sampled_from(["Mehr Bänke im Park", "Ein Café für alle Generationen", "a" * 1000, "<script>alert(1)</script>"]),
    st.sampled_from(["", "   ", "a" * 1001, "\x00", "Bank\x00"]),
    cells,
    st.text(max_size=50),
)


@st.composite
def requests(draw, setting):
    action = draw(st.sampled_from(["join", "idea_add", "idea_add", "support", "vote_add", "vote_remove", "board"]))
    token = draw(st.sampled_from(["open", "open", "pin", "any"]).flatmap(
        lambda kind: st.just(setting.open_token) if kind == "open" else st.just(setting.token) if kind == "pin"
        else tokens(setting)
    ))  # fmt: skip
    cookie = draw(st.sampled_from(["participant", "participant", "participant", "none", "forged", "other link"]))
    data = {}
    kwargs = {}
    if action == "join":
        token = draw(st.one_of(st.just(setting.token), tokens(setting)))
        data = {"pin": draw(PINS)} if draw(st.sampled_from([True] * 5 + [False])) else {}
    elif action == "idea_add":
        name = st.sampled_from(["", "", "Anna", "x" * 101, None])
        field = st.sampled_from(["", str(setting.field.pk), "99999999999999999999", None])
        data = {
            "text": draw(TEXTS),
            "author_name": draw(name.flatmap(lambda value: cells if value is None else st.just(value))),
            "field_of_action": draw(field.flatmap(lambda value: cells if value is None else st.just(value))),
        }
        if draw(st.sampled_from([False] * 6 + [True])):
            data["homepage"] = draw(cells)
    elif action != "board":
        kwargs["idea_pk"] = draw(idea_ids(setting))
    if action != "join" and draw(st.booleans()):  # mostly right: the right link and cookie, one field fuzzed
        token, cookie = setting.open_token, "participant"
        if action == "idea_add":
            fuzzed = draw(st.sampled_from(["text", "author_name", "field_of_action", None]))
            data = {"text": "Mehr Bänke im Park", "author_name": "", "field_of_action": str(setting.field.pk)}
            if fuzzed:
                data[fuzzed] = draw(TEXTS)
        elif action != "board" and draw(st.booleans()):
            kwargs["idea_pk"] = setting.visible.pk
    return action, token, cookie, data, kwargs


def _counts():
    return row_counts(Participant, Idea, Support, Vote)


HUGE_IDEA = ("vote_add", None, "participant", {}, {"idea_pk": 10**30})


@FUZZ
@given(data=st.data())
@example(data=HUGE_IDEA)
def test_public_participation_never_fails(client, setting, data):
    if isinstance(data, tuple):
        action, token, cookie, post, kwargs = data
        token = token or setting.open_token
    else:
        action, token, cookie, post, kwargs = data.draw(requests(setting), label="request")
    own_cookie = setting.cookies.get(token, setting.cookies[setting.open_token])
    if cookie == "participant":
        client.cookies[participation.COOKIE_NAME] = own_cookie
    elif cookie == "other link":
        other = setting.open_token if token == setting.token else setting.token
        client.cookies[participation.COOKIE_NAME] = setting.cookies[other]
    elif cookie == "forged":
        client.cookies[participation.COOKIE_NAME] = own_cookie[:-2] + "xx"
    else:
        client.cookies.pop(participation.COOKIE_NAME, None)
    url = setting._url(token, action, **kwargs)
    with isolated():
        before = _counts()
        response = client.get(url) if action == "board" else client.post(url, post)
        assert response.status_code in (200, 302, 400, 403, 404, 409, 410, 429), response.status_code
        if response.status_code == 302:
            event(f"{action}: done")
        else:
            event(f"{action}: {response.status_code}")
            assert _counts() == before
