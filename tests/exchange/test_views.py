import pytest
from django.urls import reverse

from daks.comments.models import Notification
from daks.exchange.models import Answer, Question, Report

from . import factories

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def board_url():
    return reverse("exchange:board")


def topic_url(topic):
    return reverse("exchange:topic", kwargs={"topic_slug": topic.slug})


def question_url(question):
    return reverse("exchange:question", kwargs={"pk": question.pk})


# --- Access -----------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_sign_in(client, question, topic):
    for url in (board_url(), topic_url(topic), question_url(question), reverse("exchange:moderation")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_signed_in_people_without_kommune_get_an_explanation(login, loner, question):
    client = login(loner)
    for url in (board_url(), question_url(question)):
        response = client.get(url, **EN)
        assert response.status_code == 403
        assert "not a member of a municipality yet" in response.content.decode()
        assert "Wohnberatung?" not in response.content.decode()
    response = client.post(reverse("exchange:answer_create", kwargs={"pk": question.pk}), {"body": "Hallo"})
    assert response.status_code == 403
    assert not Answer.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "contributor", "reader", "advisor", "outsider", "editor"])
def test_members_of_any_role_and_editors_read_the_board(request, login, question, role):
    response = login(request.getfixturevalue(role)).get(board_url())
    assert response.status_code == 200
    assert "Wohnberatung?" in response.content.decode()


def test_moderation_queue_only_for_the_editorial_office(login, member, editor):
    assert login(member).get(reverse("exchange:moderation")).status_code == 403
    assert login(editor).get(reverse("exchange:moderation")).status_code == 200


# --- Boards and query counts ------------------------------------------------------------------------


def _questions(topic, author, municipality, count):
    for number in range(count):
        question = factories.QuestionFactory(topic=topic, author=author, municipality=municipality)
        factories.AnswerFactory(question=question, author=author)
        factories.AnswerFactory(question=question, author=author, is_hidden=number == 0)


def test_board_lists_topics_with_counts_and_latest(login, member, municipality, topic, other_topic):
    _questions(topic, member, municipality, 2)
    factories.QuestionFactory(topic=other_topic, author=member, title="Jugendbeteiligung")
    factories.QuestionFactory(topic=other_topic, author=member, title="Versteckt", is_hidden=True)
    content = login(member).get(board_url(), **EN).content.decode()
    assert "Jugendbeteiligung" in content
    assert "Versteckt" not in content  # hidden questions are not listed for members
    assert f'href="{topic_url(topic)}">Wohnen</a></th>\n          <td class="num">2</td>' in content
    assert "1 answer" in content and "2 answers" in content  # hidden answers are not counted


def test_board_search_by_title(login, member, topic):
    factories.QuestionFactory(topic=topic, author=member, title="Wohnraumbörse für Ältere")
    factories.QuestionFactory(topic=topic, author=member, title="Jugendparlament")
    content = login(member).get(board_url(), {"q": "wohnraum"}, **EN).content.decode()
    assert "Wohnraumbörse für Ältere" in content
    assert "Jugendparlament" not in content
    assert "1 question matches" in content


@pytest.mark.parametrize("count", [1, 6])
def test_board_query_count_is_pinned(django_assert_num_queries, login, member, municipality, topic, count):
    _questions(topic, member, municipality, count)
    client = login(member)
    # session, user, membership check, groups, 2 × model permissions (moderation perm), topics with counts,
    # latest questions, unread notifications (header)
    with django_assert_num_queries(9):
        assert client.get(board_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_topic_query_count_is_pinned(django_assert_num_queries, login, member, municipality, topic, count):
    _questions(topic, member, municipality, count)
    client = login(member)
    # session, user, membership, groups, 2 × model permissions, topic, paginator count, the page, notifications
    with django_assert_num_queries(10):
        response = client.get(topic_url(topic))
    assert response.status_code == 200
    assert len(response.context["questions"]) == count


@pytest.mark.parametrize("count", [1, 6])
def test_question_query_count_is_pinned(django_assert_num_queries, login, member, municipality, topic, count):
    question = factories.QuestionFactory(topic=topic, author=member, municipality=municipality)
    for _number in range(count):
        factories.AnswerFactory(question=question, author=member)
    client = login(member)
    # session, user, membership, groups, 2 × model permissions, question (+ followed), answers with authors,
    # notifications
    with django_assert_num_queries(9):
        assert client.get(question_url(question)).status_code == 200


# --- Posting ----------------------------------------------------------------------------------------


def test_ask_a_question(login, member, municipality, topic):
    url = reverse("exchange:question_create", kwargs={"topic_slug": topic.slug})
    client = login(member)
    form_page = client.get(url).content.decode()
    assert f'<option value="{municipality.pk}" selected>' in form_page  # the only Kommune is preselected
    response = client.post(
        url, {"title": "Wohnberatung", "body": "Wie **macht** ihr das?", "municipality": municipality.pk}
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response.url == question_url(question)
    content = client.get(response.url).content.decode()
    assert "<strong>macht</strong>" in content
    assert "Musterstadt" in content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "B"}, "Please enter a title."),
        ({"title": "T", "body": "  "}, "Please describe your question."),
    ],
)
def test_bad_question_input(login, member, topic, data, message):
    url = reverse("exchange:question_create", kwargs={"topic_slug": topic.slug})
    response = login(member).post(url, data, **EN)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Question.objects.exists()


