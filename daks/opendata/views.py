"""Open data pages: the overview with the downloads, the data dictionary (HTML and datapackage.json), the files.

All public, without login and without cookies. The files are served from the directory of the last build
(``FileResponse``, cacheable, ``ETag``/``Last-Modified`` from the file, 304 on a match). Only the names of
``dictionary.FILES`` can be requested; any other name is a 404 (no path is built from the address).
"""

from __future__ import annotations

import json
import os

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from daks.core.caching import public_page
from daks.demography.models import Level, Sex

from . import dictionary as d
from . import selectors

#: Seconds a browser or proxy may keep a downloaded file (the build replaces files at most a few times a day).
FILE_MAX_AGE = 3600


def _scenarios():
    from .build import scenarios

    return scenarios()


@require_safe
@public_page(max_age=300)
def index(request):
    status = selectors.open_data_status()
    return render(request, "opendata/index.html", {"status": status, **_licence_context()})


def _licence_context() -> dict:
    return {
        "licence_title": d.LICENCE_TITLE,
        "licence_id": d.LICENCE_ID,
        "licence_url": d.LICENCE_URL,
        "copyright": d.COPYRIGHT,
        "regions_copyright": d.REGIONS_COPYRIGHT,
        "modified_note": d.MODIFIED_NOTE,
        "example_note": d.EXAMPLE_NOTE,
        "official_source": d.OFFICIAL_SOURCE,
    }


@require_safe
@public_page(max_age=3600)
def data_dictionary(request):
    indicators = d.indicators()
    groups = [
        ("population", [i for i in indicators if i.group == "population"]),
        ("age", [i for i in indicators if i.group == "age"]),
        ("change", [i for i in indicators if i.group == "change"]),
        ("movement", [i for i in indicators if i.group == "movement"]),
        ("projection", [i for i in indicators if i.group == "projection"]),
    ]
    return render(
        request,
        "opendata/dictionary.html",
        {
            "datasets": d.DATASETS,
            "files": d.FILES,
            "indicators": indicators,
            "indicator_groups": groups,
            "units": d.UNITS,
            "levels": Level.choices,
            "sexes": Sex.choices,
            "age_groups": d.AGE_GROUPS,
            "scenarios": _scenarios(),
            **_licence_context(),
        },
    )


def datapackage(status: selectors.OpenDataStatus, absolute) -> dict:
    """A Frictionless Data Package (v1) describing the files: schemas, units, indicators, licence, sources."""
    entries = {f.name: f for dataset in status.datasets for f in dataset.files}
    entries[status.licence.name] = status.licence
    resources = []
    for spec in d.FILES:
        info = entries[spec.name]
        resource = {
            "name": spec.name.lower().replace(".", "-"),
            "path": absolute(reverse("opendata:file", args=[spec.name])),
            "format": spec.format,
            "mediatype": spec.media_type.split(";")[0],
            "encoding": "utf-8",
        }
        dataset = d.DATASETS_BY_CODE.get(spec.dataset)
        if dataset is not None:
            resource["title"] = str(dataset.title)
            resource["description"] = str(dataset.description)
        if spec.format == "csv" and dataset is not None:
            resource["profile"] = "tabular-data-resource"
            resource["dialect"] = {"delimiter": ",", "quoteChar": '"', "lineTerminator": "\r\n", "header": True}
            resource["schema"] = {
                "fields": [_field(column) for column in dataset.columns],
                "missingValues": [""],
            }
        else:
            resource["profile"] = "data-resource"
        if info.available:
            resource["bytes"] = info.bytes
            if info.sha256:
                resource["hash"] = f"sha256:{info.sha256}"
            if info.rows is not None and spec.format != "txt":
                resource["rows"] = info.rows
        resources.append(resource)
    package = {
        "profile": "data-package",
        "name": "daks-offene-daten",
        "title": "DAKS – Offene Daten: Regionen, Kennzahlen und Bevölkerungsvorausberechnungen",
        "homepage": absolute(reverse("opendata:index")),
        "licenses": [{"name": d.LICENCE_ID, "title": d.LICENCE_TITLE, "path": d.LICENCE_URL}],
        "sources": [{"title": d.OFFICIAL_SOURCE}]
        + [{"title": f"{t['table_code']} {t['title']}".strip()} for t in status.tables],
        "attribution": status.attribution,
        "contains_example_data": status.contains_example_data,
        "created": status.generated_at.isoformat() if status.generated_at else None,
        "resources": resources,
        "units": [{"code": unit.code, "label": str(unit.label)} for unit in d.UNITS],
        "indicators": [
            {"code": i.code, "label": str(i.label), "unit": i.unit, "definition": str(i.definition)}
            for i in d.indicators()
        ],
        "scenarios": _scenarios(),
        "age_groups": list(d.AGE_GROUPS),
    }
    return package


def _field(column: d.Column) -> dict:
    field = {"name": column.name, "type": column.type, "description": str(column.description)}
    if column.type == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    if column.unit:
        field["unit"] = column.unit
    if column.values:
        field["constraints"] = {"enum": list(column.values)}
    if column.name == "region_key":
        field["constraints"] = {"required": True}
    return field


@require_safe
@public_page(max_age=3600)
def datapackage_json(request):
    package = datapackage(selectors.open_data_status(), request.build_absolute_uri)
    return HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=2),
        content_type="application/json",
    )


@require_safe
def download(request, filename: str):
    """One file of the last build; 404 for unknown names and files not generated yet."""
    path = selectors.file_path(filename)
    if path is None:
        raise Http404("unknown file")
    spec = d.FILES_BY_NAME[filename]
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404("not generated yet") from None
    # The build replaces files by renaming, so the opened handle keeps serving one complete version.
    stat = os.fstat(handle.fileno())
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    last_modified = int(stat.st_mtime)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        handle.close()
        _headers(not_modified, etag, last_modified)
        return not_modified
    response = FileResponse(handle, as_attachment=True, filename=spec.name, content_type=spec.media_type)
    _headers(response, etag, last_modified)
    if spec.format in ("csv", "txt"):
        licence = reverse("opendata:file", args=["LIZENZ.txt"])
        response["Link"] = f'<{d.LICENCE_URL}>; rel="license", <{licence}>; rel="describedby"'
    return response


def _headers(response, etag: str, last_modified: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=FILE_MAX_AGE)
