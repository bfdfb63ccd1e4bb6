"""The 422 body helper of the workspace schemas (``german_validation_errors``) and the text checks."""

import pytest
from django.utils import translation
from pydantic import ValidationError

from daks.api.schemas_workspace import MeasureCreate, ProcessCreate, german_validation_errors


def _errors(schema, data):
    with pytest.raises(ValidationError) as caught:
        schema.model_validate(data)
    return caught.value.errors()


def test_first_error_becomes_detail_and_field_with_the_limit():
    body = german_validation_errors(_errors(ProcessCreate, {"title": "x" * 201, "start_date": "2026-01-01"}))
    assert body["field"] == "title"
    assert "200" in body["detail"]
    assert body["errors"] == [{"field": "title", "loc": ["title"], "detail": body["detail"]}]


def test_messages_are_in_the_active_language():
    errors = _errors(ProcessCreate, {"title": "x" * 201, "start_date": "2026-01-01"})
    with translation.override("de"):
        assert german_validation_errors(errors)["detail"] == "Bitte kürzen Sie den Text auf höchstens 200 Zeichen."


def test_every_error_is_listed_with_its_field():
    body = german_validation_errors(
        _errors(MeasureCreate, {"title": "", "progress": 101, "milestones": [{"title": "M"}]})
    )
    fields = [item["field"] for item in body["errors"]]
    assert fields == ["field_of_action", "title", "progress", "milestones.0.due_date"]
    assert all(item["detail"] for item in body["errors"])
    assert "100" in body["errors"][2]["detail"]


def test_loc_prefixes_of_ninja_are_not_part_of_the_field():
    body = german_validation_errors([{"type": "missing", "loc": ("body", "payload", "title"), "msg": "Field required"}])
    assert body["field"] == "title"


@pytest.mark.parametrize("text", ["NUL\x00", "halb\ud800"])
def test_text_the_database_cannot_store_is_refused(text):
    errors = _errors(ProcessCreate, {"title": text, "start_date": "2026-01-01"})
    assert errors[0]["type"] in ("text_nul", "string_unicode")
    assert german_validation_errors(errors)["detail"] != errors[0]["type"]


def test_unknown_error_types_keep_their_message_and_no_errors_give_a_general_detail():
    assert german_validation_errors([{"type": "x", "loc": ("q",), "msg": "odd"}])["detail"] == "odd"
    assert german_validation_errors([])["errors"] == []
