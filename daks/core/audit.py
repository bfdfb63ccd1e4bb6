from typing import Any

from .models import AuditLogEntry


def log_action(action: str, *, actor=None, municipality=None, obj: Any = None, **data: Any) -> AuditLogEntry:
    """Record an audit entry, e.g. ``log_action("municipality.member.removed", actor=user, ...)``.

    Entries about an object of a strategy process (anything with a ``process_id``) carry ``data["process"]``
    automatically, so they appear in that process's activity feed without each service remembering it.
    """
    if "process" not in data and getattr(obj, "process_id", None) is not None:
        data["process"] = obj.process_id
    return AuditLogEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        municipality=municipality,
        object_repr=str(obj)[:255] if obj is not None else "",
        data=dict(data),
    )
