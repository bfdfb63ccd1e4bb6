"""The export can't silently miss data: every model related to a Kommune is classified, consistently."""

# ruff: noqa: DJ008 - throwaway models of a test

from django.db import models
from django.test.utils import isolate_apps

from daks.municipalities.models import Municipality
from daks.portability import registry


def test_every_model_related_to_a_municipality_is_classified():
    assert registry.unclassified_models() == [], (
        "Models with a relation to municipalities.Municipality must be listed in daks/portability/registry.py, "
        "either in INCLUDED (exported) or in EXCLUDED (with the reason)."
    )


def test_the_classification_is_consistent():
    assert registry.classification_problems() == []


@isolate_apps("daks.portability")
def test_a_new_model_with_a_municipality_relation_is_reported_until_it_is_classified():
    class Note(models.Model):
        municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE)

        class Meta:
            app_label = "portability"

    class NoteAttachment(models.Model):  # related only indirectly, through the note
        note = models.ForeignKey(Note, on_delete=models.CASCADE)

        class Meta:
            app_label = "portability"

    class Unrelated(models.Model):
        title = models.CharField(max_length=10)

        class Meta:
            app_label = "portability"

    from django.apps import apps

    all_models = [*apps.get_models(), Note, NoteAttachment, Unrelated]
    assert registry.unclassified_models(all_models) == ["portability.Note", "portability.NoteAttachment"]


def test_many_to_many_paths_count_as_relations():
    # A newsletter issue reaches the Kommune only through its news items (many-to-many): still classified.
    assert "news.NewsletterIssue" in registry.linked_models()
    assert "news.NewsletterIssue" in registry.EXCLUDED


def test_secrets_and_derived_indexes_are_never_exported():
    assert "token_hash" in registry.INCLUDED["municipalities.Invitation"].omit
    for label in ("meetings.MeetingInvitation", "workshops.ParticipationLink", "reviews.SurveyInvitation"):
        assert "token_hash" in registry.INCLUDED[label].omit
    assert "open_link_token_hash" in registry.INCLUDED["reviews.Survey"].omit
    assert {"search_vector", "search_head", "keywords"} <= set(registry.INCLUDED["toolbox.Tool"].omit)
    for label in ("api.ApiToken", "comments.Notification"):
        assert label in registry.EXCLUDED
    assert "accounts.User" not in registry.INCLUDED  # people only by name and e-mail address


def test_the_order_creates_targets_of_required_relations_first():
    order = registry.export_order()
    assert order[0] == registry.MUNICIPALITY
    assert set(order) == set(registry.INCLUDED)
    position = {label: index for index, label in enumerate(order)}
    for label in order:
        for field in registry.relation_fields(registry.get_model(label)):
            target = registry.label_of(field.related_model)
            if not field.many_to_many and not field.null and target in registry.INCLUDED and target != label:
                assert position[target] < position[label], (label, field.name)
    # generic relations and ids inside JSON need the complete mapping: these come last
    assert {"comments.Comment", "core.AuditLogEntry", "plans.PlanVersion"} == set(order[-3:])
