"""The import_regions management command."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from daks.demography.models import Region

from . import builders as b

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_command_imports_and_reports(tmp_path):
    out = StringIO()
    call_command("import_regions", b.write(tmp_path, b.small_file()), stdout=out)
    output = out.getvalue()
    assert "16/16 regions processed" in output
    assert output.rstrip().endswith("imported 15 regions (2 Länder, 2 Kreise, 4 Gemeindeverbände, 6 Gemeinden)")
    assert Region.objects.count() == 16


@pytest.mark.django_db
def test_command_dry_run(tmp_path):
    out = StringIO()
    call_command("import_regions", b.write(tmp_path, b.small_file()), "--dry-run", stdout=out)
    assert "[dry run, nothing written] imported 15 regions" in out.getvalue()
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_command_invalid_file(tmp_path):
    lines = b.small_file()
    lines[16 - 2] = lines[16 - 2][:-1]
    with pytest.raises(CommandError, match="Zeile 15: Die Zeile hat 219 statt 220 Zeichen"):
        call_command("import_regions", b.write(tmp_path, lines), stdout=StringIO())
    assert Region.objects.count() == 0


def test_command_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Datei nicht gefunden"):
        call_command("import_regions", str(tmp_path / "nope.txt"), stdout=StringIO())


def test_command_exit_status_and_stderr(tmp_path):
    lines = b.small_file()
    lines[10] = b.line("99", "07", "Aremberg")
    env = {**os.environ, "DAKS_TESTING": "true", "DAKS_VAR_DIR": str(tmp_path / "var")}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_regions", b.write(tmp_path, lines)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Die Datei ist ungültig (1 Fehler)" in result.stderr
    assert "Zeile 11: Satzart 99 ist unbekannt" in result.stderr
    assert "imported" not in result.stdout
