"""Network surveys: the network office's pages (start, follow, aggregated results) and the Kommune's page in its
Zwischenbilanz (take part)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view

from . import network_surveys
from .forms_surveys import NetworkSurveyForm
from .models import NetworkSurvey
from .result_charts import Bar, bars_svg
from .results import LIKERT_LABELS
from .views_surveys import EDIT, VIEW, _base_context, _detail_url, _process, _url


def _require_network_editor(request) -> None:
    if not request.user.has_perm("network.edit_network"):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def office(request):
    """List and start network surveys (network office)."""
    _require_network_editor(request)
    form = NetworkSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = network_surveys.network_survey_create(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The network survey has been started. Municipalities can now take part."))
            return redirect("network_surveys:detail", pk=survey.pk)
    surveys = NetworkSurvey.objects.order_by("-created_at").prefetch_related("copies")
    return render(
        request,
        "reviews/network/office.html",
        {"form": form, "surveys": surveys},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def detail(request, pk):
    _require_network_editor(request)
    survey = get_object_or_404(NetworkSurvey, pk=pk)
    results = network_surveys.network_results(survey)
    rows = [(question.text, [Bar("", question.mean or 0, question.mean_display)]) for question in results.questions]
    chart = bars_svg(
        rows,
        maximum=5,
        chart_id="network-means",
        title=_("Mean per statement across the municipalities (scale 1 to 5)"),
        desc="; ".join(f"{question.text}: {question.mean_display}" for question in results.questions),
    )
    return render(
        request,
        "reviews/network/detail.html",
        {
            "survey": survey,
            "results": results,
            "chart": chart,
            "scale": LIKERT_LABELS,
            "is_open": network_surveys.is_open(survey),
            "min_group": network_surveys.MIN_GROUP,
        },
    )


@login_required
@require_POST
def close(request, pk):
    _require_network_editor(request)
    survey = get_object_or_404(NetworkSurvey, pk=pk)
    network_surveys.network_survey_close(actor=request.user, network_survey=survey)
    messages.success(request, _("The network survey is closed."))
    return redirect("network_surveys:detail", pk=survey.pk)


# --- The Kommune's side (step 5) ----------------------------------------------------------------------------


@municipality_view(VIEW)
def municipality_list(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    context = _base_context(request, process)
    offered = network_surveys.open_network_surveys(request.municipality)
    for survey in offered:
        if survey.copy is not None:
            survey.copy_url = _detail_url(survey.copy)
    context["offered"] = offered
    return render(request, "reviews/network/municipality_list.html", context)


@municipality_view(EDIT)
@require_POST
def municipality_join(request, pk, step_slug, network_pk):
    process = _process(request, pk, step_slug)
    network_survey = get_object_or_404(NetworkSurvey, pk=network_pk)
    try:
        survey = network_surveys.network_survey_join(actor=request.user, process=process, network_survey=network_survey)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url("network_surveys", process))
    messages.success(
        request,
        _("Your municipality takes part. Invite your team and actors to your copy of the survey as usual."),
    )
    return redirect(reverse("reviews:survey_distribution", kwargs=_url_kwargs(survey)))


def _url_kwargs(survey) -> dict:
    from .views_surveys import _kwargs

    return _kwargs(survey.process, survey_pk=survey.pk)
