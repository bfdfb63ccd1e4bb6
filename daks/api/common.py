"""What every router of the API shares: pagination, error schema, conditional-request helpers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100


class Error(Schema):
    detail: str


class Pagination(PaginationBase):
    """``?page=1&page_size=50`` (at most 100): ``{"count", "page", "page_size", "results"}``. Querysets must be
    ordered by a unique key (stable ordering, so pages neither repeat nor skip items)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1")
        page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Items per page (at most 100)")

    class Output(Schema):
        count: int
        page: int
        page_size: int
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination: Input, request, **params):
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": pagination.page_size,
            "results": list(queryset[offset : offset + pagination.page_size]),
        }


def set_last_modified(request, moment: datetime | None) -> None:
    """Let the API middleware send ``Last-Modified`` (and answer ``If-Modified-Since``) for this response."""
    if moment is not None:
        request.daks_last_modified = int(moment.timestamp())


# --- Errors ---------------------------------------------------------------------------------------


class FieldError(Schema):
    detail: str
    field: str | None = None


class ValidationErrorOut(Schema):
    """422: the body or a parameter does not fit the schema (nothing was written)."""

    detail: str | list[dict[str, Any]]
    field: str | None = None
    errors: list[dict[str, Any]] | None = None


#: Messages of the pydantic error types a client can cause, for the 422 handler (``german_validation_errors``).
def _validation_messages() -> dict[str, str]:
    return {
        "missing": _("This field is required."),
        "string_too_long": _("Please shorten this text to at most %(count)d characters."),
        "string_too_short": _("Please fill in this field."),
        "string_pattern_mismatch": _("Please fill in this field."),
        "string_type": _("Please enter a text."),
        "string_unicode": _("The text contains invalid characters."),
        "int_type": _("Please enter a whole number."),
        "int_parsing": _("Please enter a whole number."),
        "int_from_float": _("Please enter a whole number."),
        "greater_than_equal": _("Please enter a value of at least %(ge)s."),
        "less_than_equal": _("Please enter a value of at most %(le)s."),
        "decimal_type": _("Please enter a number."),
        "decimal_parsing": _("Please enter a number."),
        "finite_number": _("Please enter a number."),
        "decimal_max_digits": _("Please enter a number with at most %(max_digits)s digits."),
        "decimal_max_places": _("Please enter a number with at most %(decimal_places)s decimal places."),
        "decimal_whole_digits": _("Please enter a smaller number."),
        "date_type": _("Please enter a valid date (YYYY-MM-DD)."),
        "date_parsing": _("Please enter a valid date (YYYY-MM-DD)."),
        "date_from_datetime_parsing": _("Please enter a valid date (YYYY-MM-DD)."),
        "date_from_datetime_inexact": _("Please enter a valid date (YYYY-MM-DD)."),
        "bool_type": _("Please enter true or false."),
        "bool_parsing": _("Please enter true or false."),
        "enum": _("Please choose one of the allowed values: %(expected)s."),
        "literal_error": _("Please choose one of the allowed values: %(expected)s."),
        "list_type": _("Please enter a list."),
        "too_long": _("Please give at most %(max_length)s entries."),
        "extra_forbidden": _("This field is unknown."),
        "model_attributes_type": _("Please send a JSON object."),
        "dict_type": _("Please send a JSON object."),
    }


def german_validation_errors(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The 422 body in the active language: ``{"detail": <first message>, "field": …, "errors": [...]}``.

    Used by the API's handler of ``ninja.errors.ValidationError`` (daks/api/api.py) for every router."""
    messages = _validation_messages()
    items = []
    for error in errors:
        loc = [part for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        context = {key: value for key, value in (error.get("ctx") or {}).items() if isinstance(value, str | int)}
        context.setdefault("count", context.get("max_length", 0))
        template = messages.get(error.get("type", ""))
        if template is None:
            message = str(error.get("msg") or _("Please check this value."))
        else:
            try:
                message = template % context
            except (KeyError, TypeError, ValueError):
                message = _("Please check this value.")
        field = ".".join(str(part) for part in loc) or None
        items.append({"field": field, "loc": list(error.get("loc", ())), "detail": message})
    if not items:
        return {"detail": _("Please check your input."), "field": None, "errors": []}
    return {"detail": items[0]["detail"], "field": items[0]["field"], "errors": items}
