"""Import a workspace archive as a new Kommune; the given person becomes its Koordination."""

from django.core.management.base import BaseCommand, CommandError

from daks.accounts.models import User
from daks.core.errors import DomainError
from daks.portability import importer


class Command(BaseCommand):
    help = "Import a workspace archive (ZIP of export_workspace or of the download) as a new municipality."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The ZIP file of a workspace export.")
        parser.add_argument(
            "--coordinator",
            required=True,
            help="E-mail address of the existing account that becomes the coordination of the new municipality.",
        )

    def handle(self, *args, archive, coordinator, **options):
        user = User.objects.filter(email__iexact=coordinator.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active account with the e-mail address {coordinator!r}.")
        try:
            with open(archive, "rb") as fileobj:
                result = importer.import_workspace(user=user, fileobj=fileobj)
        except OSError as error:
            raise CommandError(f"Cannot read {archive}: {error}") from None
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        municipality = result.municipality
        self.stdout.write(
            f"Imported as {municipality.name} (/kommunen/{municipality.slug}/): {result.object_count} objects, "
            f"{result.invitations} open invitation(s) (not sent), coordination: {user.email}."
        )
        for label, count in sorted(result.skipped.items()):
            self.stdout.write(f"Skipped {count} {label} (their references do not exist in this instance).")
