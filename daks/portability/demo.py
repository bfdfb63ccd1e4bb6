"""Demo content: one finished export of the demo town, so that the download can be tried at once."""

from daks.municipalities.models import Membership, Municipality, Role

from .models import WorkspaceExport
from .services import export_run


def seed_portability(stdout=None, *, slug: str = "beispielstadt") -> WorkspaceExport | None:
    """Build an export of the demo town (idempotent: nothing happens while one is still available)."""
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        return None
    current = [export for export in municipality.workspace_exports.all() if export.is_available()]
    if current:
        return current[0]
    coordination = Membership.objects.filter(municipality=municipality, role=Role.COORDINATION).first()
    export = WorkspaceExport.objects.create(
        municipality=municipality, requested_by=coordination.user if coordination else None
    )
    export_run(export_id=export.pk)
    export.refresh_from_db()
    if stdout is not None:
        stdout.write(f"Datenmitnahme: Export von {municipality.name} erstellt ({export.object_count} Objekte).")
    return export
