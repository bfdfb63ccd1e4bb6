from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


def _delete_archive(sender, instance, **kwargs) -> None:
    """An export's ZIP goes with its row (also when the whole Kommune is deleted): it holds all of its data.
    Deleted once the transaction commits, so a rolled-back deletion keeps the file."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))


class PortabilityConfig(AppConfig):
    name = "daks.portability"
    label = "portability"
    verbose_name = _("Data portability")

    def ready(self):
        from daks.strategy.activity import register_action

        for code, text in [
            ("portability.export.requested", _("started an export of the workspace “%(object)s”")),
            ("portability.export.command", _("exported the workspace “%(object)s” on the command line")),
            ("portability.export.downloaded", _("downloaded the export of the workspace “%(object)s”")),
            ("portability.workspace.imported", _("imported the workspace “%(object)s”")),
        ]:
            register_action(code, text)

        from .models import WorkspaceExport

        post_delete.connect(_delete_archive, sender=WorkspaceExport, dispatch_uid="portability-delete-archive")
