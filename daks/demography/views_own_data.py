"""Views of a Kommune's own data (uploads): thin — the form parses, the services write.

Everything is looked up through ``request.municipality.datasets``, so another Kommune's dataset is a 404.
"""

import csv
import io

from django.contrib import messages
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from daks.core.errors import DomainError
from daks.core.tenancy import municipality_view

from . import statistics
from .forms import OwnDataUploadForm
from .models import DatasetFormat, Sex

SEX_COLUMNS = (Sex.MALE, Sex.FEMALE, Sex.TOTAL)


def _own_datasets(request):
    return request.municipality.datasets.filter(format=DatasetFormat.OWN_CSV)


def _table(dataset):
    """Rows ``(district, age_group, {sex: value})`` ordered by district and age (totals last)."""
    cells: dict[tuple[str, str], dict[str, float | None]] = {}
    order: dict[tuple[str, str], tuple] = {}
    for district, age_group, age_from, age_to, sex, value in dataset.observations.values_list(
        "district", "age_group", "age_from", "age_to", "sex", "value"
    ):
        key = (district, age_group)
        cells.setdefault(key, {})[sex] = value
        order[key] = (district, age_from is None, age_from or 0, age_to if age_to is not None else 999)
    return [(district, age, cells[(district, age)]) for district, age in sorted(cells, key=order.__getitem__)]


def _count(value) -> str:
    return "" if value is None else str(int(value)) if float(value).is_integer() else str(value)


@municipality_view("municipalities.view_municipality")
def dataset_list(request):
    municipality = request.municipality
    return render(
        request,
        "demography/own_data/dataset_list.html",
        {
            "municipality": municipality,
            "datasets": _own_datasets(request)
            .select_related("imported_by")
            .annotate(reference_date=Max("observations__date")),
            "can_edit": request.user.has_perm("municipalities.edit_content", municipality),
        },
    )


@municipality_view("municipalities.edit_content")
@require_http_methods(["GET", "POST"])
def dataset_upload(request):
    municipality = request.municipality
    form = OwnDataUploadForm(request.POST or None, request.FILES or None)
    report: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = statistics.own_data_import(
                municipality=municipality,
                user=request.user,
                file=upload,
                filename=upload.name,
                title=form.cleaned_data["title"],
                reference_date=form.cleaned_data["reference_date"],
            )
        except statistics.StatisticsImportError as error:
            report = error.errors
            form.add_error("file", _("The file contains errors; nothing has been saved. See the report below."))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("%(count)d values have been saved.") % {"count": result.values})
            return redirect("own_data:detail", municipality_slug=municipality.slug, pk=result.dataset.pk)
    return render(
        request,
        "demography/own_data/dataset_upload.html",
        {"municipality": municipality, "form": form, "report": report, "report_limit": statistics.REPORT_LIMIT},
    )


@municipality_view("municipalities.view_municipality")
def dataset_detail(request, pk):
    municipality = request.municipality
    dataset = get_object_or_404(_own_datasets(request).select_related("imported_by"), pk=pk)
    rows = _table(dataset)
    return render(
        request,
        "demography/own_data/dataset_detail.html",
        {
            "municipality": municipality,
            "dataset": dataset,
            "reference_date": dataset.observations.aggregate(date=Max("date"))["date"],
            "rows": [(district, age, [cells.get(sex.value) for sex in SEX_COLUMNS]) for district, age, cells in rows],
            "has_districts": any(district for district, _age, _cells in rows),
            "sexes": [(sex.value, sex.label) for sex in SEX_COLUMNS],
            "can_edit": request.user.has_perm("municipalities.edit_content", municipality),
        },
    )


@municipality_view("municipalities.view_municipality")
def dataset_download(request, pk):
    """Exactly the stored values, in the upload format (``alter;geschlecht;anzahl[;ortsteil]``)."""
    dataset = get_object_or_404(_own_datasets(request), pk=pk)
    rows = _table(dataset)
    has_districts = any(district for district, _age, _cells in rows)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["alter", "geschlecht", "anzahl", *(["ortsteil"] if has_districts else [])])
    for district, age, cells in rows:
        for sex in SEX_COLUMNS:
            if sex.value in cells:
                row = [
                    "insgesamt" if age == "total" else age,
                    statistics.OWN_SEX_OUT[sex.value],
                    _count(cells[sex.value]),
                ]
                writer.writerow(row + ([district] if has_districts else []))
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    name = slugify(dataset.title)[:60] or "daten"
    response["Content-Disposition"] = f'attachment; filename="{name}-{dataset.pk}.csv"'
    return response


@municipality_view("municipalities.edit_content")
@require_POST
def dataset_delete(request, pk):
    dataset = get_object_or_404(_own_datasets(request), pk=pk)
    title = dataset.title
    try:
        statistics.dataset_delete(actor=request.user, dataset=dataset)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": title})
    return redirect("own_data:list", municipality_slug=request.municipality.slug)
