"""Views of a Kommune's projection scenarios (/kommunen/<slug>/daten/szenarien/): thin — services write.

The presets are shown read-only; the Kommune's own scenarios are looked up through
``request.municipality.projection_scenarios`` (another Kommune's scenario is a 404). Their projections are the
Kommune's non-public data and appear only here, never on the public region pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.tenancy import municipality_view

from . import charts, scenarios, selectors
from .forms import ScenarioForm
from .models import Projection, ProjectionScenario, Region
from .views import Cell, Table

ASSUMPTIONS = ("fertility_factor", "life_expectancy_shift", "migration_factor")


def _own(request):
    return request.municipality.projection_scenarios.all()


def _presets() -> list[ProjectionScenario]:
    order = {code: index for index, code in enumerate(selectors.PAGE_SCENARIOS)}
    presets = ProjectionScenario.objects.filter(municipality__isnull=True)
    return sorted(presets, key=lambda s: (order.get(s.code, len(order)), s.code))


def _region_problem(municipality) -> str:
    try:
        scenarios.check_region(municipality)
    except DomainError as error:
        return error.message
    return ""


def _region_keys(municipality) -> list[str]:
    """The Kommune's region (Gemeinde or Kreis), its Kreis and its Land, most specific first, without repeats."""
    key = municipality.official_key or ""
    return list(dict.fromkeys(k for k in (key, key[:5], key[:2]) if k))


def _points(projection: Projection) -> list[tuple[int, float]]:
    return [(projection.base_year + i, v) for i, v in enumerate(projection.totals or []) if v is not None]


def _value(projection: Projection | None, year: int):
    if projection is None:
        return None
    index = year - projection.base_year
    return projection.totals[index] if 0 <= index < len(projection.totals or []) else None


def _comparison(scenario, own: dict[str, Projection], medium: dict[str, Projection], names: dict[str, str], keys):
    """Chart and tables of a computed own scenario against the medium preset, for the Kommune's region."""
    key = next((k for k in keys if k in own), None)
    if key is None:
        return None
    projection, reference = own[key], medium.get(key)
    name = names.get(key, key)
    series = [(scenario.name, _points(projection))]
    if reference is not None:
        series.append((reference.scenario.name, _points(reference)))
    years = sorted({year for _label, points in series for year, _v in points})
    headers = [_("Year"), scenario.name]
    if reference is not None:
        headers += [reference.scenario.name, _("Difference")]
    rows = []
    for year in years:
        value, base = _value(projection, year), _value(reference, year)
        row = [Cell(year), Cell(value, 0)]
        if reference is not None:
            row += [Cell(base, 0), Cell(value - base if value is not None and base is not None else None, 0)]
        rows.append(row)
    caption = _("Projected population of %(name)s: %(scenario)s and the medium preset") % {
        "name": name,
        "scenario": scenario.name,
    }
    table = Table(caption, headers, rows)
    points = series[0][1]
    title = _("Population projection for %(name)s until %(year)s") % {"name": name, "year": projection.horizon_year}
    desc = _("%(variant)s: from %(start)s (%(base_year)s) to %(end)s (%(horizon_year)s).") % {
        "variant": scenario.name,
        "start": charts.localised(points[0][1]),
        "base_year": points[0][0],
        "end": charts.localised(points[-1][1]),
        "horizon_year": points[-1][0],
    }
    end_reference = _value(reference, points[-1][0])
    if end_reference is not None:
        desc += " " + _("%(variant)s: %(end)s in %(year)s.") % {
            "variant": reference.scenario.name,
            "end": charts.localised(end_reference),
            "year": points[-1][0],
        }
    svg = charts.line_svg(
        series,
        title=title,
        desc=desc,
        chart_id=f"chart-scenario-{scenario.pk}",
        y_label=_("Population"),
    )
    regions = []
    for k in keys:
        if k in own:
            p, m = own[k], medium.get(k)
            regions.append(
                [
                    Cell(names.get(k, k)),
                    Cell(_value(p, p.base_year), 0),
                    Cell(_value(p, p.horizon_year), 0),
                    Cell(_value(m, p.horizon_year), 0),
                ]
            )
    summary = Table(
        _("Population in %(year)s by region: %(scenario)s and the medium preset")
        % {"year": projection.horizon_year, "scenario": scenario.name},
        [
            _("Region"),
            _("Population %(year)s") % {"year": projection.base_year},
            _("%(variant)s %(year)s") % {"variant": scenario.name, "year": projection.horizon_year},
            _("%(variant)s %(year)s")
            % {
                "variant": reference.scenario.name if reference else _("Medium preset"),
                "year": projection.horizon_year,
            },
        ],
        regions,
    )
    return {
        "title": title,
        "svg": svg,
        "table": table,
        "summary": summary,
        "region_name": name,
        "has_reference": reference is not None,
        "base_year": projection.base_year,
        "horizon_year": projection.horizon_year,
    }


