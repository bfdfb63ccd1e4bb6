from django.db import migrations

PRESETS = [
    ("low", "Niedrige Variante", 0.9, 1.0, 0.6,
     "Weniger Geburten (−10 %), geringerer Anstieg der Lebenserwartung (+1 Jahr), 40 % weniger Wanderungssaldo."),
    ("medium", "Mittlere Variante", 1.0, 2.0, 1.0,
     "Geburten und Wanderungen wie im Durchschnitt der Vergangenheit, Lebenserwartung +2 Jahre bis zum Zielhorizont."),
    ("high", "Hohe Variante", 1.1, 3.0, 1.4,
     "Mehr Geburten (+10 %), stärkerer Anstieg der Lebenserwartung (+3 Jahre), 40 % mehr Wanderungssaldo."),
]


def create_presets(apps, schema_editor):
    scenario = apps.get_model("demography", "ProjectionScenario")
    for code, name, fertility, life, migration, description in PRESETS:
        scenario.objects.update_or_create(
            municipality=None,
            code=code,
            defaults={
                "name": name,
                "description": description,
                "fertility_factor": fertility,
                "life_expectancy_shift": life,
                "migration_factor": migration,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("demography", "0002_statistics")]

    operations = [migrations.RunPython(create_presets, migrations.RunPython.noop)]
