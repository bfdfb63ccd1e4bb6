"""Reads of the exchange: boards with counts, a question with its answers, the moderation queue.

Hidden posts: the moderation sees them (marked); everybody else sees hidden questions neither in lists nor in
counts, and a hidden answer (or a hidden question opened by its address) as "Hidden by the moderation".
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from daks.core.richtext import render_markdown
from daks.municipalities.models import Municipality
from daks.toolbox.models import TopicField

from .models import Answer, Follow, Question, Report

LATEST_COUNT = 10
SEARCH_LIMIT = 50


def _visible_answers(moderator: bool) -> Q:
    return Q() if moderator else Q(answers__is_hidden=False)


def questions(*, moderator: bool = False) -> QuerySet[Question]:
    """Questions with topic, author, Kommune and the number of (visible) answers — one query for a list."""
    queryset = Question.objects.select_related("topic", "author", "municipality").annotate(
        answer_count=Count("answers", filter=_visible_answers(moderator), distinct=True)
    )
    if not moderator:
        queryset = queryset.filter(is_hidden=False)
    return queryset.order_by("-created_at", "-id")


def topics_with_counts(*, moderator: bool = False) -> list[TopicField]:
    """All topic fields with ``question_count`` (visible questions) — one query."""
    condition = Q() if moderator else Q(exchange_questions__is_hidden=False)
    return list(
        TopicField.objects.annotate(question_count=Count("exchange_questions", filter=condition)).order_by(
            "position", "name"
        )
    )


def latest_questions(*, moderator: bool = False, limit: int = LATEST_COUNT) -> list[Question]:
    return list(questions(moderator=moderator)[:limit])


def search_questions(term: str, *, moderator: bool = False, limit: int = SEARCH_LIMIT) -> list[Question]:
    """Questions whose title contains ``term`` (case-insensitive), newest first."""
    term = (term or "").strip()
    if not term:
        return []
    return list(questions(moderator=moderator).filter(title__icontains=term)[:limit])


def topic_questions(topic: TopicField, *, moderator: bool = False) -> QuerySet[Question]:
    return questions(moderator=moderator).filter(topic=topic)


def question_detail(pk: int, *, user) -> Question | None:
    """The question (any visibility) with topic, author, Kommune, ``is_followed`` and its answers with authors
    in ``question.answer_list`` — three queries."""
    question = (
        Question.objects.select_related("topic", "author", "municipality")
        .annotate(is_followed=Exists(Follow.objects.filter(question=OuterRef("pk"), user=user)))
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("author").order_by("created_at", "id"))
        )
        .filter(pk=pk)
        .first()
    )
    if question is None:
        return None
    question.answer_list = list(question.answers.all())
    return question


def with_html(obj):
    """``obj.html``: its Markdown body rendered sanitised."""
    obj.html = render_markdown(obj.body)
    return obj


def own_municipalities(user) -> QuerySet[Municipality]:
    return Municipality.objects.filter(memberships__user=user).order_by("name")


def open_reports() -> list[Report]:
    """Open reports, oldest first, with what they are about — one query."""
    return list(
        Report.objects.filter(resolved_at__isnull=True)
        .select_related("reporter", "question__topic", "question__author", "answer__author", "answer__question__topic")
        .order_by("created_at", "id")
    )


def hidden_posts() -> tuple[list[Question], list[Answer]]:
    """Hidden questions and answers (to show them again) — two queries."""
    hidden_questions = list(Question.objects.filter(is_hidden=True).select_related("topic", "author"))
    hidden_answers = list(
        Answer.objects.filter(is_hidden=True).select_related("author", "question").order_by("-updated_at")
    )
    return hidden_questions, hidden_answers
