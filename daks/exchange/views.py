"""Pages of the exchange (/austausch/): boards, questions with answers, reports and the moderation queue.

Only members of a Kommune (and the editorial office of the network) take part: visitors are sent to the sign-in,
signed-in people without a Kommune get a page that explains how to join one (403).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.toolbox.models import TopicField

from . import selectors, services
from .forms import AnswerForm, QuestionForm, ReportForm, SearchForm
from .models import Answer, Question, Report

PER_PAGE = 20


def member_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.can_take_part(request.user):
            return render(request, "exchange/no_access.html", status=403)
        request.exchange_moderator = services.can_moderate(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def moderator_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.can_moderate(request.user):
            return render(request, "exchange/no_access.html", {"moderation": True}, status=403)
        request.exchange_moderator = True
        return view(request, *args, **kwargs)

    return wrapper


def _shows_content(request, obj) -> bool:
    return not obj.is_hidden or request.exchange_moderator or obj.author_id == request.user.pk


def _status(form) -> int:
    """400 when a submitted form is shown again with errors."""
    return 400 if form.is_bound and form.errors else 200


def _next_url(request, fallback: str) -> str:
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return fallback


# --- Boards -----------------------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "HEAD"])
def board(request):
    moderator = request.exchange_moderator
    search_form = SearchForm(request.GET or None)
    term = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    context = {
        "search_form": search_form,
        "term": term,
        "topics": selectors.topics_with_counts(moderator=moderator),
        "results": selectors.search_questions(term, moderator=moderator) if term else None,
        "latest": selectors.latest_questions(moderator=moderator) if not term else [],
    }
    return render(request, "exchange/board.html", context)


@member_required
@require_http_methods(["GET", "HEAD"])
def topic_board(request, topic_slug):
    topic = get_object_or_404(TopicField, slug=topic_slug)
    queryset = selectors.topic_questions(topic, moderator=request.exchange_moderator)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("seite"))
    return render(request, "exchange/topic.html", {"topic": topic, "page": page, "questions": page.object_list})


# --- Questions --------------------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_create(request, topic_slug):
    topic = get_object_or_404(TopicField, slug=topic_slug)
    municipalities = selectors.own_municipalities(request.user)
    if request.method == "POST":
        form = QuestionForm(request.POST, municipalities=municipalities)
        if form.is_valid():
            try:
                question = services.question_create(
                    actor=request.user,
                    topic=topic,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    municipality=form.cleaned_data["municipality"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Your question has been published."))
                return redirect(question)
    else:
        own = list(municipalities[:2])
        initial = {"municipality": own[0].pk if len(own) == 1 else None}
        form = QuestionForm(municipalities=municipalities, initial=initial)
    return render(request, "exchange/question_form.html", {"topic": topic, "form": form}, status=_status(form))


def _question_context(request, question: Question, *, answer_form=None) -> dict:
    moderator = request.exchange_moderator
    shows_question = _shows_content(request, question)
    if shows_question:
        selectors.with_html(question)
    answers = question.answer_list if shows_question else []
    for answer in answers:
        answer.shows_content = _shows_content(request, answer)
        answer.editable = services.can_edit(request.user, answer)
        answer.is_accepted = answer.pk == question.accepted_answer_id
        if answer.shows_content:
            selectors.with_html(answer)
    is_author = question.author_id == request.user.pk
    can_answer = not question.is_hidden
    return {
        "question": question,
        "topic": question.topic,
        "shows_question": shows_question,
        "answers": answers,
        "visible_answer_count": sum(1 for answer in answers if not answer.is_hidden),
        "is_author": is_author,
        "can_accept": is_author and not question.is_hidden,
        "can_edit_question": services.can_edit(request.user, question),
        "can_answer": can_answer,
        "answer_form": answer_form if answer_form is not None else (AnswerForm() if can_answer else None),
        "moderator": moderator,
    }


def _question(pk, user) -> Question:
    question = selectors.question_detail(pk, user=user)
    if question is None:
        raise Http404
    return question


@member_required
@require_http_methods(["GET", "HEAD"])
def question_detail(request, pk):
    question = _question(pk, request.user)
    return render(request, "exchange/question.html", _question_context(request, question))


@member_required
@require_POST
def answer_create(request, pk):
    question = get_object_or_404(Question, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer = services.answer_create(actor=request.user, question=question, body=form.cleaned_data["body"])
        except DomainError as error:
            if error.field not in form.fields:
                messages.error(request, error.message)
                return redirect(question)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Your answer has been published."))
            return redirect(answer.get_absolute_url())
    question = _question(pk, request.user)
    context = _question_context(request, question, answer_form=form)
    return render(request, "exchange/question.html", context, status=_status(form))


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request, pk):
    question = get_object_or_404(Question.objects.select_related("topic"), pk=pk)
    if not services.can_edit(request.user, question):
        messages.error(request, _("Only the author can edit a post, and only on the day it was written."))
        return redirect(question)
    municipalities = selectors.own_municipalities(request.user)
    conflict = None
    if request.method == "POST":
        form = QuestionForm(request.POST, municipalities=municipalities)
        if form.is_valid():
            try:
                services.question_update(
                    actor=request.user,
                    question=question,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    municipality=form.cleaned_data["municipality"],
                    expected_version=form.cleaned_data["version"],
                )
            except services.EditConflict as error:
                form.show_conflict(error.current)
                apply_domain_error(form, error)
                conflict = error.current
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Your question has been saved."))
                return redirect(question)
    else:
        form = QuestionForm(municipalities=municipalities, initial=QuestionForm.initial_for(question))
    return render(
        request,
        "exchange/question_form.html",
        {"topic": question.topic, "form": form, "question": question, "conflict": conflict},
        status=_status(form),
    )


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_edit(request, pk):
    answer = get_object_or_404(Answer.objects.select_related("question__topic"), pk=pk)
    if not services.can_edit(request.user, answer):
        messages.error(request, _("Only the author can edit a post, and only on the day it was written."))
        return redirect(answer.get_absolute_url())
    conflict = None
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.answer_update(
                    actor=request.user,
                    answer=answer,
                    body=form.cleaned_data["body"],
                    expected_version=form.cleaned_data["version"],
                )
            except services.EditConflict as error:
                form.show_conflict(error.current)
                apply_domain_error(form, error)
                conflict = error.current
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Your answer has been saved."))
                return redirect(answer.get_absolute_url())
    else:
        form = AnswerForm(initial={"body": answer.body, "version": answer.version})
    return render(
        request,
        "exchange/answer_form.html",
        {"answer": answer, "question": answer.question, "form": form, "conflict": conflict},
        status=_status(form),
    )


@member_required
@require_POST
def answer_accept(request, pk):
    question = get_object_or_404(Question, pk=pk)
    answer_id = request.POST.get("answer", "")
    answer = None
    if answer_id:
        answer = Answer.objects.filter(pk=answer_id).first() if answer_id.isdigit() else None
        if answer is None:
            messages.error(request, _("This answer does not exist (any more)."))
            return redirect(question)
    try:
        services.answer_accept(actor=request.user, question=question, answer=answer)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The answer is marked as accepted.") if answer else _("The answer is no longer marked.")
        )
    return redirect(question)


@member_required
@require_POST
def follow_toggle(request, pk):
    question = get_object_or_404(Question, pk=pk)
    try:
        following = services.follow_toggle(actor=request.user, question=question)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("You will be notified of new answers to this question.")
            if following
            else _("You no longer follow this question."),
        )
    return redirect(question)


# --- Reports ----------------------------------------------------------------------------------------


def _report(request, *, question=None, answer=None):
    target = answer or question
    the_question = question or answer.question
    # A post the moderation hid is not shown to others — the report form must not show its question's title either
    # (and a hidden post cannot be reported again).
    if not (_shows_content(request, the_question) and _shows_content(request, target)):
        messages.error(request, _("This post has already been hidden by the moderation."))
        return redirect(target.get_absolute_url())
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.report_create(
                    actor=request.user, question=question, answer=answer, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Thank you. The editorial office of the network will look at the post."))
                return redirect(target.get_absolute_url())
    else:
        form = ReportForm()
    return render(
        request,
        "exchange/report_form.html",
        {"form": form, "question": the_question, "answer": answer, "target": target},
        status=_status(form),
    )


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_question(request, pk):
    return _report(request, question=get_object_or_404(Question.objects.select_related("topic"), pk=pk))


@member_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_answer(request, pk):
    return _report(request, answer=get_object_or_404(Answer.objects.select_related("question__topic"), pk=pk))


# --- Moderation -------------------------------------------------------------------------------------


@moderator_required
@require_http_methods(["GET", "HEAD"])
def moderation(request):
    hidden_questions, hidden_answers = selectors.hidden_posts()
    return render(
        request,
        "exchange/moderation.html",
        {
            "reports": selectors.open_reports(),
            "hidden_questions": hidden_questions,
            "hidden_answers": hidden_answers,
        },
    )


@moderator_required
@require_POST
def moderate_report(request, pk):
    report = get_object_or_404(Report.objects.select_related("question", "answer__question"), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "hide":
            services.visibility_set(actor=request.user, target=report.target, hidden=True)
            messages.success(request, _("The post is hidden; the reports on it are closed."))
        elif action == "dismiss":
            services.report_dismiss(actor=request.user, report=report)
            messages.success(request, _("The report has been dismissed."))
        else:
            messages.error(request, _("Please choose a valid action."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("exchange:moderation")


def _set_visibility(request, target):
    action = request.POST.get("action")
    if action not in ("hide", "unhide"):
        messages.error(request, _("Please choose a valid action."))
    else:
        try:
            services.visibility_set(actor=request.user, target=target, hidden=action == "hide")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The post is hidden.") if action == "hide" else _("The post is visible again."))
    return redirect(_next_url(request, target.get_absolute_url()))


@moderator_required
@require_POST
def moderate_question(request, pk):
    return _set_visibility(request, get_object_or_404(Question, pk=pk))


@moderator_required
@require_POST
def moderate_answer(request, pk):
    return _set_visibility(request, get_object_or_404(Answer, pk=pk))
