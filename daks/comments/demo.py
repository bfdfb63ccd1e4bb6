"""Demo content: a short discussion on the demo process (called from ``seed_demo``)."""

from .mentions import team_handles
from .models import Comment
from .services import comment_create


def seed_demo_comments(*, municipality, process, author, other) -> list[Comment]:
    """Two comments on ``process``: ``author`` asks ``other`` (by @mention), ``other`` answers.

    Idempotent: does nothing when the process already has comments. The mention creates a notification
    (and queues one e-mail — the development mail backend only prints it).
    """
    if Comment.objects.for_object(process).exists():
        return []
    handles = {user.pk: handle for handle, user in team_handles(municipality).items()}
    first = comment_create(
        actor=author,
        municipality=municipality,
        obj=process,
        body=(
            f"@{handles.get(other.pk, '')} Können wir die Bevölkerungsvorausberechnung in der nächsten "
            "Steuerungsgruppe vorstellen?\nDie Zahlen zum Kommunalprofil liegen vor."
        ),
    )
    second = comment_create(
        actor=other,
        municipality=municipality,
        obj=process,
        body="Gern – ich bereite zwei Folien vor und bringe die Tabelle zur Altersstruktur mit.",
    )
    return [first, second]
