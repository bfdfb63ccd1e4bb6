"""Views of the versions (Fassungen), the change history of a measure and the measure import.

Thin: parse, call one service or selector, render. Readers see versions and histories; only Koordination
freezes a version (``plans.freeze_version``); members who edit content may import measures.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.richtext import render_markdown
from daks.core.tenancy import municipality_view
from daks.strategy.models import Step, StrategyProcess
from daks.strategy.steps import STEPS, step_process

from . import importer, services, versions
from .forms_versions import CURRENT, CompareForm, ImportUploadForm, MappingForm, VersionForm
from .models import Measure, Plan, PlanVersion

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"
FREEZE = "plans.freeze_version"
PREVIEW_ROWS = 50


def _plan(request, pk, step_slug) -> tuple[StrategyProcess, Plan]:
    process = step_process(request, pk, step_slug, Step.PLAN)
    plan = services.plan_get_or_create(process=process)
    plan.process = process
    plan.municipality = request.municipality
    return process, plan


def _kwargs(process) -> dict:
    return {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": STEPS[Step.PLAN].slug}


def _url(name: str, process, **extra) -> str:
    return reverse(f"plans:{name}", kwargs={**_kwargs(process), **extra})


def _context(request, process, plan, **extra) -> dict:
    definition = STEPS[Step.PLAN]
    return {
        "municipality": request.municipality,
        "process": process,
        "plan": plan,
        "step": definition,
        "step_pages": definition.page_links(process)[1:],
        "step_url": definition.url(process),
        "can_edit": request.user.has_perm(EDIT, request.municipality),
        "can_freeze": request.user.has_perm(FREEZE, request.municipality),
        **extra,
    }


def _version(plan, version_pk) -> PlanVersion:
    return get_object_or_404(PlanVersion.objects.filter(plan=plan).select_related("created_by"), pk=version_pk)


# --- Versions -----------------------------------------------------------------------------------


@municipality_view(VIEW)
@require_http_methods(["GET", "POST"])
def version_list(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    form = VersionForm()
    if request.method == "POST":
        if not request.user.has_perm(FREEZE, request.municipality):
            raise PermissionDenied
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                version = versions.version_create(
                    plan=plan, actor=request.user, name=form.cleaned_data["name"], date=form.cleaned_data["date"]
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The version “%(name)s” has been saved.") % {"name": version.name})
                return redirect(_url("version_detail", process, version_pk=version.pk))
    items = list(versions.plan_versions(plan))
    compare_form = None
    if items:
        initial = {"a": str(items[1].pk) if len(items) > 1 else str(items[0].pk)}
        initial["b"] = str(items[0].pk) if len(items) > 1 else CURRENT
        compare_form = CompareForm(versions=items, initial=initial)
    status = 400 if form.errors else 200
    return render(
        request,
        "plans/versions/version_list.html",
        _context(request, process, plan, versions=items, form=form, compare_form=compare_form),
        status=status,
    )


@municipality_view(VIEW)
@require_GET
def version_detail(request, pk, step_slug, version_pk):
    process, plan = _plan(request, pk, step_slug)
    version = _version(plan, version_pk)
    try:
        document = versions.snapshot_document(version.snapshot)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_url("versions", process))
    return render(
        request,
        "plans/versions/version_detail.html",
        _context(
            request,
            process,
            plan,
            version=version,
            document=document,
            vision_html=render_markdown(document["vision"]),
            introduction_html=render_markdown(document["introduction"]),
        ),
    )


@municipality_view(VIEW)
@require_GET
def version_compare(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    items = list(versions.plan_versions(plan))
    form = CompareForm(request.GET or None, versions=items)
    diff = old_label = new_label = None
    if request.GET and form.is_valid():
        states = {}
        for key in ("a", "b"):
            value = form.cleaned_data[key]
            if value == CURRENT:
                states[key] = (_("Current plan"), versions.plan_snapshot(plan))
            else:
                version = _version(plan, value)
                states[key] = (str(version), version.snapshot)
        try:
            diff = versions.version_diff(states["a"][1], states["b"][1])
        except DomainError as error:
            form.add_error(None, error.message)
        old_label, new_label = states["a"][0], states["b"][0]
    return render(
        request,
        "plans/versions/version_compare.html",
        _context(
            request, process, plan, versions=items, form=form, diff=diff, old_label=old_label, new_label=new_label
        ),
        status=400 if request.GET and form.errors else 200,
    )


# --- Change history of a measure ----------------------------------------------------------------


@municipality_view(VIEW)
@require_GET
def measure_history(request, pk, step_slug, measure_pk):
    process, plan = _plan(request, pk, step_slug)
    measure = get_object_or_404(Measure.objects.filter(plan=plan, municipality=request.municipality), pk=measure_pk)
    return render(
        request,
        "plans/versions/measure_history.html",
        _context(request, process, plan, measure=measure, history=versions.measure_history(measure)),
    )


# --- Import -------------------------------------------------------------------------------------


@municipality_view(VIEW)
@require_GET
def import_template(request, pk, step_slug, fmt):
    _process, plan = _plan(request, pk, step_slug)
    if fmt == "xlsx":
        content, mimetype = importer.template_xlsx(plan), importer.XLSX_MIME
    elif fmt == "csv":
        content, mimetype = importer.template_csv(), "text/csv; charset=utf-8"
    else:
        raise Http404("Unknown format")
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="massnahmen-vorlage.{fmt}"'
    return response


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def import_upload(request, pk, step_slug):
    process, plan = _plan(request, pk, step_slug)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = importer.read_table(upload)
        except importer.ImportFileError as error:
            form.add_error("file", error.message)
        else:
            token = importer.store_upload(plan=plan, user=request.user, filename=upload.name, table=table)
            return redirect(_url("import_mapping", process, token=token))
    return render(
        request,
        "plans/versions/import_upload.html",
        _context(request, process, plan, form=form, max_rows=importer.MAX_ROWS, headings=importer.COLUMNS),
        status=400 if form.errors else 200,
    )


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk, step_slug, token):
    process, plan = _plan(request, pk, step_slug)
    upload = importer.load_upload(plan=plan, user=request.user, token=token)
    if upload is None:
        messages.error(request, _("The uploaded file has expired. Please upload it again."))
        return redirect(_url("import", process))
    table = upload["table"]
    header = [str(cell) for cell in table[0]]
    form = MappingForm(request.POST or None, header=header, initial_mapping=importer.guess_mapping(header))
    report = None
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        report = importer.validate_rows(plan=plan, table=table, mapping=form.mapping())
        for message in report.mapping_errors:
            form.add_error(None, message)
        errors = report.errors
        if request.POST.get("action") == "import" and report.ok:
            try:
                created = importer.measures_import(
                    plan=plan, user=request.user, rows=report.rows, filename=upload["filename"]
                )
            except importer.ImportRowsError as error:
                errors = error.errors
            else:
                importer.discard_upload(token)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s measure has been imported.", "%(count)s measures have been imported.", len(created)
                    )
                    % {"count": len(created)},
                )
                return redirect(_url("measures", process))
    return render(
        request,
        "plans/versions/import_mapping.html",
        _context(
            request,
            process,
            plan,
            form=form,
            token=token,
            filename=upload["filename"],
            row_count=sum(1 for row in table[1:] if any(str(cell).strip() for cell in row)),
            report=report,
            import_errors=errors,
            preview=report.rows[:PREVIEW_ROWS] if report and report.ok else [],
            hidden_rows=max(0, len(report.rows) - PREVIEW_ROWS) if report and report.ok else 0,
        ),
        status=400 if form.errors or errors else 200,
    )
