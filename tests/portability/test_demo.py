from io import StringIO

from daks.portability.demo import seed_portability
from daks.portability.models import WorkspaceExport


def test_seed_portability_builds_one_export_and_is_idempotent(workspace, municipality):
    out = StringIO()
    export = seed_portability(out, slug=municipality.slug)
    assert export.is_available() and export.object_count > 50
    assert "Export von Musterstadt" in out.getvalue()
    assert seed_portability(StringIO(), slug=municipality.slug) == export
    assert WorkspaceExport.objects.count() == 1


def test_seed_portability_without_the_demo_town(db):
    assert seed_portability(StringIO()) is None
