"""The default questionnaire on barriers and enablers (Hemmnisse und Gelingensfaktoren) of the Zwischenbilanz.

Written in German on purpose: it is content, not interface text, and is copied into each new survey where the
team can change it. Every question has a stable ``key`` so that two survey rounds (e.g. 2026 and 2028) can be
compared question by question even when the wording was edited in between. Never reuse or rename a key.
"""

from .models import QuestionKind

FREE_TEXT = "Was hilft? Was hindert?"
FREE_TEXT_HINT = "Beschreiben Sie gern ein Beispiel. Bitte nennen Sie keine Namen."

#: (section key, section title, [(question key, statement), …]); each section ends with a free-text question.
DEFAULT_SECTIONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "administration",
        "Zusammenarbeit in der Verwaltung",
        [
            ("administration.cooperation", "Die Fachbereiche der Verwaltung arbeiten bei der Strategie gut zusammen."),
            ("administration.information", "Informationen zur Strategie erreichen alle, die sie brauchen."),
            ("administration.responsibility", "Es ist klar geregelt, wer wofür zuständig ist."),
        ],
    ),
    (
        "actors",
        "Zusammenarbeit mit Akteuren",
        [
            ("actors.involved", "Die wichtigen Akteure vor Ort (Vereine, Träger, Wirtschaft) sind eingebunden."),
            ("actors.reliable", "Absprachen mit den Akteuren werden verlässlich eingehalten."),
            ("actors.benefit", "Die Akteure sehen einen Nutzen darin, sich zu beteiligen."),
        ],
    ),
    (
        "resources",
        "Ressourcen (Personal, Budget)",
        [
            ("resources.staff", "Für die Umsetzung der Maßnahmen steht genug Personal zur Verfügung."),
            ("resources.budget", "Für die Maßnahmen sind ausreichend Mittel im Haushalt eingeplant."),
            ("resources.funding", "Wir nutzen Fördermittel, die für uns in Frage kommen."),
        ],
    ),
    (
        "politics",
        "Politischer Rückhalt",
        [
            ("politics.leadership", "Die Verwaltungsspitze unterstützt die Strategie sichtbar."),
            ("politics.council", "Der Gemeinderat bzw. Kreistag trägt die Ziele der Strategie mit."),
        ],
    ),
    (
        "citizens",
        "Beteiligung der Bürgerinnen und Bürger",
        [
            ("citizens.opportunities", "Bürgerinnen und Bürger haben genug Gelegenheiten, sich einzubringen."),
            ("citizens.groups", "Wir erreichen auch Gruppen, die sich sonst selten beteiligen (z. B. Jüngere)."),
            ("citizens.feedback", "Die Beteiligten erfahren, was aus ihren Beiträgen geworden ist."),
        ],
    ),
    (
        "communication",
        "Kommunikation",
        [
            ("communication.public", "Die Öffentlichkeit wird regelmäßig über die Strategie informiert."),
            ("communication.understandable", "Ziele und Maßnahmen sind verständlich beschrieben."),
        ],
    ),
    (
        "data",
        "Daten",
        [
            ("data.available", "Die Daten, die wir für Entscheidungen brauchen, sind verfügbar."),
            ("data.used", "Wir nutzen Daten, um den Fortschritt der Maßnahmen zu beobachten."),
        ],
    ),
]

DEFAULT_TITLE = "Zwischenbilanz: Was hilft, was hindert?"
DEFAULT_INTRODUCTION = (
    "Mit dieser Umfrage möchten wir erfahren, was die Umsetzung unserer Demografiestrategie voranbringt und was "
    "sie bremst. Bitte bewerten Sie die Aussagen auf einer Skala von 1 (trifft gar nicht zu) bis 5 (trifft voll "
    "zu) und ergänzen Sie gern Ihre Erfahrungen. Das Ausfüllen dauert etwa zehn Minuten."
)


def default_questionnaire() -> list[dict]:
    """The sections with their questions as plain data (for ``surveys.questionnaire_apply``)."""
    sections = []
    for section_key, title, statements in DEFAULT_SECTIONS:
        questions = [
            {"key": key, "kind": QuestionKind.LIKERT, "text": text, "required": False} for key, text in statements
        ]
        questions.append(
            {
                "key": f"{section_key}.free_text",
                "kind": QuestionKind.TEXT,
                "text": FREE_TEXT,
                "help_text": FREE_TEXT_HINT,
                "required": False,
            }
        )
        sections.append({"title": title, "questions": questions})
    return sections