@municipality_view("municipalities.view_municipality")
@require_GET
def scenario_list(request):
    municipality = request.municipality
    own = list(_own(request).select_related("created_by").order_by("name", "pk"))
    keys = _region_keys(municipality)
    done = [s for s in own if s.status == ProjectionScenario.Status.DONE]
    by_scenario: dict[int, dict[str, Projection]] = {}
    medium: dict[str, Projection] = {}
    names: dict[str, str] = {}
    if done and keys:
        for projection in Projection.objects.filter(scenario__in=done, region_key__in=keys):
            by_scenario.setdefault(projection.scenario_id, {})[projection.region_key] = projection
        medium = {
            p.region_key: p
            for p in Projection.objects.filter(
                scenario__municipality__isnull=True, scenario__code="medium", region_key__in=keys
            ).select_related("scenario")
        }
        names = dict(Region.objects.filter(key__in=keys).values_list("key", "name"))
    items = [
        {"scenario": s, "comparison": _comparison(s, by_scenario.get(s.pk, {}), medium, names, keys)}
        if s.pk in by_scenario
        else {"scenario": s, "comparison": None}
        for s in own
    ]
    return render(
        request,
        "demography/scenarios/scenario_list.html",
        {
            "municipality": municipality,
            "presets": _presets(),
            "items": items,
            "region_problem": _region_problem(municipality),
            "can_edit": request.user.has_perm("municipalities.edit_content", municipality),
        },
    )


def _save(request, form, scenario=None):
    """Run the service for a valid form; returns the scenario or None (errors added to the form)."""
    data = {field: form.cleaned_data[field] for field in ("name", "description", *ASSUMPTIONS)}
    try:
        if scenario is None:
            return scenarios.scenario_create(actor=request.user, municipality=request.municipality, **data)
        return scenarios.scenario_update(
            actor=request.user, municipality=request.municipality, scenario=scenario, **data
        )
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


def _saved_message(request, scenario) -> None:
    if scenario.is_pending:
        messages.success(request, _("“%(name)s” has been saved and is being calculated now.") % {"name": scenario.name})
    else:
        messages.success(request, _("“%(name)s” has been saved.") % {"name": scenario.name})


def _list_url(municipality, scenario=None) -> str:
    url = reverse("own_data:scenarios", kwargs={"municipality_slug": municipality.slug})
    return f"{url}#scenario-{scenario.pk}" if scenario is not None else url


@municipality_view("municipalities.edit_content")
@require_http_methods(["GET", "POST"])
def scenario_create(request):
    municipality = request.municipality
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scenario = _save(request, form)
        if scenario is not None:
            _saved_message(request, scenario)
            return redirect(_list_url(municipality, scenario))
    return render(
        request,
        "demography/scenarios/scenario_form.html",
        {
            "municipality": municipality,
            "form": form,
            "scenario": None,
            "presets": _presets(),
            "region_problem": _region_problem(municipality),
        },
    )


@municipality_view("municipalities.edit_content")
@require_http_methods(["GET", "POST"])
def scenario_edit(request, pk):
    municipality = request.municipality
    scenario = get_object_or_404(_own(request), pk=pk)
    initial = {"name": scenario.name, "description": scenario.description}
    initial |= {field: getattr(scenario, field) for field in ASSUMPTIONS}
    form = ScenarioForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, scenario)
        if saved is not None:
            _saved_message(request, saved)
            return redirect(_list_url(municipality, saved))
        scenario.refresh_from_db()  # the form shows the errors; the heading keeps the stored name
    return render(
        request,
        "demography/scenarios/scenario_form.html",
        {
            "municipality": municipality,
            "form": form,
            "scenario": scenario,
            "presets": _presets(),
            "region_problem": _region_problem(municipality),
        },
    )


@municipality_view("municipalities.edit_content")
@require_POST
def scenario_delete(request, pk):
    municipality = request.municipality
    scenario = get_object_or_404(_own(request), pk=pk)
    name = scenario.name
    try:
        scenarios.scenario_delete(actor=request.user, municipality=municipality, scenario=scenario)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": name})
    return redirect(_list_url(municipality))


@municipality_view("municipalities.view_municipality")
@require_GET
def scenario_status(request, pk):
    """The status fragment (htmx polls it every 2 s while queued or running); without htmx: the list page."""
    municipality = request.municipality
    scenario = get_object_or_404(_own(request), pk=pk)
    if not request.headers.get("HX-Request"):
        return redirect(_list_url(municipality, scenario))
    if request.GET.get("seen") == scenario.status_token:
        response = HttpResponse(status=204)  # nothing new: no swap, no repeated announcement
    else:
        response = render(
            request,
            "demography/scenarios/includes/status.html",
            {"municipality": municipality, "scenario": scenario, "polled": True},
        )
    patch_vary_headers(response, ["HX-Request"])
    add_never_cache_headers(response)
    return response
