"""Writes of the pages app: reported barriers (the feedback mechanism of the accessibility statement)."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from daks.core.audit import log_action
from daks.core.errors import DomainError
from daks.core.mail import send_templated_mail

from .models import BarrierReport
from .selectors import barrier_report_recipients

logger = logging.getLogger(__name__)

BARRIER_REPORT_RATE_LIMIT = "barrier_report_ip"
#: URL parameters that carry a secret (personal links of participation, surveys, invitations, password reset).
_SECRET_PARAMETER = re.compile(r"token|key|uidb36", re.IGNORECASE)


def clean_page_address(value: str) -> str:
    """The address of the page with the barrier, as stored and mailed.

    An address of this website becomes its path, without query and fragment; parts of the path that are secrets
    (the token of a participation or survey link, an invitation, a password-reset key) are replaced by "…", so a
    report never hands a personal link to the editorial office. Any other text is kept as entered.
    """
    value = (value or "").strip()[:500]
    if not value:
        return ""
    parts = urlsplit(value)
    own_host = urlsplit(settings.DAKS_BASE_URL).netloc
    if parts.scheme or parts.netloc:
        if parts.netloc != own_host or parts.scheme not in {"http", "https"}:
            return value
    elif not value.startswith("/"):
        return value
    path = parts.path or "/"
    try:
        match = resolve(path)
    except Resolver404:
        return path
    secrets = [str(argument) for name, argument in match.kwargs.items() if _SECRET_PARAMETER.search(name)]
    if not secrets:
        return path
    segments = path.split("/")
    for secret in secrets:
        if secret:
            segments = [segment.replace(secret, "…") for segment in segments]
    return "/".join(segments)


def barrier_report_create(
    *,
    description: str,
    address: str,
    page_url: str = "",
    name: str = "",
    email: str = "",
    honeypot: str = "",
    language: str = "de",
) -> BarrierReport:
    """Store a reported barrier and mail it to the editorial office (after the commit).

    Raises ``DomainError`` (German) when the honeypot is filled and ``RateLimited`` beyond ``barrier_report_ip``
    per (hashed) ``address``; nothing is stored then. The audit log records only that a report arrived, never
    its text or the reporter's details.
    """
    from daks.workshops.participation import rate_limit

    if honeypot:
        raise DomainError(_("Your message could not be sent. Please leave the last field empty."))
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Please describe the barrier."), field="description")
    rate_limit(BARRIER_REPORT_RATE_LIMIT, address)
    with transaction.atomic():
        report = BarrierReport.objects.create(
            description=description,
            page_url=clean_page_address(page_url),
            name=(name or "").strip()[:100],
            email=(email or "").strip(),
            language=language or "de",
        )
        log_action("pages.barrier_report.received", obj=report, report=report.pk)
        recipients = barrier_report_recipients()
        if not recipients:
            logger.warning(
                "Barrier report %s stored, but nobody receives it by e-mail: set DAKS_ACCESSIBILITY_FEEDBACK_EMAIL.",
                report.pk,
            )
        context = {
            "report": report,
            "page_link": (
                settings.DAKS_BASE_URL + report.page_url if report.page_url.startswith("/") else report.page_url
            ),
            "admin_url": settings.DAKS_BASE_URL + reverse("admin:pages_barrierreport_change", args=[report.pk]),
        }

        def send():
            for recipient, recipient_language in recipients:
                send_templated_mail(
                    "pages/email/barrier_report", context, [recipient], language=recipient_language or "de"
                )

        transaction.on_commit(send)
    return report
