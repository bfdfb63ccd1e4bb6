"""Background task of the Werkzeugkoffer (run by ``python manage.py db_worker`` in production)."""

from django_tasks import task


@task()
def embed_tools_task(tool_ids: list[int]) -> int:
    """Compute the vectors of the semantic search for the tools whose text changed (``services.embed_tools``)."""
    from .models import Tool
    from .services import embed_tools

    return embed_tools(tools=Tool.objects.filter(pk__in=tool_ids))
