"""Background task of the open data (run by ``python manage.py db_worker`` in production)."""

import logging

from django_tasks import task

from .build import build_open_data

logger = logging.getLogger(__name__)


@task()
def build_open_data_task() -> dict:
    """Regenerate all open-data files (queued by ``compute_demography`` when the results changed)."""
    summary = build_open_data(progress=logger.info)
    logger.info(summary.as_line())
    return {"generated_at": summary.generated_at, "files": {f.name: f.rows for f in summary.files}}
