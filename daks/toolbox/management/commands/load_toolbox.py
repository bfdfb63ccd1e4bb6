"""Load the editorial tools of the Werkzeugkoffer (daks/toolbox/content/*.md): create new ones, update changed
ones (matched by their address), all or nothing. Then, with the semantic search, compute the vectors of the tools
whose text changed (synchronously, with progress: no worker is needed for the search by meaning)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from daks.core.errors import DomainError
from daks.toolbox.content import CONTENT_DIR, ContentError, load_sources
from daks.toolbox.semantic import progress_printer
from daks.toolbox.services import embed_tools, toolbox_load


class Command(BaseCommand):
    help = "Load the editorial tools of the toolbox from Markdown files (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", type=Path, default=CONTENT_DIR, help="Folder with the *.md tool files.")
        parser.add_argument("--check", action="store_true", help="Only check the files; write nothing.")

    def handle(self, *args, directory: Path, check: bool, **options):
        try:
            sources = load_sources(directory)
        except ContentError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error
        if not sources:
            raise CommandError(f"No tool files (*.md) in {directory}.")
        if check:
            self.stdout.write(f"{len(sources)} tool files are valid.")
            return
        try:
            created, updated = toolbox_load(sources=sources)
        except DomainError as error:
            raise CommandError(f"Nothing was loaded: {error.message}") from error
        self.stdout.write(self.style.SUCCESS(f"Toolbox: {created} tools created, {updated} updated."))
        embed_tools(progress=progress_printer(self.stdout))
