"""Views of the monitoring dashboard, the timeline, the exports and publishing of the Werkstattplan.

Thin: look the plan up through the Kommune (``views._plan``), call one selector or service, render. The public
read-only page and the open data of a published version are in ``views_public``-style functions at the end
(``public_plan``, ``public_data``; no login, 404 unless published).
"""

from __future__ import annotations

import datetime
import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.richtext import render_markdown
from daks.core.tenancy import municipality_view
from daks.exports.base import download_response

from . import export_tasks, exports, monitoring, publishing, timeline
from .models import Measure, PlanVersion
from .monitoring_charts import budget_chart_svg, status_chart_svg
from .views import _context, _plan, _url

VIEW = "municipalities.view_municipality"


def _today() -> datetime.date:
    return timezone.localdate()


# --- Monitoring ----------------------------------------------------------------------------------------------------


@municipality_view(VIEW)
@require_GET
def monitoring_dashboard(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    figures = monitoring.plan_monitoring(plan=plan, today=_today())
    context = _context(
        request,
        process,
        plan,
        figures=figures,
        status_chart=status_chart_svg(figures.statuses),
        budget_chart=budget_chart_svg(figures.budgets) if figures.budgets else "",
        on_track_gap=int(monitoring.ON_TRACK_GAP * 100),
        at_risk_gap=int(monitoring.AT_RISK_GAP * 100),
    )
    return render(request, "plans/monitoring/dashboard.html", context)


# --- Timeline ------------------------------------------------------------------------------------------------------


@municipality_view(VIEW)
@require_GET
def timeline_page(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    today = _today()
    document = timeline.live_document(plan=plan)
    year_from, year_to = timeline.parse_years(request.GET, document, today)
    chart = timeline.build_timeline(document, today=today, year_from=year_from, year_to=year_to)
    context = _context(
        request,
        process,
        plan,
        timeline=chart,
        svg=timeline.timeline_svg(chart) if chart.rows else "",
        legend=timeline.legend(),
        max_years=timeline.MAX_YEARS,
    )
    return render(request, "plans/monitoring/timeline.html", context)


# --- Exports -------------------------------------------------------------------------------------------------------


def _large(plan) -> bool:
    return Measure.objects.filter(plan=plan).count() > exports.LARGE_PLAN


@municipality_view(VIEW)
@require_GET
def export_page(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    count = Measure.objects.filter(plan=plan).count()
    context = _context(
        request,
        process,
        plan,
        exporters=exports.EXPORTERS,
        measure_count=count,
        large=count > exports.LARGE_PLAN,
        large_plan=exports.LARGE_PLAN,
        can_publish=request.user.has_perm(publishing.PUBLISH, request.municipality),
    )
    return render(request, "plans/export/export.html", context)


@municipality_view(VIEW)
@require_POST
def export_start(request, pk, step_slug, fmt):
    process, plan = _plan(request, pk, step_slug)
    exporter = exports.get_exporter(fmt)
    if exporter is None:
        raise Http404("Unknown export format")
    if _large(plan):
        token = export_tasks.export_start(plan=plan, user=request.user, identifier=exporter.identifier)
        return redirect(_url("export_job", process, token=token))
    document = exports.plan_document(plan=plan, today=_today())
    return download_response(exporter.render(document))


def _job(request, plan, token) -> dict:
    job = export_tasks.job_status(token)
    if not job or job.get("municipality") != request.municipality.pk or job.get("plan") != plan.pk:
        raise Http404("No such export")
    return job


@municipality_view(VIEW)
@require_GET
def export_job(request, pk, step_slug, token):
    process, plan = _plan(request, pk, step_slug)
    job = _job(request, plan, token)
    exporter = exports.get_exporter(job["format"])
    context = _context(
        request,
        process,
        plan,
        job=job,
        token=token,
        exporter=exporter,
        finished=job["status"] in (export_tasks.DONE, export_tasks.FAILED),
        done=job["status"] == export_tasks.DONE,
        failed=job["status"] == export_tasks.FAILED,
    )
    if getattr(request, "htmx", False):
        return render(request, "plans/export/job.html#job-status", context)
    return render(request, "plans/export/job.html", context)


@municipality_view(VIEW)
@require_GET
def export_download(request, pk, step_slug, token):
    _process, plan = _plan(request, pk, step_slug)
    _job(request, plan, token)
    rendered = export_tasks.job_file(token)
    if rendered is None:
        raise Http404("The export is not ready")
    return download_response(rendered)


# --- Publishing ----------------------------------------------------------------------------------------------------


def _versions(plan):
    return PlanVersion.objects.filter(plan=plan).defer("snapshot").order_by("-date", "-id")


class PublishForm(forms.Form):
    version = forms.ModelChoiceField(
        label=gettext_lazy("Version to publish"),
        queryset=PlanVersion.objects.none(),
        empty_label=None,
        help_text=gettext_lazy("The public page always shows a frozen version, never the current draft."),
        error_messages={"invalid_choice": gettext_lazy("Please choose a version of this plan.")},
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm that this version may be published and reused under the Datenlizenz Deutschland – "
            "Namensnennung 2.0 (free reuse with the municipality named as the source)."
        ),
        error_messages={"required": gettext_lazy("Please confirm the publication.")},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = (
            PlanVersion.objects.filter(plan=plan).defer("snapshot").order_by("-date", "-id")
        )
        self.fields["version"].label_from_instance = str


def _render_publishing(request, process, plan, form=None, status=200):
    versions = list(_versions(plan))
    public_kwargs = {"municipality_slug": request.municipality.slug, "process_pk": process.pk}
    context = _context(
        request,
        process,
        plan,
        form=form or PublishForm(plan=plan, initial={"version": plan.published_version_id}),
        versions=versions,
        published_version=next((v for v in versions if v.pk == plan.published_version_id), None),
        can_publish=request.user.has_perm(publishing.PUBLISH, request.municipality),
        verified=request.municipality.can_publish,
        public_url=reverse("plans_public:plan", kwargs=public_kwargs),
        data_url=reverse("plans_public:data", kwargs=public_kwargs),
        versions_url=_url("versions", process),
    )
    return render(request, "plans/public/publishing.html", context, status=status)


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def publishing_page(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    if request.method == "GET":
        return _render_publishing(request, process, plan)
    if not request.user.has_perm(publishing.PUBLISH, request.municipality):
        raise PermissionDenied
    form = PublishForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            publishing.plan_publish(plan=plan, user=request.user, version=form.cleaned_data["version"])
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("The version “%(name)s” is now public.") % {"name": form.cleaned_data["version"].name}
            )
            return redirect(_url("publishing", process))
    return _render_publishing(request, process, plan, form=form, status=400)


@municipality_view(publishing.PUBLISH)
@require_POST
def unpublish(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    try:
        publishing.plan_unpublish(plan=plan, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The plan is no longer public."))
    return redirect(_url("publishing", process))


# --- Public page and open data (no login) --------------------------------------------------------------------------


def _published(municipality_slug, process_pk):
    plan = publishing.published_plan(municipality_slug=municipality_slug, process_pk=process_pk)
    if plan is None:
        raise Http404("Not published")
    return plan


@require_GET
def public_plan(request, municipality_slug, process_pk):
    from .versions import snapshot_document

    plan = _published(municipality_slug, process_pk)
    version = plan.published_version
    try:
        document = snapshot_document(version.snapshot)
    except DomainError as error:
        raise Http404("Unreadable version") from error
    today = _today()
    year_from, year_to = timeline.default_years(document, today)
    chart = timeline.build_timeline(document, today=today, year_from=year_from, year_to=year_to)
    context = {
        "plan": plan,
        "municipality": plan.municipality,
        "process": plan.process,
        "version": version,
        "document": document,
        "vision_html": render_markdown(document.get("vision", "")),
        "introduction_html": render_markdown(document.get("introduction", "")),
        "timeline": chart,
        "svg": timeline.timeline_svg(chart, chart_id="public-timeline") if chart.rows else "",
        "legend": timeline.legend(),
        "licence": publishing.LICENCE,
        "data_url": reverse(
            "plans_public:data", kwargs={"municipality_slug": municipality_slug, "process_pk": process_pk}
        ),
    }
    return render(request, "plans/public/plan.html", context)


@require_GET
def public_data(request, municipality_slug, process_pk):
    plan = _published(municipality_slug, process_pk)
    try:
        data = publishing.open_data(plan, request=request)
    except DomainError as error:
        raise Http404("Unreadable version") from error
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response
