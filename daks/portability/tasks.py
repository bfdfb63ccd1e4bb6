"""Background task of the data portability (run by ``python manage.py db_worker`` in production)."""

from django_tasks import task


@task()
def export_workspace_task(export_id: int) -> int:
    """Build the archive of the export ``export_id``: queued → running (progress) → done or failed."""
    from .services import export_run

    return export_run(export_id=export_id)
