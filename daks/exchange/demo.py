"""Demo content of the exchange: three questions in two topic fields, answers, one accepted, one open report."""

from django.db import transaction

from daks.toolbox.models import TopicField

from .models import Answer, Question, Report

LABEL = "(Beispieldaten)"


def _question(*, topic_slug, title, body, author, municipality) -> Question:
    question, _created = Question.objects.get_or_create(
        title=title,
        defaults={
            "topic": TopicField.objects.get(slug=topic_slug),
            "body": body,
            "author": author,
            "municipality": municipality,
        },
    )
    return question


def _answer(question, author, body: str) -> Answer:
    answer, _created = Answer.objects.get_or_create(question=question, author=author, body=body)
    return answer


@transaction.atomic
def seed_exchange_demo(*, town, district, staff, coordinator) -> None:
    """Idempotent: questions are found again by their title, answers by question, author and text."""
    district_membership = district.memberships.select_related("user").order_by("created_at", "id").first()
    colleague = district_membership.user if district_membership else staff

    housing = _question(
        topic_slug="wohnen",
        title=f"Wie finanzieren andere Kommunen barrierearmes Wohnen im Bestand? {LABEL}",
        body=(
            "Wir möchten ältere Menschen beim Umbau ihrer Wohnungen unterstützen. Welche **Förderprogramme** "
            "haben Sie genutzt, und wie haben Sie die Beratung organisiert?\n\n"
            f"*{LABEL}*"
        ),
        author=coordinator,
        municipality=town,
    )
    accepted = _answer(
        housing,
        colleague,
        "Wir kombinieren das KfW-Programm *Altersgerecht Umbauen* mit einer kostenlosen Wohnberatung im "
        "Landratsamt. Wichtig war ein fester Ansprechpartner für die Handwerksbetriebe.\n\n"
        f"*{LABEL}*",
    )
    _answer(
        housing,
        staff,
        "Im Werkzeugkoffer finden Sie unter *Wohnen* eine Checkliste zur Wohnberatung. "
        f"Viele Kommunen starten mit einer Sprechstunde pro Monat. {LABEL}",
    )
    if housing.accepted_answer_id != accepted.pk:
        housing.accepted_answer = accepted
        housing.save(update_fields=["accepted_answer", "updated_at"])

    exchange = _question(
        topic_slug="wohnen",
        title=f"Erfahrungen mit Wohnungstauschbörsen für ältere Menschen? {LABEL}",
        body=f"Lohnt sich eine kommunale Tauschbörse für zu große Wohnungen, oder reicht eine Beratung? {LABEL}",
        author=colleague,
        municipality=district if district_membership else None,
    )
    _answer(
        exchange,
        coordinator,
        "Unsere Börse hatte im ersten Jahr nur wenige Tausche. Erfolgreicher war die persönliche Begleitung "
        f"beim Umzug. {LABEL}",
    )

    youth = _question(
        topic_slug="buergerbeteiligung",
        title=f"Wie erreichen Sie junge Menschen bei der Bürgerbeteiligung? {LABEL}",
        body=f"Zu unseren Werkstätten kommen fast nur Menschen über 50. Was hat bei Ihnen funktioniert? {LABEL}",
        author=coordinator,
        municipality=town,
    )
    _answer(
        youth,
        colleague,
        f"Wir gehen mit einem mobilen Stand an Schulen und in Sportvereine – das hat viel gebracht. {LABEL}",
    )
    advert = _answer(
        youth,
        None,  # a former member: the account is gone, the post stays
        f"Kaufen Sie jetzt das Beteiligungspaket *Premium* – nur diese Woche 50 % Rabatt! {LABEL}",
    )
    Report.objects.get_or_create(
        answer=advert,
        reporter=coordinator,
        defaults={"reason": f"Das ist Werbung und keine Antwort auf die Frage. {LABEL}"},
    )
