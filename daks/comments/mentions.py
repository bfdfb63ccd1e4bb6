"""@mentions: every member of a Kommune has a handle derived from their name.

Rules (the handle is shown under every comment form, so nobody has to guess it):

* from the name: lower case, German umlauts folded (ä → ae, ö → oe, ü → ue, ß → ss), other accents
  dropped (é → e), spaces → dots, anything but ``a–z 0–9 . _ -`` removed — "Katrin Koordinatorin" →
  ``@katrin.koordinatorin``, "Jürgen Groß" → ``@juergen.gross``;
* without a usable name: the local part of the e-mail address (``k.meier@…`` → ``@k.meier``);
* unique within the Kommune: when two members end up with the same handle, the member who joined first
  keeps it, the next gets ``2`` appended (``@anna.schmidt2``), and so on (ordered by membership).

Handles are computed, not stored: a member who changes their name gets a new handle. Only members of the
Kommune can be mentioned; an ``@word`` that is no handle of the team stays plain text.

Mention e-mails are always sent (one per comment and person, never to the author); there is no opt-out yet —
the in-app notification and the mail are one feature.
"""

import re
import unicodedata

from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})
_NOT_ALLOWED = re.compile(r"[^a-z0-9._-]+")
#: ``@handle`` not preceded by a word character (so e-mail addresses are no mentions); ends on a letter/digit.
MENTION_RE = re.compile(r"(?<![\w.@-])@([a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)", re.IGNORECASE)


def _clean(value: str) -> str:
    value = unicodedata.normalize("NFKD", value.translate(_FOLD)).encode("ascii", "ignore").decode()
    value = re.sub(r"\s+", ".", value.strip().lower())
    value = _NOT_ALLOWED.sub("", value)
    value = re.sub(r"([._-])[._-]+", r"\1", value)
    return value.strip("._-")


def base_handle(user) -> str:
    """The handle of ``user`` before making it unique in a Kommune."""
    return _clean(user.name or "") or _clean((user.email or "").split("@")[0]) or f"user{user.pk}"


def handles_for_users(users) -> dict[str, object]:
    """``{handle: user}`` for ``users`` in membership order (first come keeps the plain handle)."""
    handles: dict[str, object] = {}
    for user in users:
        base = handle = base_handle(user)
        number = 2
        while handle in handles:
            handle = f"{base}{number}"
            number += 1
        handles[handle] = user
    return handles


def team_handles(municipality) -> dict[str, object]:
    """``{handle: user}`` of all members of ``municipality`` — one query."""
    from daks.municipalities.models import Membership

    memberships = (
        Membership.objects.filter(municipality=municipality).select_related("user").order_by("created_at", "id")
    )
    return handles_for_users(membership.user for membership in memberships)


def find_mentions(body: str, handles: dict[str, object]) -> list:
    """The members mentioned in ``body`` (each once, in order of first mention)."""
    found = []
    for match in MENTION_RE.finditer(body or ""):
        user = handles.get(match.group(1).lower())
        if user is not None and user not in found:
            found.append(user)
    return found


def render_body(body: str, handles) -> SafeString:
    """Plain text → HTML: escaped, paragraphs and line breaks, mentions of team members highlighted."""
    escaped = escape(body or "")

    def highlight(match):
        if match.group(1).lower() in handles:
            return f'<strong class="mention">@{match.group(1)}</strong>'
        return match.group(0)

    return mark_safe(linebreaks(MENTION_RE.sub(highlight, escaped), autoescape=False))  # noqa: S308 (escaped above)
