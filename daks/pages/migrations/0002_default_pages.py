"""Create the legal pages with their default German texts (see daks/pages/defaults.py)."""

from django.db import migrations

from daks.pages.defaults import DEFAULT_PAGES


def create_pages(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for slug, (title, body) in DEFAULT_PAGES.items():
        Page.objects.get_or_create(slug=slug, defaults={"title": title, "body": body})


def remove_pages(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    Page.objects.filter(slug__in=list(DEFAULT_PAGES)).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(create_pages, remove_pages)]
