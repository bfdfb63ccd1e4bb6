"""Views of the municipal profile (thin: parse, call one service, render).

Every write works with htmx (the changed quadrant / list is returned as a partial) and without
JavaScript (normal POST, then a redirect back to the page).
"""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.comments.selectors import comment_counts
from daks.core.errors import DomainError
from daks.core.forms import apply_domain_error
from daks.core.tenancy import municipality_view
from daks.strategy.models import Step, StrategyProcess
from daks.strategy.steps import STEPS, step_process

from . import selectors, services
from .forms import (
    FieldOfActionForm,
    InterpretationForm,
    MoveForm,
    QuadrantForm,
    SuggestionForm,
    SwotItemForm,
)
from .models import SUGGESTED_TOPICS, FieldOfAction, InterpretationSection, Quadrant, SwotItem

VIEW = "municipalities.view_municipality"
EDIT = "municipalities.edit_content"


def _process(request, pk, step_slug) -> StrategyProcess:
    process = step_process(request, pk, step_slug, Step.PROFILE)
    return process


def _kwargs(process) -> dict:
    return {"municipality_slug": process.municipality.slug, "pk": process.pk, "step_slug": STEPS[Step.PROFILE].slug}


def _swot_url(process, quadrant: str | None = None) -> str:
    url = reverse("profile:swot", kwargs=_kwargs(process))
    return f"{url}#quadrant-{quadrant}" if quadrant else url


def _fields_url(process) -> str:
    return reverse("profile:fields", kwargs=_kwargs(process))


def _base_context(request, process) -> dict:
    definition = STEPS[Step.PROFILE]
    return {
        "municipality": request.municipality,
        "process": process,
        "step": definition,
        "step_pages": definition.page_links(process)[1:],
        "step_url": definition.url(process),
        "can_edit": request.user.has_perm(EDIT, request.municipality),
    }


# --- SWOT board -------------------------------------------------------------------------------


def _row_focus(focus: str, pk: int, *, first: bool, last: bool) -> str:
    """Which control of an entry gets the focus after a swap: "up", "down" or "link" (or none)."""
    wanted = {f"item-{pk}": "link", f"move-up-{pk}": "up", f"move-down-{pk}": "down"}.get(focus, "")
    if wanted == "up" and first:
        wanted = "down" if not last else "link"
    if wanted == "down" and last:
        wanted = "up" if not first else "link"
    return wanted


def _quadrant(
    process,
    quadrant,
    items,
    *,
    evidence,
    comments=None,
    add_form=None,
    editing=None,
    edit_form=None,
    focus="",
    status="",
):
    """Context of one quadrant section: its entries, the add form and at most one entry being edited."""
    selectors.with_indicator_labels(items)
    rows = [
        {
            "item": item,
            "first": index == 0,
            "last": index == len(items) - 1,
            "form": edit_form if editing and item.pk == editing.pk else None,
            "focus": _row_focus(focus, item.pk, first=index == 0, last=index == len(items) - 1),
            "comments": (comments or {}).get(item.pk, 0),
        }
        for index, item in enumerate(items)
    ]
    return {
        "key": quadrant,
        "label": Quadrant(quadrant).label,
        "rows": rows,
        "add_form": add_form or SwotItemForm(prefix=f"add-{quadrant}", evidence=evidence),
        "focus": focus,
        "status": status,
    }


def _render_swot(request, process, *, quadrant=None, evidence=None, **quadrant_kwargs):
    """The board, or (htmx) only the section of ``quadrant``."""
    context = _base_context(request, process)
    evidence = evidence or selectors.evidence_options(process=process)
    if getattr(request, "htmx", False) and quadrant:
        items = selectors.swot_quadrant(process=process, quadrant=quadrant)
        comments = comment_counts(SwotItem, [item.pk for item in items])
        context["q"] = _quadrant(process, quadrant, items, evidence=evidence, comments=comments, **quadrant_kwargs)
        return render(request, "profile/swot_board.html#quadrant", context)
    board = selectors.swot_items(process=process)
    comments = comment_counts(SwotItem, [item.pk for items in board.values() for item in items])
    context["quadrants"] = [
        _quadrant(
            process,
            key,
            board[key],
            evidence=evidence,
            comments=comments,
            **(quadrant_kwargs if key == quadrant else {}),
        )
        for key in Quadrant.values
    ]
    return render(request, "profile/swot_board.html", context)


