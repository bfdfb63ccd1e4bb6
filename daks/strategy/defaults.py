"""Default guidance and checklists of the five steps (German, editable in the admin afterwards).

Based on the method of "Zukunftswerkstatt Kommunen – Attraktiv im Wandel". Used by the data migration
0002 and by ``ensure_default_guidance()`` (e.g. for a flushed browser-test database). Existing rows are
never overwritten: the editorial office may have changed them.
"""

GUIDANCE = {
    "kickoff": {
        "purpose": """\
Die **Auftaktveranstaltung** (Kick-Off) eröffnet den Strategieprozess öffentlich und verbindlich.
Die Verwaltungsspitze macht deutlich, dass der demografische Wandel Chefsache ist, und gibt dem
Prozess damit Legitimation.

- Ziele und Ablauf der fünf Schritte vorstellen
- das koordinierende Team benennen
- wichtige Akteure gewinnen und erste Erwartungen sammeln
- die nächsten Schritte und Termine vereinbaren
""",
        "participants": """\
- Bürgermeisterin oder Bürgermeister bzw. Landrätin oder Landrat
- Vertreterinnen und Vertreter aus Rat bzw. Kreistag (alle Fraktionen)
- das koordinierende Team aus der Verwaltung
- Akteure aus Vereinen, Wirtschaft, Kirchen, Sozialverbänden, Schulen und Initiativen
- bei Bedarf die Prozessbegleitung
""",
        "pitfalls": """\
- **Die Spitze fehlt:** Ohne sichtbare Rückendeckung der Verwaltungsspitze verliert der Prozess schnell an Gewicht.
- **Nur Verwaltung im Raum:** Laden Sie früh die Akteure ein, die später Maßnahmen mittragen sollen.
- **Keine Verabredungen:** Beenden Sie die Veranstaltung mit klaren nächsten Schritten, Zuständigkeiten und Terminen.
""",
    },
    "profile": {
        "purpose": """\
Das **Kommunalprofil** ist die gemeinsame Faktengrundlage. Es verbindet Daten zur Bevölkerungsentwicklung
mit einer Bestandsaufnahme vor Ort und den Einschätzungen von Schlüsselpersonen.

- Daten auswerten (Bevölkerung, Altersstruktur, Wanderung, Vorausberechnung)
- Angebote und Infrastruktur bestandsaufnehmen
- Interviews mit Schlüsselpersonen führen
- Stärken, Schwächen, Chancen und Risiken (SWOT) zusammenfassen
- daraus die wichtigsten Handlungsfelder ableiten
""",
        "participants": """\
- das koordinierende Team (federführend)
- Fachbereiche der Verwaltung (z. B. Statistik, Planung, Soziales)
- Schlüsselpersonen für Interviews aus Vereinen, Wirtschaft und Einrichtungen
- bei Bedarf die Prozessbegleitung
""",
        "pitfalls": """\
- **Datenfriedhof:** Sammeln Sie nur Daten, die Sie für Entscheidungen brauchen.
- **Nur Zahlen:** Ohne Interviews und Ortskenntnis fehlt die Sicht der Menschen vor Ort.
- **Zu viele Handlungsfelder:** Beschränken Sie sich auf wenige Schwerpunkte, die Sie wirklich bearbeiten können.
""",
    },
    "workshop": {
        "purpose": """\
In der **Zukunftswerkstatt** entwickeln Bürgerinnen und Bürger gemeinsam Ideen für ihre Kommune.
Sie folgt drei Phasen:

1. **Kritikphase:** Was stört uns, was fehlt?
2. **Fantasiephase:** Wie sieht unsere Kommune im besten Fall aus – ohne Denkverbote?
3. **Verwirklichungsphase:** Welche Ideen setzen wir um, und wer packt mit an?
""",
        "participants": """\
- Bürgerinnen und Bürger aller Altersgruppen, gezielt auch Jugendliche, Familien und Ältere
- Akteure aus dem Kick-Off und den Handlungsfeldern
- Vertreterinnen und Vertreter aus Verwaltung und Politik (zuhörend)
- eine neutrale Moderation
""",
        "pitfalls": """\
- **Immer dieselben Gesichter:** Sprechen Sie Gruppen, die selten kommen, persönlich an.
- **Phasen vermischen:** Kritik und Ideen in der Fantasiephase nicht sofort auf Machbarkeit prüfen.
- **Ergebnisse versanden:** Dokumentieren Sie die Ergebnisse und berichten Sie, was daraus geworden ist.
""",
    },
    "plan": {
        "purpose": """\
Der **Werkstattplan** bündelt die Ergebnisse in einer umsetzbaren Strategie: Ziele je Handlungsfeld
und Maßnahmen mit Verantwortlichen, Zeitplan, Budget und Indikatoren, an denen der Fortschritt
messbar wird. Idealerweise beschließt der Rat bzw. Kreistag den Plan.
""",
        "participants": """\
- das koordinierende Team (federführend)
- die für Maßnahmen verantwortlichen Personen aus Verwaltung und Zivilgesellschaft
- Rat bzw. Kreistag (Beschluss)
- bei Bedarf die Prozessbegleitung
""",
        "pitfalls": """\
- **Wunschliste statt Plan:** Jede Maßnahme braucht eine verantwortliche Person, einen Termin und Mittel.
- **Keine Indikatoren:** Legen Sie vorher fest, woran Sie Erfolg erkennen.
- **Kein Beschluss:** Ohne politischen Beschluss fehlt dem Plan die Verbindlichkeit.
""",
    },
    "review": {
        "purpose": """\
Die **Zwischenbilanz** blickt nach einiger Zeit auf die Umsetzung zurück: Was ist gelungen, was hat
gehemmt, wo stehen die Maßnahmen? Daraus folgen Anpassungen des Werkstattplans und die Frage, wie
der Prozess dauerhaft verstetigt wird – gegebenenfalls mit einem neuen Durchlauf.

- Fortschritt der Maßnahmen anhand der Indikatoren prüfen
- Hemmnisse und Gelingensfaktoren benennen
- Anpassungen beschließen
- Verstetigung klären (Zuständigkeiten, Haushalt, Gremien)
""",
        "participants": """\
- das koordinierende Team
- die Verantwortlichen der Maßnahmen
- Verwaltungsspitze und Politik
- Akteure und interessierte Bürgerinnen und Bürger
""",
        "pitfalls": """\
- **Nur Erfolge berichten:** Hemmnisse offen anzusprechen hilft, den Plan realistisch anzupassen.
- **Zu spät bilanzieren:** Planen Sie die Zwischenbilanz von Anfang an fest ein.
- **Keine Verstetigung:** Ohne feste Zuständigkeit endet der Prozess mit dem letzten Projekt.
""",
    },
}

