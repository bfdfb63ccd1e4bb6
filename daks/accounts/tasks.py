"""Background jobs of the accounts app (run by `python manage.py db_worker` in production)."""

from django_tasks import task


@task()
def purge_deletions() -> dict:
    """Delete the accounts and Kommunen whose grace period is over (see ``purge_deletions`` command)."""
    from .purge import purge_deletions as run

    return run().as_dict()
