import pytest
from django.core import mail
from django.urls import reverse

from daks.comments import services
from daks.comments.mentions import base_handle, find_mentions, handles_for_users, render_body, team_handles
from daks.comments.models import Notification
from daks.municipalities.models import Role

from ..factories import UserFactory
from . import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "email", "handle"),
    [
        ("Katrin Koordinatorin", "k@example.org", "katrin.koordinatorin"),
        ("Jürgen Groß", "j@example.org", "juergen.gross"),
        ("Özlem  Äbersold-Übel", "o@example.org", "oezlem.aebersold-uebel"),
        ("René Müller (Bauamt)", "r@example.org", "rene.mueller.bauamt"),
        ("", "K.Meier@example.org", "k.meier"),
        ("!!!", "___@example.org", None),
    ],
)
def test_handle_from_name_or_email(name, email, handle):
    user = UserFactory.build(name=name, email=email, pk=42)
    assert base_handle(user) == (handle or "user42")


def test_handles_are_unique_in_a_municipality_first_member_keeps_plain():
    first, second, third = (UserFactory.build(name="Anna Schmidt", pk=number) for number in (1, 2, 3))
    assert list(handles_for_users([first, second, third])) == ["anna.schmidt", "anna.schmidt2", "anna.schmidt3"]


def test_team_handles_only_members(municipality, other_municipality):
    katrin = factories.member(municipality, name="Katrin Koordinatorin")
    factories.member(other_municipality, name="Olaf Outsider")
    handles = team_handles(municipality)
    assert handles["katrin.koordinatorin"] == katrin
    assert "olaf.outsider" not in handles


def test_find_mentions_ignores_email_addresses_and_unknown_handles():
    anna = UserFactory.build(name="Anna Schmidt", pk=1)
    handles = handles_for_users([anna])
    assert find_mentions("Schreib an anna@anna.schmidt.de, @unbekannt", handles) == []
    assert find_mentions("@Anna.Schmidt, bitte prüfen. Danke @anna.schmidt!", handles) == [anna]


def test_render_body_highlights_only_team_handles():
    handles = {"anna.schmidt": object()}
    html = render_body("Hallo @anna.schmidt und @unbekannt <b>", handles)
    assert '<strong class="mention">@anna.schmidt</strong>' in html
    assert "@unbekannt" in html and 'mention">@unbekannt' not in html
    assert "&lt;b&gt;" in html


def _post(login, author, obj, body):
    url = reverse("comments:create", args=[obj.municipality.slug, obj._meta.label_lower, obj.pk])
    return login(author).post(url, {"body": body})


def test_mention_notifies_and_mails_in_recipient_language(
    login, municipality, contributor, swot, django_capture_on_commit_callbacks
):
    german = factories.member(municipality, name="Katrin Koordinatorin", language="de", role=Role.READER)
    english = factories.member(municipality, name="Eve English", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        _post(login, contributor, swot, "@katrin.koordinatorin und @eve.english: bitte Quelle ergänzen")
    assert set(Notification.objects.values_list("recipient", flat=True)) == {german.pk, english.pk}
    notification = Notification.objects.get(recipient=german)
    assert notification.actor == contributor
    assert notification.text.startswith("@katrin.koordinatorin und")
    assert notification.url.endswith(f"/kommentare/profile.swotitem/{swot.pk}/")
    assert notification.municipality == municipality
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {german.email, english.email}
    assert by_recipient[german.email].body.startswith("Guten Tag,")
    assert by_recipient[english.email].body.startswith("Hello,")
    assert "bitte Quelle ergänzen" in by_recipient[english.email].body
    assert f"/kommentare/profile.swotitem/{swot.pk}/" in by_recipient[english.email].body
    assert "Eve English" not in by_recipient[english.email].subject
    assert contributor.name in by_recipient[english.email].subject


def test_no_mail_when_mentioning_oneself(login, municipality, swot, django_capture_on_commit_callbacks):
    author = factories.member(municipality, name="Selma Selbst")
    with django_capture_on_commit_callbacks(execute=True):
        _post(login, author, swot, "Notiz an mich: @selma.selbst")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_mentioned_twice_notified_once(login, municipality, contributor, swot, django_capture_on_commit_callbacks):
    anna = factories.member(municipality, name="Anna Schmidt")
    with django_capture_on_commit_callbacks(execute=True):
        _post(login, contributor, swot, "@anna.schmidt hier, @anna.schmidt da, @Anna.Schmidt überall")
    assert Notification.objects.filter(recipient=anna).count() == 1
    assert len(mail.outbox) == 1


def test_unknown_handles_and_outsiders_are_plain_text(
    login, municipality, contributor, outsider, swot, django_capture_on_commit_callbacks
):
    outsider.name = "Olaf Outsider"
    outsider.save()
    with django_capture_on_commit_callbacks(execute=True):
        _post(login, contributor, swot, "Frag mal @olaf.outsider oder @niemand")
    assert not Notification.objects.exists()
    assert mail.outbox == []
    page = login(contributor).get(reverse("comments:thread", args=["musterstadt", "profile.swotitem", swot.pk]))
    assert 'class="mention"' not in page.content.decode().split("Frag mal")[1].split("</p>")[0]


def test_mention_on_embedded_object_links_to_its_page(login, municipality, coordinator, process):
    anna = factories.member(municipality, name="Anna Schmidt")
    _post(login, coordinator, process, "@anna.schmidt schau mal")
    assert Notification.objects.get(recipient=anna).url == (
        reverse("strategy:overview", args=["musterstadt", process.pk])
        + f"#comments-strategy-strategyprocess-{process.pk}"
    )


def test_mentioned_people_are_stored_and_deleting_removes_notifications(municipality, contributor, swot):
    anna = factories.member(municipality, name="Anna Schmidt")
    comment = services.comment_create(actor=contributor, municipality=municipality, obj=swot, body="@anna.schmidt")
    assert list(comment.mentioned.all()) == [anna]
    services.comment_delete(actor=contributor, comment=comment)
    assert not Notification.objects.exists()
    assert not comment.mentioned.exists()


def test_help_lists_the_team_handles(login, municipality, contributor, swot):
    factories.member(municipality, name="Jürgen Groß")
    content = login(contributor).get(reverse("comments:thread", args=["musterstadt", "profile.swotitem", swot.pk]))
    html = content.content.decode()
    assert "<details>" in html
    assert "<code>@juergen.gross</code> – Jürgen Groß" in html
    assert f'aria-describedby="comments-profile-swotitem-{swot.pk}-handles"' in html
