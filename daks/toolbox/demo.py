"""Demo of the Werkzeugkoffer: the editorial tools of this instance, the editorial office at work (a draft, a tool
in review, one returned with a note, an archived one, an attachment) with two staff members, and — with the
semantic search — the vectors of every tool, so that the search by meaning works without a worker."""

import sys

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from daks.exports.pdf import render_pdf

from . import services
from .content import load_sources
from .models import Tool, ToolStatus, TopicField
from .rules import EDITOR_GROUP, REVIEWER_GROUP
from .semantic import progress_printer

EXAMPLE = "(Beispieldaten)"


def _draft(editor, *, slug: str, title: str, topic: str, step: str) -> Tool:
    existing = Tool.objects.filter(slug=slug).first()
    if existing:
        return existing
    return services.tool_create(
        user=editor,
        data={
            "slug": slug,
            "title": title,
            "teaser": f"Ein Werkzeug in redaktioneller Bearbeitung {EXAMPLE}.",
            "body": (
                "## Worum es geht\n\nDieser Eintrag zeigt den Redaktionsablauf des Werkzeugkoffers: Entwurf, "
                "Prüfung, Veröffentlichung und Archiv. Er ist ein Beispiel und kein fertiges Werkzeug.\n\n"
                "## So gehen Sie vor\n\n1. Text schreiben\n2. Zur Prüfung geben\n3. Eine zweite Person prüft"
            ),
            "tool_type": "guide",
            "topics": list(TopicField.objects.filter(slug=topic)),
            "steps": [step],
            "sizes": ["small", "medium"],
            "effort": "low",
            "cost": "low",
        },
    )


def seed_toolbox(*, editor, reviewer, stdout=None) -> None:
    """Load the editorial tools, put a few example tools into every state of the workflow and compute the vectors
    of the semantic search (progress on ``stdout``, default the standard output)."""
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))
    reviewer.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    for user in (editor, reviewer):
        user.__dict__.pop("_daks_groups", None)
    services.toolbox_load(sources=load_sources())

    _draft(
        editor,
        slug="beispiel-entwurf-leitfaden",
        title="Leitfaden Generationendialog (Entwurf)",
        topic="begegnung-beratung-selbsthilfe",
        step="workshop",
    )
    in_review = _draft(
        editor,
        slug="beispiel-in-pruefung",
        title="Checkliste barrierearme Sitzungen (in Prüfung)",
        topic="demokratiefoerderung",
        step="kickoff",
    )
    if in_review.status == ToolStatus.DRAFT:
        services.tool_transition(tool=in_review, user=editor, action="submit")
    returned = _draft(
        editor,
        slug="beispiel-zurueckgegeben",
        title="Methode Zukunftskonferenz (überarbeiten)",
        topic="buergerbeteiligung",
        step="workshop",
    )
    if returned.status == ToolStatus.DRAFT and not returned.review_note:
        services.tool_transition(tool=returned, user=editor, action="submit")
        services.tool_transition(
            tool=returned,
            user=reviewer,
            action="return",
            note="Bitte ein konkretes Beispiel und den Zeitbedarf ergänzen.",
        )
    archived = _draft(
        editor, slug="beispiel-archiviert", title="Förderaufruf 2024 (archiviert)", topic="foerdermittel", step="plan"
    )
    if archived.status != ToolStatus.ARCHIVED:
        services.tool_transition(tool=archived, user=editor, action="archive")

    template = Tool.objects.filter(slug="smart-ziele-massnahmenblatt").first()
    if template and not template.attachments.exists():
        html = (
            '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Maßnahmenblatt</title></head><body>'
            "<h1>Maßnahmenblatt</h1><p>Vorlage aus dem Werkzeugkoffer (Beispieldaten).</p>"
            "<table><tr><th>Maßnahme</th><td></td></tr><tr><th>Ziel (SMART)</th><td></td></tr>"
            "<tr><th>Verantwortlich</th><td></td></tr><tr><th>Zeitraum</th><td></td></tr>"
            "<tr><th>Budget</th><td></td></tr><tr><th>Indikator</th><td></td></tr></table></body></html>"
        )
        pdf = render_pdf(html)
        services.attachment_add(
            tool=template,
            user=editor,
            title="Maßnahmenblatt zum Ausfüllen (PDF)",
            file=SimpleUploadedFile("massnahmenblatt.pdf", pdf, content_type="application/pdf"),
        )
    services.embed_tools(progress=progress_printer(stdout or sys.stdout))