@municipality_view(VIEW)
def swot_board(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    quadrant = request.GET.get("quadrant")
    return _render_swot(request, process, quadrant=quadrant if quadrant in Quadrant.values else None)


@municipality_view(VIEW)
def swot_print(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    board = selectors.swot_items(process=process)
    for items in board.values():
        selectors.with_indicator_labels(items)
    context = _base_context(request, process)
    context["quadrants"] = [{"key": key, "label": Quadrant(key).label, "items": board[key]} for key in Quadrant.values]
    context["fields"] = selectors.fields_of_action(process=process)
    return render(request, "profile/swot_print.html", context)


@municipality_view(EDIT)
@require_POST
def swot_add(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    quadrant_form = QuadrantForm(request.POST)
    if not quadrant_form.is_valid():
        return HttpResponseBadRequest()
    quadrant = quadrant_form.cleaned_data["quadrant"]
    evidence = selectors.evidence_options(process=process)
    form = SwotItemForm(request.POST, prefix=f"add-{quadrant}", evidence=evidence)
    if form.is_valid():
        try:
            services.swot_item_create(
                actor=request.user,
                municipality=request.municipality,
                process=process,
                quadrant=quadrant,
                **form.service_kwargs(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if request.htmx:
                return _render_swot(
                    request, process, quadrant=quadrant, evidence=evidence, focus="add", status=_("Entry added.")
                )
            messages.success(request, _("The entry has been added."))
            return redirect(_swot_url(process, quadrant))
    return _render_swot(request, process, quadrant=quadrant, evidence=evidence, add_form=form, focus="add")


def _swot_item(request, process, item_pk):
    return get_object_or_404(request.municipality.swot_items.filter(process=process), pk=item_pk)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def swot_edit(request, pk, step_slug, item_pk):
    process = _process(request, pk, step_slug)
    item = _swot_item(request, process, item_pk)
    prefix = f"edit-{item.pk}"
    evidence = selectors.evidence_options(process=process)
    if request.method == "GET":
        form = SwotItemForm(prefix=prefix, initial=SwotItemForm.initial_for(item), evidence=evidence)
        return _render_swot(
            request, process, quadrant=item.quadrant, evidence=evidence, editing=item, edit_form=form, focus="edit"
        )
    form = SwotItemForm(request.POST, prefix=prefix, evidence=evidence)
    if form.is_valid():
        try:
            services.swot_item_update(
                actor=request.user,
                municipality=request.municipality,
                item=item,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except services.EditConflict as conflict:
            selectors.with_indicator_labels([conflict.current])
            form.show_conflict(conflict.current)
            apply_domain_error(form, conflict)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            if request.htmx:
                return _render_swot(
                    request,
                    process,
                    quadrant=item.quadrant,
                    evidence=evidence,
                    focus=f"item-{item.pk}",
                    status=_("Entry saved."),
                )
            messages.success(request, _("The entry has been saved."))
            return redirect(_swot_url(process, item.quadrant))
    return _render_swot(
        request, process, quadrant=item.quadrant, evidence=evidence, editing=item, edit_form=form, focus="edit"
    )


@municipality_view(EDIT)
@require_POST
def swot_delete(request, pk, step_slug, item_pk):
    process = _process(request, pk, step_slug)
    item = _swot_item(request, process, item_pk)
    quadrant = item.quadrant
    services.swot_item_delete(actor=request.user, municipality=request.municipality, item=item)
    if request.htmx:
        return _render_swot(request, process, quadrant=quadrant, focus="heading", status=_("Entry deleted."))
    messages.success(request, _("The entry has been deleted."))
    return redirect(_swot_url(process, quadrant))


@municipality_view(EDIT)
@require_POST
def swot_move(request, pk, step_slug, item_pk):
    process = _process(request, pk, step_slug)
    item = _swot_item(request, process, item_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    direction = form.cleaned_data["direction"]
    services.swot_item_move(actor=request.user, municipality=request.municipality, item=item, direction=direction)
    if request.htmx:
        return _render_swot(
            request, process, quadrant=item.quadrant, focus=f"move-{direction}-{item.pk}", status=_("Entry moved.")
        )
    return redirect(_swot_url(process, item.quadrant))


# --- Fields of action -------------------------------------------------------------------------


def _field_rows(fields):
    comments = comment_counts(FieldOfAction, [f.pk for f in fields])
    return [
        {"field": f, "first": i == 0, "last": i == len(fields) - 1, "comments": comments.get(f.pk, 0)}
        for i, f in enumerate(fields)
    ]


def _render_fields(request, process, *, form=None, focus="", status="", status_code=200):
    context = _base_context(request, process)
    fields = selectors.fields_of_action(process=process)
    existing = {f.title.casefold() for f in fields}
    context.update(
        {
            "rows": _field_rows(fields),
            "focus": focus,
            "status": status,
            "suggestions": [topic for topic in SUGGESTED_TOPICS if topic.casefold() not in existing],
        }
    )
    if request.htmx and not form:
        return render(request, "profile/fields.html#fields-list", context)
    context.update(_field_form_context(process, form or FieldOfActionForm(process=process)))
    return render(request, "profile/fields.html", context, status=status_code)


def _field_form_context(process, form) -> dict:
    selected = {str(value) for value in (form["swot_items"].value() or [])}
    board = selectors.swot_items(process=process)
    return {
        "form": form,
        "swot_groups": [
            {"key": key, "label": Quadrant(key).label, "items": board[key]} for key in Quadrant.values if board[key]
        ],
        "selected": selected,
    }


@municipality_view(VIEW)
def fields(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    return _render_fields(request, process)


@municipality_view(EDIT)
@require_POST
def field_create(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    form = FieldOfActionForm(request.POST, process=process)
    if form.is_valid():
        try:
            services.field_of_action_create(
                actor=request.user, municipality=request.municipality, process=process, **form.service_kwargs()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The field of action has been added."))
            return redirect(_fields_url(process))
    return _render_fields(request, process, form=form)


@municipality_view(EDIT)
@require_POST
def field_suggest(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    form = SuggestionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    try:
        field = services.field_of_action_from_suggestion(
            actor=request.user, municipality=request.municipality, process=process, topic=form.cleaned_data["topic"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” has been added as a field of action.") % {"title": field.title})
    return redirect(_fields_url(process))


def _field(request, process, field_pk):
    return get_object_or_404(request.municipality.fields_of_action.filter(process=process), pk=field_pk)


@municipality_view(EDIT)
@require_http_methods(["GET", "POST"])
def field_edit(request, pk, step_slug, field_pk):
    process = _process(request, pk, step_slug)
    field = _field(request, process, field_pk)
    if request.method == "POST":
        form = FieldOfActionForm(request.POST, process=process)
        if form.is_valid():
            try:
                services.field_of_action_update(
                    actor=request.user,
                    municipality=request.municipality,
                    field=field,
                    expected_version=form.cleaned_data["version"],
                    **form.service_kwargs(),
                )
            except services.EditConflict as conflict:
                form.show_conflict(conflict.current)
                apply_domain_error(form, conflict)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The field of action has been saved."))
                return redirect(_fields_url(process))
    else:
        form = FieldOfActionForm(
            process=process,
            initial={
                "title": field.title,
                "description": field.description,
                "swot_items": [item.pk for item in field.swot_items.all()],
                "version": field.version,
            },
        )
    context = _base_context(request, process)
    context.update(_field_form_context(process, form))
    context["field"] = field
    return render(request, "profile/field_form.html", context)


@municipality_view(EDIT)
@require_POST
def field_delete(request, pk, step_slug, field_pk):
    process = _process(request, pk, step_slug)
    field = _field(request, process, field_pk)
    services.field_of_action_delete(actor=request.user, municipality=request.municipality, field=field)
    if request.htmx:
        return _render_fields(request, process, focus="heading", status=_("Field of action deleted."))
    messages.success(request, _("The field of action has been deleted."))
    return redirect(_fields_url(process))


@municipality_view(EDIT)
@require_POST
def field_move(request, pk, step_slug, field_pk):
    process = _process(request, pk, step_slug)
    field = _field(request, process, field_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    direction = form.cleaned_data["direction"]
    services.field_of_action_move(
        actor=request.user, municipality=request.municipality, field=field, direction=direction
    )
    if request.htmx:
        return _render_fields(request, process, focus=f"move-{direction}-{field.pk}", status=_("Priority changed."))
    return redirect(_fields_url(process))


# --- Statistics (the region's figures from daks.demography, with the editors' interpretations) ----------

#: The page anchors of the statistics sections (as on the public region page).
SECTION_ANCHORS = {
    InterpretationSection.FIGURES: "kennzahlen",
    InterpretationSection.AGE_STRUCTURE: "altersstruktur",
    InterpretationSection.DEVELOPMENT: "entwicklung",
    InterpretationSection.PROJECTION: "vorausberechnung",
    InterpretationSection.COMPARISON: "vergleich",
}


def _statistics_url(process, section: str | None = None) -> str:
    url = reverse("profile:statistics", kwargs=_kwargs(process))
    return f"{url}#{SECTION_ANCHORS[section]}" if section else url


def _comparison_as_table(region, comparison):
    """The comparison of ``demography.views.comparison_table`` as a data table (for the table include)."""
    from daks.demography.views import Cell, Table

    if comparison is None:
        return None
    rows = []
    for row in comparison.rows:
        label = f"{row.label} ({row.unit})" if row.unit else row.label
        rows.append([Cell(label), Cell(row.year if row.year is not None else ""), *(cell for cell, _y in row.cells)])
    caption = _("%(name)s compared with the higher levels (newest year of each figure)") % {"name": region.name}
    return Table(caption, [_("Figure"), _("Year"), *comparison.columns], rows)


def _region_context(region) -> dict:
    """The figures of ``region`` built by the public region page's own functions."""
    from daks.demography import views as demography

    data = demography.region_data(region)
    charts = demography._charts(region, data)
    has_figures = bool(data["facts"] or data["figures"])
    return {
        "region": region,
        "key_figures": demography.key_figures_table(region, data["facts"], data["figures"]) if has_figures else None,
        "key_figures_csv_url": reverse("demography:region_csv", args=[region.key, "kennzahlen"]) if has_figures else "",
        "bases": data["bases"],
        "charts": charts,
        "projections": [
            data["projections"][code] for code in demography.selectors.PAGE_SCENARIOS if code in data["projections"]
        ],
        "comparison": _comparison_as_table(region, demography.comparison_table(region)),
        "similar": demography.similar_regions(region),
        "datasets": data["datasets"],
        "uses_example": data["uses_example"],
        "age_structure_2015": data["age_structure_2015"],
        "age_structure_2015_note": demography.AGE_STRUCTURE_2015_NOTE,
        "attribution": demography.ATTRIBUTION if data["official"] else "",
        "example_attribution": demography.EXAMPLE_ATTRIBUTION,
        "licence_url": demography.OFFICIAL_LICENCE_URL,
        "example_region": demography.is_example_region(region),
    }


def _render_statistics(request, process, *, bound: InterpretationForm | None = None, bound_section: str = ""):
    context = _base_context(request, process)
    key = selectors.statistics_key(process)
    region = selectors.statistics_region(process)
    context.update({"statistics_key": key, "region": region})
    if region is not None:
        context.update(_region_context(region))
    stored = selectors.interpretations(process=process)
    sections = []
    for section in InterpretationSection:
        current = stored.get(section.value)
        if bound is not None and section.value == bound_section:
            form = bound
        else:
            form = InterpretationForm(
                prefix=section.value,
                initial={"text": current.text if current else "", "version": current.version if current else ""},
            )
        sections.append(
            {
                "key": section.value,
                "label": section.label,
                "anchor": SECTION_ANCHORS[section],
                "interpretation": current,
                "form": form,
                "action": reverse("profile:statistics_save", kwargs={**_kwargs(process), "section": section.value}),
            }
        )
    context["sections"] = {item["key"]: item for item in sections}
    context["own_data_url"] = reverse("own_data:list", kwargs={"municipality_slug": request.municipality.slug})
    return render(request, "profile/statistics.html", context)


@municipality_view(VIEW)
def statistics(request, pk, step_slug):
    process = _process(request, pk, step_slug)
    return _render_statistics(request, process)


@municipality_view(EDIT)
@require_POST
def statistics_save(request, pk, step_slug, section):
    process = _process(request, pk, step_slug)
    if section not in InterpretationSection.values:
        raise Http404("No such section")
    form = InterpretationForm(request.POST, prefix=section)
    if form.is_valid():
        try:
            services.interpretation_save(
                actor=request.user,
                municipality=request.municipality,
                process=process,
                section=section,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
            )
        except services.InterpretationConflict as conflict:
            form.show_conflict(conflict.current)
            apply_domain_error(form, conflict)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The interpretation has been saved."))
            return redirect(_statistics_url(process, section))
    return _render_statistics(request, process, bound=form, bound_section=section)
