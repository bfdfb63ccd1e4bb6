"""Which value each URL kwarg gets in the walk.

A kwarg is filled by the first rule whose kwarg name matches and whose context pattern matches the end of the route
before it (``Endpoint.prefix_before``): ``pk`` after ``…/aufgaben/`` is a task, after ``…/prozesse/`` a process.
A kwarg that no rule fills fails ``test_every_url_pattern_is_classified_and_filled``: a new URL must say here
which object it takes, so the walk can request it with Kommune A's object.

Value kinds:
- ``Obj(attr, field)``: an object of a Kommune's workspace (``workspace.py``). The walk uses Kommune A's; the swap
  check puts Kommune B's into A's URLs (and expects 404), so only objects a Kommune owns are ``Obj``.
- ``Net(attr, field)``: a network-wide object (``world.globals``), the same in both checks.
- ``Token(name)``: a raw capability token of Kommune A (``workspace.tokens``) or of the network (``globals.tokens``).
- ``Cached(name)``: a token of something the view keeps in the cache (export job, import upload); the conftest
  stores it again for every test because the cache is cleared after each one.
- ``Const(value)``: formats, sections, chart names and the like.
- ``STEP``: the slug of the step the view belongs to (``STEP_OF``).
- ``NetQuestionnaire(kind)``: a section or question of the network survey's questionnaire (edited with the survey
  builder), created on first use because the world's network survey starts without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from daks.strategy.models import Step
from daks.strategy.steps import STEPS

from .urlwalk import Endpoint


@dataclass(frozen=True)
class Obj:
    attr: str
    field: str = "pk"


@dataclass(frozen=True)
class Net:
    attr: str
    field: str = "pk"


@dataclass(frozen=True)
class Token:
    name: str


@dataclass(frozen=True)
class Cached:
    name: str


@dataclass(frozen=True)
class Const:
    value: str


@dataclass(frozen=True)
class NetQuestionnaire:
    kind: str  # "section" or "question"


STEP = object()

# The step of the process whose pages a namespace (or a single URL name) serves.
STEP_OF = {
    "strategy": Step.KICKOFF,  # the step pages of the registry answer under every step's slug
    "profile": Step.PROFILE,
    "plans": Step.PLAN,
    "workshops": Step.WORKSHOP,
    "reviews": Step.REVIEW,
    "toolbox_process:recommendations": Step.PROFILE,
    "toolbox_process": Step.PLAN,
}

# (kwarg, context: a regex matched at the end of the route before the kwarg, value) — the first match wins.
RULES: list[tuple[str, str, object]] = [
    ("municipality_slug", "", Obj("municipality", "slug")),
    ("step_slug", "", STEP),
    # pk: what the path segment before it names
    ("pk", "/akteure/prozess/", Obj("process")),
    ("pk", "^kommunen/<municipality_slug>/prozesse/", Obj("process")),
    ("pk", "/prozesse/aufgaben/", Obj("task")),
    ("pk", "/prozesse/akteure/", Obj("actor")),
    ("pk", "/prozesse/arbeitsgruppen/", Obj("working_group")),
    ("pk", "/daten/szenarien/", Obj("scenario")),
    ("pk", "/daten/", Obj("dataset")),
    ("pk", "/treffen/", Obj("meeting")),
    ("pk", "/team/einladungen/", Obj("team_invitation")),
    ("pk", "/team/mitglieder/", Obj("membership")),
    ("pk", "/team/anfragen/", Obj("join_request")),
    ("pk", "/datenmitnahme/", Obj("portability_export")),
    ("pk", "^benachrichtigungen/", Obj("notification")),
    ("pk", "^konto/api-tokens/", Obj("api_token")),
    ("pk", "^werkzeugkoffer/redaktion/werkzeuge/", Obj("tool")),
    ("pk", "^aktuelles/redaktion/", Obj("news")),
    ("pk", "^austausch/(moderation/)?fragen/", Obj("exchange_question")),
    ("pk", "^austausch/(moderation/)?antworten/", Obj("exchange_answer")),
    ("pk", "^austausch/moderation/meldungen/", Obj("exchange_report")),
    ("pk", "^veranstaltungen/verwaltung/", Net("draft_event")),
    ("pk", "^newsletter/(redaktion|archiv)/", Net("issue")),
    ("pk", "^netzwerk/umfragen/", Net("network_survey")),
    ("process_pk", "^plaene/<municipality_slug>/", Obj("process")),
    ("item_pk", "/swot/", Obj("swot_item")),
    ("item_pk", "/bestandsaufnahme/", Obj("inventory_item")),
    ("item_pk", "/tagesordnung/", Obj("agenda_item")),
    ("invitation_pk", "/treffen/<pk>/einladungen/", Obj("meeting_invitation")),
    ("invitation_pk", "/verteilen/einladungen/", Obj("survey_invitation")),
    ("workshop_pk", "", Obj("workshop")),
    ("survey_pk", "", Obj("survey")),
    ("review_pk", "", Obj("review")),
    ("measure_pk", "", Obj("measure")),
    ("idea_pk", "", Obj("idea")),
    ("goal_pk", "", Obj("goal")),
    ("section_pk", "^netzwerk/umfragen/<pk>/fragebogen/abschnitte/", NetQuestionnaire("section")),
    ("question_pk", "^netzwerk/umfragen/<pk>/fragebogen/fragen/", NetQuestionnaire("question")),
    ("section_pk", "", Obj("section")),
    ("question_pk", "", Obj("question")),
    ("photo_pk", "", Obj("photo")),
    ("link_pk", "", Obj("link")),
    ("field_pk", "", Obj("field")),
    ("cluster_pk", "", Obj("cluster")),
    ("interview_pk", "", Obj("interview")),
    ("factor_pk", "", Obj("factor")),
    ("adjustment_pk", "", Obj("adjustment")),
    ("milestone_pk", "", Obj("milestone")),
    ("version_pk", "", Obj("version")),
    ("filter_pk", "", Obj("saved_filter")),
    ("comment_pk", "", Obj("comment")),
    ("answer_pk", "", Obj("survey_answer")),
    ("object_pk", "", Obj("swot_item")),
    ("model", "", Const("profile.swotitem")),  # SWOT entries have their comment thread on a page of its own
    ("attachment_pk", "", Obj("tool_attachment")),
    ("revision_pk", "", Obj("tool_revision")),
    ("network_pk", "", Net("network_survey")),
    ("tool_pk", "", Net("published_tool")),
    ("topic_pk", "", Net("topic")),
    ("topic_slug", "", Net("topic", "slug")),
    ("slug", "^werkzeugkoffer/", Obj("tool", "slug")),
    ("slug", "^aktuelles/", Obj("news", "slug")),
    ("slug", "^veranstaltungen/", Net("draft_event", "slug")),
    ("slug", "^netzwerk/gruppen/", Net("group", "slug")),
    ("slug", "^seiten/", Net("page", "slug")),
    ("slug", "^$", Const("impressum")),  # the legal pages at the root (a regex alternative)
    ("slug", "^api/v1/municipalities/", Obj("municipality", "slug")),
    ("slug", "^api/v1/portraits/", Obj("municipality", "slug")),
    ("slug", "^api/v1/tools/", Obj("tool", "slug")),
    ("token", "/import/", Cached("import")),
    ("token", "/exporte/auftrag/", Cached("export")),
    ("token", "^kommunen/einladung/", Token("invitation")),
    ("token", "^zusage/", Token("rsvp")),
    ("token", "^mitmachen/", Token("participation")),
    ("token", "^umfrage/", Token("survey")),
    ("token", "^veranstaltungen/anmeldung/", Token("registration")),
    ("token", "^newsletter/bestaetigen/", Token("newsletter_confirm")),
    ("token", "^newsletter/abmelden/", Token("newsletter_unsubscribe")),
    ("token", "^konto/loeschung-abbrechen/", Const("kein-gueltiger-link")),  # signed per user: forged only
    ("key", "^accounts/confirm-email/", Const("kein-gueltiger-schluessel")),  # allauth's signed keys: forged only
    ("uidb36", "", Const("1")),
    ("key", "^accounts/password/reset/key/<uidb36>-", Const("kein-gueltiger-schluessel")),
    ("key", "", Obj("municipality", "official_key")),  # regions (web and API)
    ("id", "^api/v1/plans/", Obj("plan")),
    ("id", "^api/v1/events/", Net("draft_event")),
    ("process_id", "", Obj("process")),
    ("actor_id", "", Obj("actor")),
    ("item_id", "", Obj("swot_item")),
    ("field_id", "", Obj("field")),
    ("goal_id", "", Obj("goal")),
    ("measure_id", "", Obj("measure")),
    ("milestone_id", "", Obj("milestone")),
    ("task_id", "", Obj("task")),
    ("indicator", "", Const("population")),
    ("section", "", Const("figures")),
    ("identifier", "", Const("einladung-kick-off")),
    ("chart", "", Const("kennzahlen")),
    ("filename", "", Const("regionen.csv")),
    # formats: the cheapest one each view offers (no PDF rendering in the walk)
    ("extension", r"/vorlagen/<identifier>\.", Const("odt")),
    ("extension", r"/akteure/export\.", Const("csv")),
    ("format", r"/kommunalprofil\.", Const("xlsx")),
    ("format", r"/teilnehmende\.", Const("csv")),
    ("format", r"/synopse\.", Const("csv")),
    ("format", "", Const("odt")),  # workshop report, minutes
    ("fmt", r"/bericht\.", Const("odt")),
    ("fmt", "", Const("csv")),
]


class Unfilled(LookupError):
    pass


def rule_for(endpoint: Endpoint, kwarg: str):
    prefix = endpoint.prefix_before(kwarg)
    for name, context, value in RULES:
        if name == kwarg and re.search(f"(?:{context})$", prefix):
            return value
    raise Unfilled(f"{endpoint.name or endpoint.route}: no rule in tests/security/kwargs.py fills '{kwarg}'")


def step_for(endpoint: Endpoint) -> str:
    step = STEP_OF.get(endpoint.name, STEP_OF.get(endpoint.namespace))
    if step is None:
        raise Unfilled(f"{endpoint.name}: add its namespace to STEP_OF in tests/security/kwargs.py")
    return STEPS[step].slug


FORGED = "gefaelschter-link-0000"


def _value(rule, side, world, endpoint):
    if rule is STEP:
        return step_for(endpoint)
    if isinstance(rule, Obj):
        value = getattr(side, rule.attr)
        return getattr(value, rule.field) if rule.field else value
    if isinstance(rule, Net):
        return getattr(getattr(world.globals, rule.attr), rule.field)
    if isinstance(rule, Token):
        return side.tokens.get(rule.name) or world.globals.tokens[rule.name]
    if isinstance(rule, Cached):
        return side.cached[rule.name]
    if isinstance(rule, Const):
        return rule.value
    if isinstance(rule, NetQuestionnaire):
        return _network_questionnaire(world, rule.kind)
    raise TypeError(rule)


def _network_questionnaire(world, kind: str) -> int:
    """The id of a section or question of the network survey's questionnaire (created when missing: the walk's
    staff requests may have deleted it)."""
    from daks.reviews.models import NetworkSurvey, Question, SurveySection
    from daks.reviews.network_surveys import template_of

    # Fresh from the database: the world outlives each test's transaction, and a questionnaire created on the fly
    # in an earlier test (and rolled back with it) must not linger on the cached object.
    template = template_of(NetworkSurvey.objects.get(pk=world.globals.network_survey.pk))
    section = template.sections.first() or SurveySection.objects.create(survey=template, title="Abschnitt")
    if kind == "section":
        return section.pk
    question = template.questions.first() or Question.objects.create(
        survey=template, section=section, kind="likert", text="Aussage"
    )
    return question.pk


def fill(endpoint, world, *, swap=False, forge=False):
    """The path of ``endpoint`` with Kommune A's objects. ``swap``: Kommune B's objects for the innermost ids (the
    Kommune stays A, and the process stays A's where an object inside it is swapped); returns the swapped kwargs too.
    ``forge``: capability tokens replaced by one nobody holds."""
    rules = {kwarg: rule_for(endpoint, kwarg) for kwarg in endpoint.kwargs}
    swapped: set[str] = set()
    if swap:
        owned = [
            k
            for k, rule in rules.items()
            if isinstance(rule, Obj | Cached) and getattr(rule, "attr", "") != "municipality"
        ]
        inner = [k for k in owned if getattr(rules[k], "attr", "") != "process"]
        swapped = set(inner or owned)
    values = {}
    for kwarg, rule in rules.items():
        if forge and (isinstance(rule, Token) or kwarg in ("token", "key")) and not isinstance(rule, Obj):
            values[kwarg] = FORGED
        else:
            values[kwarg] = _value(rule, world.b if kwarg in swapped else world.a, world, endpoint)
    return endpoint.path(values), swapped
