"""Reads of the pages app: who receives reported barriers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q


def barrier_report_recipients() -> list[tuple[str, str]]:
    """(address, language) of everybody a reported barrier is mailed to.

    The addresses of the setting ``DAKS_ACCESSIBILITY_FEEDBACK_EMAIL`` (the feedback contact named in the
    accessibility statement; mails in German) when it is set, otherwise the network's editorial office: active
    superusers and members of the group "Netzwerk-Redaktion", each in their own language.
    """
    configured = [address for address in getattr(settings, "DAKS_ACCESSIBILITY_FEEDBACK_EMAIL", []) if address]
    if configured:
        return [(address, "de") for address in dict.fromkeys(configured)]
    from daks.network.rules import NETWORK_EDITOR_GROUP

    editors = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=NETWORK_EDITOR_GROUP))
        .exclude(email="")
        .order_by("email")
        .values_list("email", "language")
        .distinct()
    )
    return [(email, language or "de") for email, language in editors]
