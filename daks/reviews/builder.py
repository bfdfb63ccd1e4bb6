"""The questionnaire builder's views, shared by a Kommune's surveys (step 5) and the questionnaire of a network
survey (editorial office): the same forms, templates (``reviews/surveys/includes/builder*.html``) and services
(``surveys.section_*``, ``surveys.question_*``).

The caller resolves the survey and checks the permission, then passes ``url(name, **kwargs)``, which gives the
address of a builder page for this survey (``name``: detail, section_add, section_edit, section_move,
section_delete, question_create, question_edit, question_move, question_delete), and for pages with a form the
page template and its context. Every action is a normal form POST followed by a redirect (no JavaScript needed).
"""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error

from . import surveys
from .forms_surveys import QuestionForm, SectionForm

UrlFor = Callable[..., str]


def _anchor(url: UrlFor, anchor: str = "") -> str:
    return f"{url('detail')}#{anchor}" if anchor else url("detail")


def builder_context(survey, url: UrlFor) -> dict:
    """The questionnaire in blocks with the addresses of every control (for ``includes/builder.html``)."""
    blocks = surveys.questionnaire(survey)
    sections = [block.section for block in blocks if block.section is not None]
    for index, section in enumerate(sections):
        section.is_first, section.is_last = index == 0, index == len(sections) - 1
        section.urls = {
            "edit": url("section_edit", section_pk=section.pk),
            "move": url("section_move", section_pk=section.pk),
            "delete": url("section_delete", section_pk=section.pk),
            "add_question": f"{url('question_create')}?abschnitt={section.pk}",
        }
    for block in blocks:
        for index, question in enumerate(block.questions):
            question.is_first, question.is_last = index == 0, index == len(block.questions) - 1
            question.urls = {
                "edit": url("question_edit", question_pk=question.pk),
                "move": url("question_move", question_pk=question.pk),
                "delete": url("question_delete", question_pk=question.pk),
            }
    return {
        "blocks": blocks,
        "has_responses": surveys.has_responses(survey),
        "section_form": SectionForm(),
        "builder_urls": {"section_add": url("section_add"), "question_create": url("question_create")},
    }


# --- Sections -----------------------------------------------------------------------------------------------


def section_add(request, *, survey, url: UrlFor):
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            section = surveys.section_add(actor=request.user, survey=survey, title=form.cleaned_data["title"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The section has been added."))
            return redirect(_anchor(url, f"section-{section.pk}"))
    else:
        messages.error(request, _("Please enter a title for the section."))
    return redirect(_anchor(url, "add-section"))


def section_edit(request, *, survey, section, url: UrlFor, template: str, context: dict):
    if request.method == "GET":
        form = SectionForm(initial={"title": section.title, "version": surveys.section_version(section)})
    else:
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                surveys.section_update(
                    actor=request.user,
                    section=section,
                    title=form.cleaned_data["title"],
                    expected_version=form.cleaned_data["version"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
                section.refresh_from_db()
                form.data = form.data.copy()
                form.data["version"] = surveys.section_version(section)
            else:
                messages.success(request, _("The section has been saved."))
                return redirect(_anchor(url, f"section-{section.pk}"))
    context = {**context, "form": form, "section": section, "cancel_url": _anchor(url, f"section-{section.pk}")}
    return render(request, template, context, status=400 if form.errors else 200)


def section_move(request, *, survey, section, url: UrlFor):
    surveys.section_move(actor=request.user, section=section, direction=request.POST.get("direction", ""))
    return redirect(_anchor(url, f"section-{section.pk}"))


def section_delete(request, *, survey, section, url: UrlFor):
    try:
        surveys.section_delete(actor=request.user, section=section)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_anchor(url, f"section-{section.pk}"))
    messages.success(request, _("The section has been deleted."))
    return redirect(url("detail"))


# --- Questions ----------------------------------------------------------------------------------------------


def question_create(request, *, survey, url: UrlFor, template: str, context: dict):
    if request.method == "GET":
        section = survey.sections.filter(pk=request.GET.get("abschnitt") or 0).first()
        form = QuestionForm(survey=survey, initial={"section": section.pk if section else None, "kind": "likert"})
    else:
        form = QuestionForm(request.POST, survey=survey)
        if form.is_valid():
            try:
                question = surveys.question_add(actor=request.user, survey=survey, **form.service_kwargs())
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The question has been added."))
                return redirect(_anchor(url, f"question-{question.pk}"))
    context = {**context, "form": form, "question": None, "cancel_url": url("detail")}
    return render(request, template, context, status=400 if form.errors else 200)


def question_edit(request, *, survey, question, url: UrlFor, template: str, context: dict):
    if request.method == "GET":
        form = QuestionForm(survey=survey, initial=QuestionForm.initial_for(question))
    else:
        form = QuestionForm(request.POST, survey=survey)
        if form.is_valid():
            try:
                surveys.question_update(
                    actor=request.user,
                    question=question,
                    expected_version=form.cleaned_data["version"],
                    **form.service_kwargs(),
                )
            except surveys.QuestionEditConflict as conflict:
                apply_domain_error(form, conflict)
                form.data = form.data.copy()
                form.data["version"] = surveys.question_version(conflict.current)
                question = conflict.current
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The question has been saved."))
                return redirect(_anchor(url, f"question-{question.pk}"))
    context = {
        **context,
        "form": form,
        "question": question,
        "has_responses": surveys.has_responses(survey),
        "cancel_url": _anchor(url, f"question-{question.pk}"),
    }
    return render(request, template, context, status=400 if form.errors else 200)


def question_move(request, *, survey, question, url: UrlFor):
    surveys.question_move(actor=request.user, question=question, direction=request.POST.get("direction", ""))
    return redirect(_anchor(url, f"question-{question.pk}"))


def question_delete(request, *, survey, question, url: UrlFor):
    try:
        surveys.question_delete(actor=request.user, question=question)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_anchor(url, f"question-{question.pk}"))
    messages.success(request, _("The question has been deleted."))
    return redirect(url("detail"))
