"""The daily purge of deletions whose grace period is over: accounts and Kommunen (docs/deletion.md).

Idempotent: what is deleted is gone, what is not yet due stays; running it twice a day is harmless.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from daks.municipalities import deletion as municipality_deletion

from . import services


@dataclass
class PurgeReport:
    municipalities: list[tuple[str, int]] = field(default_factory=list)  # (name, files removed)
    accounts: services.PurgeResult = field(default_factory=services.PurgeResult)

    def lines(self) -> list[str]:
        lines = [f"Deleted municipality “{name}” ({files} file(s) removed)." for name, files in self.municipalities]
        lines += [f"Deleted account #{pk}." for pk in self.accounts.deleted]
        lines += [
            f"Deleted municipality “{name}” together with the account of its only member."
            for name in self.accounts.municipalities
        ]
        lines += [f"Skipped account #{pk}: {reason}" for pk, reason in self.accounts.skipped]
        if not (self.municipalities or self.accounts.deleted or self.accounts.skipped):
            lines.append("Nothing to purge.")
        return lines

    def as_dict(self) -> dict:
        return {
            "municipalities": [name for name, _files in self.municipalities],
            "files": sum(files for _name, files in self.municipalities),
            "accounts": list(self.accounts.deleted),
            "municipalities_with_accounts": list(self.accounts.municipalities),
            "skipped_accounts": [pk for pk, _reason in self.accounts.skipped],
        }


def purge_deletions(*, now: datetime | None = None) -> PurgeReport:
    """Delete the Kommunen, then the accounts whose grace period ended at ``now`` (default: now)."""
    now = now or timezone.now()
    report = PurgeReport()
    report.municipalities = municipality_deletion.purge_due_municipalities(now=now)
    report.accounts = services.purge_due_accounts(now=now)
    return report


def due(*, now: datetime | None = None) -> list[str]:
    """What a purge at ``now`` would delete (for ``--dry-run``)."""
    now = now or timezone.now()
    lines = [
        f"Would delete municipality “{m.name}” (scheduled for {m.deletion_scheduled_for:%Y-%m-%d %H:%M})."
        for m in municipality_deletion.due_municipalities(now=now)
    ]
    lines += [
        f"Would delete account #{u.pk} (scheduled for {u.deletion_scheduled_for:%Y-%m-%d %H:%M})."
        for u in services.due_accounts(now=now)
    ]
    return lines or ["Nothing to purge."]
