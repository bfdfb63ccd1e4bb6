"""Which data belongs to a Kommune's workspace, and how each kind of object is exported and imported.

Every model with a path of foreign keys (or many-to-many relations) to ``municipalities.Municipality`` must be
classified here: either INCLUDED (with the ORM lookup from the model to the Kommune) or EXCLUDED (with the
reason). ``unclassified_models()`` lists the models that are neither; a test fails as long as it is not empty,
so a new model with a Kommune relation cannot be forgotten silently by the export.

Relations of included models lead to

* other included models (written as their original id, rewritten to the new id on import),
* people (``accounts.User``: exported only by name and e-mail address, see ``PEOPLE``),
* references (``REFERENCES``): objects that exist in every DAKS instance, written by a natural key (a topic field
  by its slug, a checklist item by step and code …) and looked up again on import.

Anything else is a programming error that ``classification_problems()`` reports (also checked by a test).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

MUNICIPALITY = "municipalities.Municipality"
PEOPLE = "accounts.User"

#: How an included model is imported.
GENERIC = "generic"  # rows re-created field by field (ids remapped)
CUSTOM = "custom"  # re-created by special code of the importer (the Kommune itself, its team)
EXPORT_ONLY = "export_only"  # part of data.json for the record, not re-created in another instance


@dataclass(frozen=True)
class Included:
    #: ORM lookup from the model to the Kommune, e.g. ``"process__municipality"`` ("pk" for the Kommune itself).
    scope: str
    mode: str = GENERIC
    #: Fields that never leave the instance (secrets such as token hashes, derived search indexes).
    omit: tuple[str, ...] = ()
    #: Unique fields that get a fresh random token hash on import (links of the old instance stop working).
    regenerate: tuple[str, ...] = ()
    #: Unique slugs that get a suffix on import when the target instance uses them already.
    unique_slugs: tuple[str, ...] = ()
    #: Imported after all other models (generic relations and ids inside JSON need the complete id mapping).
    late: bool = False


INCLUDED: dict[str, Included] = {
    # The Kommune and its team
    MUNICIPALITY: Included("pk", mode=CUSTOM, omit=("verified_at", "verification_method")),
    "municipalities.Membership": Included("municipality", mode=CUSTOM),
    "municipalities.Invitation": Included("municipality", mode=CUSTOM, omit=("token_hash",)),
    "municipalities.JoinRequest": Included("municipality", mode=EXPORT_ONLY),
    "network.ContactConsent": Included("municipality", mode=EXPORT_ONLY),
    "core.AuditLogEntry": Included("municipality", late=True),
    # Own data (demography)
    "demography.Dataset": Included("municipality"),
    "demography.Observation": Included("dataset__municipality"),
    "demography.ProjectionScenario": Included("municipality"),
    "demography.Projection": Included("scenario__municipality"),
    # Strategy processes
    "strategy.StrategyProcess": Included("municipality"),
    "strategy.StepState": Included("process__municipality"),
    "strategy.ChecklistTick": Included("process__municipality"),
    "strategy.Task": Included("municipality"),
    "strategy.Actor": Included("municipality"),
    "strategy.WorkingGroup": Included("municipality"),
    # Step 2: Kommunalprofil
    "profile.SwotItem": Included("municipality"),
    "profile.FieldOfAction": Included("municipality"),
    "profile.ProfileInterpretation": Included("municipality"),
    "profile.InventoryItem": Included("municipality"),
    "profile.Interview": Included("municipality"),
    # Meetings and comments
    "meetings.Meeting": Included("municipality"),
    "meetings.AgendaItem": Included("meeting__municipality"),
    "meetings.MeetingInvitation": Included("meeting__municipality", omit=("token_hash",), regenerate=("token_hash",)),
    "comments.Comment": Included("municipality", late=True),
    # Step 3: Zukunftswerkstatt
    "workshops.Workshop": Included("municipality"),
    "workshops.Cluster": Included("workshop__municipality"),
    "workshops.ParticipationLink": Included("workshop__municipality", omit=("token_hash",), regenerate=("token_hash",)),
    "workshops.Participant": Included("link__workshop__municipality", omit=("token_hash",), regenerate=("token_hash",)),
    "workshops.Idea": Included("municipality"),
    "workshops.Support": Included("idea__municipality"),
    "workshops.Vote": Included("workshop__municipality"),
    "workshops.Photo": Included("workshop__municipality"),
    # Step 4: Werkstattplan
    "plans.Plan": Included("municipality"),
    "plans.Goal": Included("municipality"),
    "plans.Measure": Included("municipality"),
    "plans.Milestone": Included("measure__municipality"),
    "plans.PlanVersion": Included("plan__municipality", late=True),
    "plans.SavedFilter": Included("plan__municipality"),
    # Step 5: Zwischenbilanz
    "reviews.Survey": Included("municipality", omit=("open_link_token_hash",)),
    "reviews.SurveySection": Included("survey__municipality"),
    "reviews.Question": Included("survey__municipality"),
    "reviews.SurveyInvitation": Included("survey__municipality", omit=("token_hash",), regenerate=("token_hash",)),
    "reviews.Response": Included("survey__municipality"),
    "reviews.Answer": Included("response__survey__municipality"),
    "reviews.Review": Included("municipality"),
    "reviews.GoalReview": Included("review__municipality"),
    "reviews.MeasureCheck": Included("review__municipality"),
    "reviews.Factor": Included("review__municipality"),
    "reviews.Adjustment": Included("review__municipality"),
    "reviews.ConsolidationItem": Included("review__municipality"),
    # Werkzeugkoffer: the Kommune's own submissions and the tools linked to its measures
    "toolbox.Tool": Included(
        "origin_municipality", omit=("keywords", "search_vector", "search_head"), unique_slugs=("slug",)
    ),
    "toolbox.ToolStep": Included("tool__origin_municipality"),
    "toolbox.ToolSize": Included("tool__origin_municipality"),
    "toolbox.ToolAttachment": Included("tool__origin_municipality"),
    "toolbox.ToolRevision": Included("tool__origin_municipality"),
    "toolbox.MeasureTool": Included("municipality"),
    # Network: portrait and the Kommune's own news
    "network.Portrait": Included("municipality"),
    "news.NewsItem": Included("municipality", unique_slugs=("slug",)),
}

EXCLUDED: dict[str, object] = {
    "portability.WorkspaceExport": _("The export archives themselves (they are deleted after a few days)."),
    "api.ApiToken": _(
        "Personal API tokens: secrets of individual people that must never leave the instance; new tokens are "
        "created in the new instance."
    ),
    "comments.Notification": _("Personal notifications of individual people; their links only work in this instance."),
    "network.MunicipalityGroup": _(
        "Groups of municipalities maintained by the network office of this instance; they do not belong to one "
        "municipality."
    ),
    "events.Event": _(
        "Events of the network office; they are connected to the municipality only through tools of the toolbox."
    ),
    "events.Registration": _("Registrations for events of the network office."),
    "news.NewsletterIssue": _(
        "The newsletter of this instance's editorial office (it may mention the municipality's news)."
    ),
    "news.Delivery": _("Deliveries of the newsletter to its subscribers (personal data of the instance)."),
    "exchange.Question": _(
        "Questions in the public exchange forum shared by all municipalities; the threads contain answers of "
        "other municipalities and stay in the forum."
    ),
    "exchange.Answer": _("Answers in the public exchange forum."),
    "exchange.Follow": _("Who follows a question of the exchange forum (personal setting)."),
    "exchange.Report": _("Reports of contributions in the exchange forum to the editorial office."),
    "toolbox.ToolEmbedding": _(
        "Vectors of the search by meaning, derived from the text of a tool; the new instance computes them again."
    ),
}

#: Objects outside the workspace that relations of included objects may point to, with their natural key: they
#: exist in every DAKS instance and are looked up again on import. An empty key means "cannot be looked up":
#: the relation is dropped on import (the field must be nullable).
REFERENCES: dict[str, tuple[str, ...]] = {
    "contenttypes.ContentType": ("app_label", "model"),
    "strategy.ChecklistItem": ("step", "code"),
    "toolbox.TopicField": ("slug",),
    "toolbox.Tool": ("slug",),  # tools of other origin (editorial ones) that the Kommune links to its measures
    "reviews.NetworkSurvey": (),  # the network survey a survey was copied from: not part of the workspace
}

#: Allowed kinds of content per file field (checked by content on import, see ``importer``).
IMAGE_KINDS = ("png", "jpeg", "webp")
FILE_KINDS: dict[str, tuple[str, ...]] = {
    "municipalities.Municipality.logo": (*IMAGE_KINDS, "gif"),
    "profile.InventoryItem.document": ("pdf", "odt", "docx", *IMAGE_KINDS),
    "workshops.Photo.image": IMAGE_KINDS,
    "workshops.Photo.thumbnail": IMAGE_KINDS,
    "network.Portrait.image": IMAGE_KINDS,
    "news.NewsItem.image": (*IMAGE_KINDS, "gif"),
    "news.NewsItem.document": ("pdf", "odt", "docx"),
    "toolbox.Tool.video_file": ("mp4", "webm"),
    "toolbox.ToolAttachment.file": ("pdf", "odt", "docx"),
}


def label_of(model) -> str:
    return model._meta.label


def get_model(label: str):
    return apps.get_model(label)


def relation_fields(model) -> list[models.Field]:
    """The concrete forward relations of ``model`` (foreign keys, one-to-one and many-to-many)."""
    return [
        field
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and (field.many_to_one or field.one_to_one or field.many_to_many)
        and field.related_model is not None
    ]


def linked_models(all_models=None) -> set[str]:
    """Labels of all models with a path of forward relations to the Kommune (the Kommune included)."""
    all_models = list(apps.get_models() if all_models is None else all_models)
    linked = {MUNICIPALITY}
    changed = True
    while changed:
        changed = False
        for model in all_models:
            label = label_of(model)
            if label in linked:
                continue
            if any(label_of(field.related_model) in linked for field in relation_fields(model)):
                linked.add(label)
                changed = True
    return linked


def unclassified_models(all_models=None) -> list[str]:
    """Models related to a Kommune that are neither included in the export nor excluded with a reason."""
    return sorted(linked_models(all_models) - set(INCLUDED) - set(EXCLUDED))


def classification_problems() -> list[str]:
    """Inconsistencies of the tables above (checked by a test); empty when all is well."""
    problems = []
    known = {label_of(model) for model in apps.get_models()}
    for label in [*INCLUDED, *EXCLUDED, *REFERENCES]:
        if label not in known:
            problems.append(f"{label}: no such model")
    for label in set(INCLUDED) & set(EXCLUDED):
        problems.append(f"{label}: both included and excluded")
    for label, spec in INCLUDED.items():
        if label not in known:
            continue
        model = get_model(label)
        if model._meta.pk.name != "id" or not isinstance(model._meta.pk, models.AutoField):
            problems.append(f"{label}: the primary key must be an automatic id")
        names = {field.name for field in model._meta.get_fields()}
        for name in (*spec.omit, *spec.regenerate, *spec.unique_slugs):
            if name not in names:
                problems.append(f"{label}.{name}: no such field")
        for field in relation_fields(model):
            target = label_of(field.related_model)
            if target in INCLUDED or target == PEOPLE or field.name in spec.omit:
                continue
            if target in REFERENCES:
                if not REFERENCES[target] and not (field.null or field.many_to_many):
                    problems.append(f"{label}.{field.name}: a reference without key must be nullable")
                continue
            problems.append(f"{label}.{field.name}: relation to {target}, which is neither included nor a reference")
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and f"{label}.{field.name}" not in FILE_KINDS:
                problems.append(f"{label}.{field.name}: file field without allowed kinds in FILE_KINDS")
    return problems


def export_order() -> list[str]:
    """Included models in an order where the target of every non-nullable relation comes first; models marked
    ``late`` (generic relations, ids inside JSON) come last."""
    labels = list(INCLUDED)
    early = [label for label in labels if not INCLUDED[label].late]
    late = [label for label in labels if INCLUDED[label].late]
    return _topological(early, set()) + _topological(late, set(early))


def _topological(labels: list[str], done_before: set[str]) -> list[str]:
    result: list[str] = []
    placed = set(done_before)
    pending = list(labels)
    while pending:
        for label in pending:
            needs = {
                label_of(field.related_model)
                for field in relation_fields(get_model(label))
                if not field.many_to_many and not field.null and label_of(field.related_model) in INCLUDED
            } - {label}
            if needs <= placed:
                result.append(label)
                placed.add(label)
                pending.remove(label)
                break
        else:
            raise RuntimeError(f"Cycle of non-nullable relations among {pending}")
    return result
