"""Create the page in Leichte Sprache and bring the accessibility statement to the BITV 2.0 template.

The statement is replaced only when it still holds the old default text (compared by its hash): a text the
operator has already edited stays as it is.
"""

import hashlib

from django.db import migrations

from daks.pages.defaults import BARRIEREFREIHEIT, LEICHTE_SPRACHE

# sha256 of the default statement of 0002 (stripped, with \n line ends).
OLD_STATEMENT_SHA256 = "c58c94476f17f77615ae768ae414e107786afe63ca9b8b22357062a7d73607fb"


def _digest(text: str) -> str:
    return hashlib.sha256(text.replace("\r\n", "\n").strip().encode()).hexdigest()


def forwards(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    Page.objects.get_or_create(slug="leichte-sprache", defaults={"title": "Leichte Sprache", "body": LEICHTE_SPRACHE})
    statement = Page.objects.filter(slug="barrierefreiheit").first()
    if statement is not None and _digest(statement.body) == OLD_STATEMENT_SHA256:
        statement.body = BARRIEREFREIHEIT
        statement.save(update_fields=["body"])


def backwards(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    Page.objects.filter(slug="leichte-sprache").delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0003_barrier_report_and_page_language")]

    operations = [migrations.RunPython(forwards, backwards)]
