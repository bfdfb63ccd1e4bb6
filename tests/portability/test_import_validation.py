"""A damaged or forged archive changes nothing: no rows, no files, and a clear German message."""

import hashlib
import io
import json
import stat
import zipfile

import pytest
from django.apps import apps
from django.template.defaultfilters import filesizeformat
from django.utils.translation import override

from daks.portability import importer
from daks.portability.importer import ArchiveError

from .factories import damaged, de, zip_with
from .roundtrip import export_bytes, stored_files


def state():
    """Row counts of all tables and the stored files: must be the same after a refused import."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}, stored_files()


def import_refused(user, archive) -> str:
    before = state()
    with pytest.raises(ArchiveError) as caught:
        importer.import_workspace(user=user, fileobj=archive)
    assert state() == before
    return caught.value.message


def rewrite(data: bytes, *, change_data=None, replace=None, add=None) -> io.BytesIO:
    """A copy of the archive ``data`` with data.json changed by ``change_data(payload)`` and entries replaced."""
    entries = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            entries[name] = archive.read(name)
    if change_data is not None:
        payload = json.loads(entries["data.json"])
        change_data(payload)
        entries["data.json"] = json.dumps(payload).encode()
    entries.update(replace or {})
    entries.update(add or {})
    return zip_with(entries)


@pytest.fixture
def archive_bytes(workspace, municipality):
    data = export_bytes(municipality)
    # the source keeps existing: free its official key so that an intact archive could be imported next to it
    municipality.official_key = ""
    municipality.kind = "quartier"
    municipality.save()
    return data


def objects(payload, label):
    return payload["models"][label]["objects"]


def test_an_intact_archive_is_imported(archive_bytes, coordinator):
    # the baseline of all tests below: only their damage makes the import fail
    result = importer.import_workspace(user=coordinator, fileobj=io.BytesIO(archive_bytes))
    assert result.municipality.slug == "musterstadt-2"


def test_not_a_zip(coordinator):
    message = import_refused(coordinator, io.BytesIO(b"<html>no zip</html>"))
    assert message == damaged("it is not a ZIP file or it is broken.")


def test_without_data_json(coordinator):
    message = import_refused(coordinator, zip_with({"README.txt": b"hallo"}))
    assert message == damaged("it does not contain a data.json; it is not a DAKS workspace export.")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "files/../../evil.txt", "files\\..\\evil", "C:/x"])
def test_paths_outside_the_archive_are_refused(coordinator, name):
    message = import_refused(coordinator, zip_with({"data.json": b"{}", name: b"x"}))
    assert message == damaged("it contains a file with an invalid path (“%(name)s”).", name=name)


def test_unexpected_files_are_refused(coordinator):
    message = import_refused(coordinator, zip_with({"data.json": b"{}", "run.sh": b"rm -rf /"}))
    assert message == damaged("it contains an unexpected file (“%(name)s”).", name="run.sh")


def test_links_are_refused(coordinator):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.json", b"{}")
        info = zipfile.ZipInfo("files/link")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, b"/etc/passwd")
    message = import_refused(coordinator, buffer)
    assert message == damaged("it contains a link (“%(name)s”).", name="files/link")


def test_zip_bombs_are_refused_before_anything_is_unpacked(coordinator):
    bomb = zip_with({"data.json": b"{}", "files/zeros.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb.getvalue()) < 100_000
    message = import_refused(coordinator, bomb)
    assert message == damaged(
        "the file “%(name)s” is compressed implausibly strongly (zip bomb).", name="files/zeros.bin"
    )


def size(value) -> str:
    with override("de"):
        return filesizeformat(value)


def test_size_limits(coordinator, settings, archive_bytes):
    settings.DAKS_PORTABILITY_MAX_ARCHIVE_BYTES = 1000
    message = import_refused(coordinator, io.BytesIO(archive_bytes))
    assert message == damaged(
        "it is larger (%(size)s) than the %(max)s allowed.", size=size(len(archive_bytes)), max=size(1000)
    )
    settings.DAKS_PORTABILITY_MAX_ARCHIVE_BYTES = 10**9
    settings.DAKS_PORTABILITY_MAX_ENTRIES = 3
    message = import_refused(coordinator, io.BytesIO(archive_bytes))
    assert message == damaged("it contains too many files (more than %(max)d).", max=3)
    settings.DAKS_PORTABILITY_MAX_ENTRIES = 20_000
    settings.DAKS_PORTABILITY_MAX_UNCOMPRESSED_BYTES = 1000
    message = import_refused(coordinator, io.BytesIO(archive_bytes))
    assert message.startswith(
        damaged("its contents are larger (%(size)s) than the %(max)s allowed.", size="x", max="y")[:30]
    )
    assert size(1000) in message
    settings.DAKS_PORTABILITY_MAX_UNCOMPRESSED_BYTES = 10**10
    settings.DAKS_PORTABILITY_MAX_FILE_BYTES = 100
    message = import_refused(coordinator, io.BytesIO(archive_bytes))
    assert (
        de("the file “%(name)s” is larger (%(size)s) than the %(max)s allowed.", name="x", size="y", max="z")[:10]
        in message
    )


def test_invalid_json(coordinator):
    message = import_refused(coordinator, zip_with({"data.json": b"{not json"}))
    assert message == damaged("its data.json is not valid JSON.")


def test_another_format(coordinator):
    message = import_refused(coordinator, zip_with({"data.json": json.dumps({"format": "other"}).encode()}))
    assert message == damaged("its data.json is not a DAKS workspace export.")


def test_a_newer_schema_version_is_refused(archive_bytes, coordinator):
    message = import_refused(
        coordinator, rewrite(archive_bytes, change_data=lambda payload: payload.update(schema_version=99))
    )
    assert message == damaged(
        "it was written by a newer version of DAKS (format version %(version)d; this instance reads up to "
        "%(supported)d). Please update this instance first.",
        version=99,
        supported=1,
    )


def test_unknown_kinds_of_data_are_refused(archive_bytes, coordinator):
    def change(payload):
        payload["models"]["accounts.User"] = {"objects": [{"id": 1, "is_superuser": True}]}

    message = import_refused(coordinator, rewrite(archive_bytes, change_data=change))
    assert message == damaged(
        "it contains data of the unknown kind “%(kind)s” (from a newer version of DAKS?).", kind="accounts.User"
    )


def test_unknown_fields_are_refused(archive_bytes, coordinator):
    message = import_refused(
        coordinator,
        rewrite(archive_bytes, change_data=lambda p: objects(p, "plans.Measure")[0].update(is_staff=True)),
    )
    assert de("unknown field (from a newer version of DAKS?).") in message


def test_relations_to_objects_outside_the_archive_are_refused(archive_bytes, coordinator):
    message = import_refused(
        coordinator, rewrite(archive_bytes, change_data=lambda p: objects(p, "plans.Measure")[0].update(plan=99999))
    )
    assert de("it refers to an object that is not in the archive.") in message


def test_relations_to_unknown_people_are_refused(archive_bytes, coordinator):
    message = import_refused(
        coordinator,
        rewrite(archive_bytes, change_data=lambda p: objects(p, "plans.Measure")[0].update(responsible_person=424242)),
    )
    assert de("the person is missing in the archive.") in message


def test_duplicate_ids_are_refused(archive_bytes, coordinator):
    def change(payload):
        goals = objects(payload, "plans.Goal")
        goals.append(dict(goals[0]))

    goal_id = objects(json.loads(_data(archive_bytes)), "plans.Goal")[0]["id"]
    message = import_refused(coordinator, rewrite(archive_bytes, change_data=change))
    assert message == damaged("the id %(id)s occurs twice among “%(kind)s”.", id=goal_id, kind=de("goals"))


def _data(archive_bytes):
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        return archive.read("data.json")


@pytest.mark.parametrize(
    ("label", "field", "value"),
    [
        ("plans.Measure", "status", "hacked"),
        ("plans.Measure", "progress", "viel"),
        ("plans.Measure", "title", "x" * 1000),
        ("plans.Measure", "title", None),
        ("plans.Measure", "budget_own", {"$gt": 1}),
        ("municipalities.Municipality", "state", "XX"),
    ],
)
def test_invalid_values_are_refused(archive_bytes, coordinator, label, field, value):
    message = import_refused(
        coordinator, rewrite(archive_bytes, change_data=lambda p: objects(p, label)[0].update({field: value}))
    )
    assert field in message


def test_a_changed_file_rolls_everything_back(archive_bytes, coordinator):
    # The news image is stored last: the Kommune, hundreds of rows and six files exist by then; all must go.
    payload = json.loads(_data(archive_bytes))
    path = objects(payload, "news.NewsItem")[0]["image"]["path"]
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        content = bytearray(archive.read(path))
    content[len(content) // 2] ^= 0xFF  # same size, one byte changed
    message = import_refused(coordinator, rewrite(archive_bytes, replace={path: bytes(content)}))
    assert message == damaged(
        "the file “%(name)s” in it does not match its checksum (it was changed or is damaged).", name=path
    )


def test_a_disguised_file_is_refused(archive_bytes, coordinator):
    # a forged archive with a web page as "logo": its checksum fits, its content does not
    html = b"<html><script>alert(1)</script></html>"
    path = objects(json.loads(_data(archive_bytes)), "municipalities.Municipality")[0]["logo"]["path"]

    def change(payload):
        logo = objects(payload, "municipalities.Municipality")[0]["logo"]
        logo.update(size=len(html), sha256=hashlib.sha256(html).hexdigest())

    message = import_refused(coordinator, rewrite(archive_bytes, change_data=change, replace={path: html}))
    assert message == damaged(
        "the file “%(name)s” is not of a type allowed for “%(field)s”.", name=path, field=de("logo")
    )


def test_a_violated_database_rule_rolls_everything_back(archive_bytes, coordinator):
    # contact data of an actor without consent: the database refuses it when the rows are written
    def change(payload):
        objects(payload, "strategy.Actor")[0].update(contact_consent=False)

    message = import_refused(coordinator, rewrite(archive_bytes, change_data=change))
    assert message.startswith(
        damaged("its data contradict each other or the rules of the database (%(detail)s).", detail="")[:40]
    )


def test_a_municipality_registered_already_is_refused(workspace, municipality, coordinator):
    data = export_bytes(municipality)
    message = import_refused(coordinator, io.BytesIO(data))
    assert message == de(
        "%(name)s (official key %(key)s) is already registered in this DAKS instance. A workspace can be imported "
        "only once per municipality: ask the coordination of %(name)s to let you join, or to delete that workspace "
        "first. Nothing has been imported.",
        name="Musterstadt",
        key="09162999",
    )


def test_images_with_metadata_lose_it_on_import(archive_bytes, coordinator):
    # an archive made elsewhere may carry a photo with its GPS position: stored re-encoded, as an upload would be
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x8825] = {2: (48.0, 8.0, 0.0), 1: "N"}  # GPS info
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG", exif=exif, comment=b"Aufgenommen bei Anna")
    photo = out.getvalue()
    path = objects(json.loads(_data(archive_bytes)), "municipalities.Municipality")[0]["logo"]["path"]

    def change(payload):
        logo = objects(payload, "municipalities.Municipality")[0]["logo"]
        logo.update(size=len(photo), sha256=hashlib.sha256(photo).hexdigest())

    result = importer.import_workspace(
        user=coordinator, fileobj=rewrite(archive_bytes, change_data=change, replace={path: photo})
    )
    with result.municipality.logo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and image.size == (40, 30)
        assert not image.getexif() and "comment" not in image.info
