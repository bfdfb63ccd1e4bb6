"""The management commands export_workspace, import_workspace and purge_workspace_exports."""

import datetime
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from daks.municipalities.models import Municipality
from daks.portability.models import WorkspaceExport

from .factories import damaged, zip_with
from .roundtrip import wipe_instance


def test_export_and_import_on_the_command_line(workspace, municipality, coordinator, tmp_path):
    target = tmp_path / "musterstadt.zip"
    out = StringIO()
    call_command("export_workspace", "musterstadt", str(target), stdout=out)
    assert "7 files" in out.getvalue()
    with zipfile.ZipFile(target) as archive:
        assert {"data.json", "README.txt"} <= set(archive.namelist())
    with pytest.raises(CommandError, match="--force"):
        call_command("export_workspace", "musterstadt", str(target))

    wipe_instance(keep=coordinator, tools=[workspace["own_tool"].pk])
    out = StringIO()
    call_command("import_workspace", str(target), "--coordinator", coordinator.email.upper(), stdout=out)
    new = Municipality.objects.get()
    assert f"/kommunen/{new.slug}/" in out.getvalue()
    assert "3 open invitation(s)" in out.getvalue()
    assert new.memberships.get().user == coordinator


def test_command_errors(db, tmp_path, user):
    with pytest.raises(CommandError, match="no municipality"):
        call_command("export_workspace", "gibt-es-nicht", str(tmp_path / "x.zip"))
    with pytest.raises(CommandError, match="no active account"):
        call_command("import_workspace", str(tmp_path / "x.zip"), "--coordinator", "niemand@example.org")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_workspace", str(tmp_path / "x.zip"), "--coordinator", user.email)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(zip_with({"README.txt": b"x"}).getvalue())
    with pytest.raises(CommandError) as caught:
        call_command("import_workspace", str(broken), "--coordinator", user.email)
    assert str(caught.value) == damaged("it does not contain a data.json; it is not a DAKS workspace export.")
    assert not Municipality.objects.exists()


def test_purging_expired_exports(municipality, coordinator):
    old = WorkspaceExport.objects.create(
        municipality=municipality, status="done", expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    failed = WorkspaceExport.objects.create(municipality=municipality, status="failed")
    WorkspaceExport.objects.filter(pk=failed.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    fresh = WorkspaceExport.objects.create(
        municipality=municipality, status="done", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    out = StringIO()
    call_command("purge_workspace_exports", stdout=out)
    assert "2 expired export(s) deleted." in out.getvalue()
    assert list(WorkspaceExport.objects.all()) == [fresh]
    assert not WorkspaceExport.objects.filter(pk=old.pk).exists()