#: (code, text, help_text, required) per step, in display order.
CHECKLISTS = {
    "kickoff": [
        ("leadership", "Verwaltungsspitze nimmt teil (Legitimation)", "", True),
        ("team", "Koordinierendes Team ist benannt", "", True),
        ("actors", "Akteure sind identifiziert", "Vereine, Wirtschaft, Einrichtungen, Politik.", True),
        ("event", "Auftaktveranstaltung hat stattgefunden", "", True),
        ("next-steps", "Nächste Schritte sind vereinbart", "Mit Zuständigkeiten und Terminen.", True),
    ],
    "profile": [
        ("data", "Daten zur Bevölkerungsentwicklung sind ausgewertet", "", True),
        ("inventory", "Bestandsaufnahme der Angebote ist erstellt", "", True),
        ("interviews", "Interviews mit Schlüsselpersonen sind geführt", "", True),
        ("swot", "SWOT-Analyse ist erstellt", "Stärken, Schwächen, Chancen, Risiken.", True),
        ("fields", "Handlungsfelder sind ausgewählt", "", True),
    ],
    "workshop": [
        ("invitation", "Bürgerinnen und Bürger sind breit eingeladen", "", True),
        ("critique", "Kritikphase ist durchgeführt", "", True),
        ("fantasy", "Fantasiephase ist durchgeführt", "", True),
        ("realisation", "Verwirklichungsphase ist durchgeführt", "", True),
        ("documentation", "Ergebnisse sind dokumentiert und veröffentlicht", "", True),
    ],
    "plan": [
        ("goals", "Ziele je Handlungsfeld sind formuliert", "", True),
        ("measures", "Maßnahmen haben Verantwortliche und einen Zeitplan", "", True),
        ("budget", "Budget der Maßnahmen ist geklärt", "", True),
        ("indicators", "Indikatoren sind festgelegt", "", True),
        ("resolution", "Rat bzw. Kreistag hat den Plan beschlossen", "", False),
    ],
    "review": [
        ("progress", "Fortschritt der Maßnahmen ist geprüft", "", True),
        ("obstacles", "Hemmnisse und Gelingensfaktoren sind benannt", "", True),
        ("adjustments", "Anpassungen des Werkstattplans sind beschlossen", "", True),
        ("continuation", "Verstetigung ist geklärt", "Zuständigkeiten, Haushalt, Gremien.", True),
    ],
}


def create_defaults(StepGuidance, ChecklistItem) -> None:
    """Create missing guidance and checklist items (model classes passed in, so migrations can use it)."""
    for step, texts in GUIDANCE.items():
        StepGuidance.objects.get_or_create(step=step, defaults=texts)
    for step, items in CHECKLISTS.items():
        for order, (code, text, help_text, required) in enumerate(items, start=1):
            ChecklistItem.objects.get_or_create(
                step=step,
                code=code,
                defaults={"text": text, "help_text": help_text, "order": order * 10, "required": required},
            )


def ensure_default_guidance() -> None:
    """Recreate the defaults in a database without them (e.g. flushed by browser tests)."""
    from .models import ChecklistItem, StepGuidance

    create_defaults(StepGuidance, ChecklistItem)
