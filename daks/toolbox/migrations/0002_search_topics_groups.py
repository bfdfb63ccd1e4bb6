"""Search infrastructure per database, the 13 topic fields of the model project and the editorial groups."""

from django.db import migrations

TOPIC_FIELDS = [
    ("oeffentlichkeitsarbeit", "Öffentlichkeitsarbeit"),
    ("wohnen", "Wohnen"),
    ("kooperation", "Intra- und interkommunale Kooperation"),
    ("digitalisierung", "Digitalisierung"),
    ("demokratiefoerderung", "Demokratieförderung"),
    ("buergerbeteiligung", "Bürgerbeteiligung"),
    ("engagement", "Bürgerschaftliches Engagement"),
    ("begegnung-beratung-selbsthilfe", "Begegnung, Beratung, Selbsthilfe"),
    ("foerdermittel", "Fördermittel"),
    ("gesundheit-pflege", "Gesundheit und Pflege"),
    ("arbeit-wirtschaft", "Arbeit und Wirtschaft"),
    ("demografiestrategie", "Demografiestrategie"),
    ("integration", "Integration"),
]
GROUPS = ["Werkzeugkoffer-Redaktion", "Werkzeugkoffer-Prüfung"]


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX toolbox_tool_search_gin ON toolbox_tool USING gin (search_vector)"
        )
    elif schema_editor.connection.vendor == "sqlite":
        # Stemmed and folded text (see daks.toolbox.search.normalise), kept in step by the services.
        schema_editor.execute(
            "CREATE VIRTUAL TABLE toolbox_tool_fts USING fts5(title, teaser, body, tokenize='unicode61')"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS toolbox_tool_search_gin")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS toolbox_tool_fts")


def create_data(apps, schema_editor):
    TopicField = apps.get_model("toolbox", "TopicField")
    Group = apps.get_model("auth", "Group")
    for position, (slug, name) in enumerate(TOPIC_FIELDS, start=1):
        TopicField.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("toolbox", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(create_data, migrations.RunPython.noop),
    ]