def test_markdown_is_sanitised(login, member, topic):
    question = factories.QuestionFactory(
        topic=topic, author=member, body='<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="y">'
    )
    content = login(member).get(question_url(question)).content.decode()
    assert "<script>alert(1)" not in content
    assert 'href="javascript' not in content
    assert "<img src=x" not in content and "&lt;img src=x" in content


def test_answer_through_the_page_notifies(django_capture_on_commit_callbacks, login, question, peer, member):
    url = reverse("exchange:answer_create", kwargs={"pk": question.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = login(peer).post(url, {"body": "Wir haben eine Sprechstunde."})
    answer = Answer.objects.get()
    assert response.url == f"{question_url(question)}#antwort-{answer.pk}"
    assert Notification.objects.get().recipient == member
    notifications = login(member).get(reverse("notifications:list"), **EN).content.decode()
    assert "New answer to “Wohnberatung?” in the exchange" in notifications


def test_empty_answer_and_answer_to_hidden_question(login, question, peer):
    client = login(peer)
    url = reverse("exchange:answer_create", kwargs={"pk": question.pk})
    response = client.post(url, {"body": " "}, **EN)
    assert response.status_code == 400
    assert "Please write an answer." in response.content.decode()
    Question.objects.filter(pk=question.pk).update(is_hidden=True)
    response = client.post(url, {"body": "Trotzdem"}, follow=True, **EN)
    assert "cannot be answered" in response.content.decode()
    assert not Answer.objects.exists()


def test_accept_through_the_page(login, question, answer, member, peer):
    url = reverse("exchange:accept", kwargs={"pk": question.pk})
    response = login(peer).post(url, {"answer": answer.pk}, follow=True, **EN)
    assert "Only the author of the question can accept an answer." in response.content.decode()
    question.refresh_from_db()
    assert question.accepted_answer is None
    content = login(member).post(url, {"answer": answer.pk}, follow=True, **EN).content.decode()
    question.refresh_from_db()
    assert question.accepted_answer == answer
    assert "Accepted answer" in content
    assert "Withdraw acceptance" in content


def test_accepting_an_answer_of_another_question_through_the_page(login, question, member, topic, peer):
    foreign = factories.AnswerFactory(question=factories.QuestionFactory(topic=topic, author=peer), author=peer)
    url = reverse("exchange:accept", kwargs={"pk": question.pk})
    response = login(member).post(url, {"answer": foreign.pk}, follow=True, **EN)
    assert "This answer belongs to another question." in response.content.decode()
    question.refresh_from_db()
    assert question.accepted_answer is None


def test_edit_question_with_conflict(login, question, member):
    url = reverse("exchange:question_edit", kwargs={"pk": question.pk})
    client = login(member)
    assert client.get(url).status_code == 200
    stale = question.version
    client.post(url, {"title": "Erste Änderung", "body": "B", "version": stale})
    response = client.post(url, {"title": "Zweite Änderung", "body": "C", "version": stale}, **EN)
    assert response.status_code == 400
    assert "Somebody else has changed this post" in response.content.decode()
    question.refresh_from_db()
    assert question.title == "Erste Änderung"


def test_others_cannot_edit(login, question, answer, peer, member):
    response = login(peer).get(reverse("exchange:question_edit", kwargs={"pk": question.pk}))
    assert response.status_code == 302
    response = login(member).post(reverse("exchange:answer_edit", kwargs={"pk": answer.pk}), {"body": "Fremd"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.body == "Wir haben eine Sprechstunde."


def test_follow_button(login, question, reader):
    client = login(reader)
    client.post(reverse("exchange:follow", kwargs={"pk": question.pk}))
    assert "Stop following" in client.get(question_url(question), **EN).content.decode()


# --- Reports and moderation -------------------------------------------------------------------------


def test_report_an_answer_and_moderate_it(login, question, answer, member, editor, peer):
    report_url = reverse("exchange:report_answer", kwargs={"pk": answer.pk})
    response = login(member).post(report_url, {"reason": ""}, **EN)
    assert response.status_code == 400
    assert "Please give a reason." in response.content.decode()
    assert not Report.objects.exists()
    login(member).post(report_url, {"reason": "Werbung für ein Produkt"})
    report = Report.objects.get()

    queue = login(editor).get(reverse("exchange:moderation"), **EN).content.decode()
    assert "Werbung für ein Produkt" in queue
    assert "1 open report" in queue

    login(editor).post(reverse("exchange:moderate_report", kwargs={"pk": report.pk}), {"action": "hide"})
    answer.refresh_from_db()
    assert answer.is_hidden
    assert "No open reports." in login(editor).get(reverse("exchange:moderation"), **EN).content.decode()

    for_others = login(member).get(question_url(question), **EN).content.decode()
    assert "Hidden by the moderation" in for_others
    assert "Wir haben eine Sprechstunde." not in for_others
    for_author = login(peer).get(question_url(question), **EN).content.decode()
    assert "Wir haben eine Sprechstunde." in for_author
    for_editor = login(editor).get(question_url(question), **EN).content.decode()
    assert "Wir haben eine Sprechstunde." in for_editor
    assert "Show answer again" in for_editor

    url = reverse("exchange:moderate_answer", kwargs={"pk": answer.pk})
    login(editor).post(url, {"action": "unhide", "next": reverse("exchange:moderation")})
    answer.refresh_from_db()
    assert not answer.is_hidden


def test_dismiss_a_report(login, question, peer, editor):
    report = factories.ReportFactory(question=question, reporter=peer)
    login(editor).post(reverse("exchange:moderate_report", kwargs={"pk": report.pk}), {"action": "dismiss"})
    report.refresh_from_db()
    question.refresh_from_db()
    assert report.resolution == "dismissed"
    assert not question.is_hidden


def test_members_cannot_moderate(login, question, answer, member):
    report = factories.ReportFactory(answer=answer, reporter=member)
    client = login(member)
    assert (
        client.post(reverse("exchange:moderate_report", kwargs={"pk": report.pk}), {"action": "hide"}).status_code
        == 403
    )
    assert (
        client.post(reverse("exchange:moderate_question", kwargs={"pk": question.pk}), {"action": "hide"}).status_code
        == 403
    )
    answer.refresh_from_db()
    question.refresh_from_db()
    assert not answer.is_hidden and not question.is_hidden


def test_hidden_question_shows_placeholder_to_others(login, question, peer, editor):
    Question.objects.filter(pk=question.pk).update(is_hidden=True)
    content = login(peer).get(question_url(question), **EN).content.decode()
    assert "Hidden by the moderation" in content
    assert "Wohnberatung?" not in content
    assert "Wohnberatung?" not in login(peer).get(board_url()).content.decode()
    assert "Wohnberatung?" in login(editor).get(question_url(question)).content.decode()


def test_form_pages_render(login, question, answer, member, peer):
    client = login(member)
    report_page = client.get(reverse("exchange:report_answer", kwargs={"pk": answer.pk}), **EN)
    assert report_page.status_code == 200
    assert "Why should the moderation look at this post?" in report_page.content.decode()
    assert client.get(reverse("exchange:report_question", kwargs={"pk": question.pk})).status_code == 200
    edit_page = login(peer).get(reverse("exchange:answer_edit", kwargs={"pk": answer.pk}))
    assert edit_page.status_code == 200
    assert "Wir haben eine Sprechstunde." in edit_page.content.decode()
    login(peer).post(
        reverse("exchange:answer_edit", kwargs={"pk": answer.pk}), {"body": "Geändert", "version": answer.version}
    )
    answer.refresh_from_db()
    assert answer.body == "Geändert"
