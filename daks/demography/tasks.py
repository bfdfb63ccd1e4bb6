"""Background tasks of the demography app (run by ``python manage.py db_worker`` in production)."""

import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import pipeline
from .models import ProjectionScenario

logger = logging.getLogger(__name__)

Status = ProjectionScenario.Status


def _set(scenario_id: int, **fields) -> None:
    # Written outside any transaction, so the status page sees each step at once.
    ProjectionScenario.objects.filter(pk=scenario_id).update(**fields)


@task()
def compute_scenario_task(scenario_id: int) -> int:
    """Compute a Kommune's own scenario: status queued → running (with its step) → done or failed (German text)."""
    scenario = (
        ProjectionScenario.objects.filter(pk=scenario_id, municipality__isnull=False)
        .select_related("municipality")
        .first()
    )
    if scenario is None:  # deleted in the meantime
        return 0
    _set(scenario_id, status=Status.RUNNING, progress="", error="")

    def progress(step: str) -> None:
        ProjectionScenario.objects.filter(pk=scenario_id, status=Status.RUNNING).update(progress=step)

    # The error text is stored, so it is written in the site's language (not that of whoever queued the task).
    with translation.override(settings.LANGUAGE_CODE):
        try:
            count = pipeline.compute_scenario(scenario, progress=progress)
        except pipeline.ScenarioChanged:
            return 0  # a newer computation is queued and will set the status
        except pipeline.NoScenarioRegions:
            _set(
                scenario_id,
                status=Status.FAILED,
                progress="",
                error=_(
                    "There are no population figures by age for the municipality's region, its district or its "
                    "state. The scenario can be calculated once such data has been imported."
                ),
            )
            return 0
        except Exception:
            logger.exception("Computing scenario %s failed", scenario_id)
            _set(
                scenario_id,
                status=Status.FAILED,
                progress="",
                error=_("The calculation failed. Please try again later or contact the support team."),
            )
            raise
    _set(scenario_id, status=Status.DONE, progress="", error="", computed_at=timezone.now())
    return count
