"""Importing a workspace archive (see ``exporter``) as a new Kommune of this instance: all or nothing.

1. ``open_archive`` checks the ZIP before anything is read: its size, the number of entries, their names (no
   absolute paths, no ``..``, nothing outside ``data.json``, ``README.txt`` and ``files/``), no encryption or links,
   bounded sizes and compression ratios (zip bombs), then parses ``data.json`` and checks format and schema version.
2. ``_Importer.validate`` checks every object before anything is written: known kinds and fields, values of the
   right type (choices, lengths), ids unique, every relation pointing to an object of the archive (or to a person
   of "people", or to a reference by its key), every file present with the announced size.
3. ``_Importer.run`` creates everything in ONE transaction: the new Kommune (free slug, not verified unless the
   importing person's e-mail domain matches its website, like a registration), the importing person as its
   Koordination, the other team members as open invitations that are not sent, then all objects in the order of
   their relations with new ids. Files are checked by content, checksum and size while being stored; if anything
   fails, the transaction is rolled back and every file written so far is deleted again.

What is not carried over (documented in docs/portability.md): accounts of other people (relations to them stay
empty; their votes and supports in workshops are kept as anonymous participants), secret links of the old instance
(participation, survey, meeting invitations), the verification and publication by the old instance's editorial
office (tools and news are submitted for review again), join requests and contact consents (record only).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import posixpath
import secrets
import stat
import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DataError, IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from daks.core.errors import DomainError
from daks.core.text import german_slugify
from daks.core.uploads import EXTENSIONS as UPLOAD_EXTENSIONS
from daks.core.uploads import PILLOW_FORMATS, _sniff, without_metadata

from . import registry
from .exporter import FORMAT, SCHEMA_VERSION, exported_fields

MB = 1024 * 1024
MISSING = object()
DEFER = object()
RESERVED_SLUGS = {"importieren"}


def limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_archive_bytes() -> int:
    return limit("DAKS_PORTABILITY_MAX_ARCHIVE_BYTES", 500 * MB)


def max_total_bytes() -> int:
    return limit("DAKS_PORTABILITY_MAX_UNCOMPRESSED_BYTES", 2048 * MB)


def max_data_bytes() -> int:
    return limit("DAKS_PORTABILITY_MAX_DATA_BYTES", 200 * MB)


def max_file_bytes() -> int:
    return limit("DAKS_PORTABILITY_MAX_FILE_BYTES", 250 * MB)


def max_entries() -> int:
    return limit("DAKS_PORTABILITY_MAX_ENTRIES", 20_000)


#: Compression ratio above which a large entry is taken for a zip bomb (JSON compresses about 10:1).
MAX_RATIO = 200
RATIO_CHECK_FROM = MB


class ArchiveError(DomainError):
    """The archive cannot be imported; ``message`` says why (German). Nothing has been written."""


@dataclass
class ImportResult:
    municipality: object
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    invitations: int = 0
    people_not_linked: int = 0
    #: Anonymous participants standing in for members whose votes and supports were kept.
    stand_in_participants: int = 0
    #: The new id of every imported object: ``{"plans.Measure": {old id: new id}}``.
    ids: dict[str, dict[int, int]] = field(default_factory=dict)

    @property
    def object_count(self) -> int:
        return sum(self.counts.values())


# --- The archive ------------------------------------------------------------------------------------------------


@dataclass
class Archive:
    zip: zipfile.ZipFile
    entries: dict[str, zipfile.ZipInfo]
    data: dict


def _damaged(detail: str) -> ArchiveError:
    return ArchiveError(_("The archive cannot be imported: %(detail)s Nothing has been imported.") % {"detail": detail})


def _safe_name(name: str) -> bool:
    if not name or len(name) > 500 or "\\" in name or "\x00" in name or ":" in name or name.startswith("/"):
        return False
    stripped = name[:-1] if name.endswith("/") else name
    parts = stripped.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return False
    return posixpath.normpath(stripped) == stripped


def _file_size(fileobj) -> int:
    size = getattr(fileobj, "size", None)
    if size is not None:
        return size
    position = fileobj.tell()
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(position)
    return size


def open_archive(fileobj) -> Archive:
    """Check the ZIP ``fileobj`` (a binary file object) and parse its ``data.json``; raises ArchiveError."""
    size = _file_size(fileobj)
    if size > max_archive_bytes():
        raise _damaged(
            _("it is larger (%(size)s) than the %(max)s allowed.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_archive_bytes())}
        )
    try:
        fileobj.seek(0)
        archive = zipfile.ZipFile(fileobj)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _damaged(_("it is not a ZIP file or it is broken.")) from None
    if len(infos) > max_entries():
        raise _damaged(_("it contains too many files (more than %(max)d).") % {"max": max_entries()})
    entries: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if not _safe_name(name):
            raise _damaged(_("it contains a file with an invalid path (“%(name)s”).") % {"name": name[:200]})
        if name in entries:
            raise _damaged(_("it contains the file “%(name)s” twice.") % {"name": name})
        if info.flag_bits & 0x1:
            raise _damaged(_("it is encrypted."))
        if stat.S_ISLNK(info.external_attr >> 16):
            raise _damaged(_("it contains a link (“%(name)s”).") % {"name": name})
        if info.is_dir():
            if not name.startswith("files/"):
                raise _damaged(_("it contains an unexpected folder (“%(name)s”).") % {"name": name})
            continue
        if name not in ("data.json", "README.txt") and not name.startswith("files/"):
            raise _damaged(_("it contains an unexpected file (“%(name)s”).") % {"name": name})
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged(_("it uses an unsupported compression method."))
        limit_bytes = max_data_bytes() if name == "data.json" else max_file_bytes()
        if info.file_size > limit_bytes:
            raise _damaged(
                _("the file “%(name)s” is larger (%(size)s) than the %(max)s allowed.")
                % {"name": name, "size": filesizeformat(info.file_size), "max": filesizeformat(limit_bytes)}
            )
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _damaged(_("the file “%(name)s” is compressed implausibly strongly (zip bomb).") % {"name": name})
        total += info.file_size
        entries[name] = info
    if total > max_total_bytes():
        raise _damaged(
            _("its contents are larger (%(size)s) than the %(max)s allowed.")
            % {"size": filesizeformat(total), "max": filesizeformat(max_total_bytes())}
        )
    if "data.json" not in entries:
        raise _damaged(_("it does not contain a data.json; it is not a DAKS workspace export."))
    raw = _read_entry(archive, entries["data.json"])
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise _damaged(_("its data.json is not valid JSON.")) from None
    del raw
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _damaged(_("its data.json is not a DAKS workspace export."))
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _damaged(_("its data.json has no valid format version."))
    if version > SCHEMA_VERSION:
        raise _damaged(
            _(
                "it was written by a newer version of DAKS (format version %(version)d; this instance reads up to "
                "%(supported)d). Please update this instance first."
            )
            % {"version": version, "supported": SCHEMA_VERSION}
        )
    if not isinstance(data.get("models"), dict) or not isinstance(data.get("people", []), list):
        raise _damaged(_("its data.json is incomplete."))
    return Archive(zip=archive, entries=entries, data=data)


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise _damaged(_("the file “%(name)s” in it is damaged.") % {"name": info.filename}) from None
    if len(data) != info.file_size:
        raise _damaged(_("the file “%(name)s” in it is damaged.") % {"name": info.filename})
    return data


# --- Files ------------------------------------------------------------------------------------------------------

# The upload kinds' extensions, and the videos of toolbox entries (checked by their own service on upload).
EXTENSIONS = {**UPLOAD_EXTENSIONS, "mp4": "mp4", "webm": "webm"}


def detect_kind(head: bytes, read_all) -> str | None:
    """The kind of a file by its content (``read_all()`` returns all bytes; needed for ODT/DOCX only)."""
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    if head.startswith(b"PK\x03\x04"):
        return _sniff(read_all())
    return _sniff(head)


def _safe_basename(name: str, kind: str) -> str:
    base = posixpath.basename(str(name or "").replace("\\", "/"))
    stem = german_slugify(base.rsplit(".", 1)[0], max_length=80) or "datei"
    return f"{stem}.{EXTENSIONS[kind]}"


# --- The import -------------------------------------------------------------------------------------------------


@dataclass
class _Row:
    old_id: int
    values: dict  # field name → Python value (relations: their JSON form, files: the file dict)


class _Importer:
    def __init__(self, archive: Archive, *, user, now=None):
        self.archive = archive
        self.data = archive.data
        self.user = user
        self.now = now or timezone.now()
        self.rows: dict[str, list[_Row]] = {}
        self.people: dict[int, dict] = {}
        self.me: set[int] = set()
        self.maps: dict[str, dict[int, int]] = defaultdict(dict)
        self.skipped_ids: dict[str, set[int]] = defaultdict(set)
        self.deferred: list[tuple[models.Model, str, str, int]] = []
        self.written: list[tuple[object, str]] = []
        self.ref_cache: dict[tuple[str, str], int | None] = {}
        self.used_slugs: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.synthetic: dict[tuple[int, int], int] = {}
        self.synthetic_links: dict[int, int] = {}
        self.result: ImportResult | None = None
        self.people_not_linked: set[int] = set()

    # --- validation (nothing is written) -------------------------------------------------------------------

    def problem(self, label: str, old_id, field_name: str, detail: str) -> ArchiveError:
        model = registry.get_model(label)
        return _damaged(
            _("%(kind)s with id %(id)s, field “%(field)s”: %(detail)s")
            % {"kind": model._meta.verbose_name, "id": old_id, "field": field_name, "detail": detail}
        )

    def validate(self) -> None:
        self._validate_people()
        for label, entry in self.data["models"].items():
            if label not in registry.INCLUDED:
                raise _damaged(
                    _("it contains data of the unknown kind “%(kind)s” (from a newer version of DAKS?).")
                    % {"kind": str(label)[:100]}
                )
            if not isinstance(entry, dict) or not isinstance(entry.get("objects"), list):
                raise _damaged(_("the data of “%(kind)s” are incomplete.") % {"kind": label})
            self.rows[label] = self._parse_objects(label, entry["objects"])
        roots = self.rows.get(registry.MUNICIPALITY, [])
        if len(roots) != 1:
            raise _damaged(_("it must contain exactly one municipality."))
        ids = {label: {row.old_id for row in rows} for label, rows in self.rows.items()}
        for label, rows in self.rows.items():
            model = registry.get_model(label)
            for row in rows:
                for model_field in self._relations(model, label):
                    value = row.values[model_field.name]
                    values = value if model_field.many_to_many else [value]
                    for item in values:
                        self._check_relation(label, row.old_id, model_field, item, ids)

    def _validate_people(self) -> None:
        email = (self.user.email or "").strip().lower()
        for person in self.data.get("people", []):
            if (
                not isinstance(person, dict)
                or not _is_int(person.get("id"))
                or not isinstance(person.get("name", ""), str)
                or not isinstance(person.get("email", ""), str)
            ):
                raise _damaged(_("the list of people is damaged."))
            self.people[person["id"]] = person
            if email and (person.get("email") or "").strip().lower() == email:
                self.me.add(person["id"])

    def _relations(self, model, label):
        spec = registry.INCLUDED[label]
        return [f for f in exported_fields(model, spec) if f.is_relation and not f.primary_key]

    def _parse_objects(self, label: str, objects: list) -> list[_Row]:
        model = registry.get_model(label)
        spec = registry.INCLUDED[label]
        fields = [f for f in exported_fields(model, spec) if not f.primary_key]
        names = {f.name for f in fields}
        rows, seen = [], set()
        for obj in objects:
            if not isinstance(obj, dict) or not _is_int(obj.get("id")) or obj["id"] < 1:
                raise _damaged(_("an object of “%(kind)s” has no valid id.") % {"kind": model._meta.verbose_name})
            old_id = obj["id"]
            if old_id in seen:
                raise _damaged(
                    _("the id %(id)s occurs twice among “%(kind)s”.")
                    % {"id": old_id, "kind": model._meta.verbose_name_plural}
                )
            seen.add(old_id)
            unknown = set(obj) - names - {"id"}
            if unknown:
                raise self.problem(
                    label, old_id, sorted(unknown)[0][:100], _("unknown field (from a newer version of DAKS?).")
                )
            values = {f.name: self._parse_value(label, old_id, f, obj.get(f.name, MISSING)) for f in fields}
            rows.append(_Row(old_id=old_id, values=values))
        return rows

    def _parse_value(self, label, old_id, model_field, value):
        if model_field.many_to_many:
            if value is MISSING:
                return []
            if not isinstance(value, list):
                raise self.problem(label, old_id, model_field.name, _("a list was expected."))
            return value
        if model_field.is_relation:
            if value is MISSING:
                if not model_field.null:
                    raise self.problem(label, old_id, model_field.name, _("the value is missing."))
                return None
            return value
        if isinstance(model_field, models.FileField):
            return self._parse_file(label, old_id, model_field, None if value is MISSING else value)
        if value is MISSING:
            if model_field.has_default() or model_field.null or model_field.empty_strings_allowed:
                return model_field.get_default()
            raise self.problem(label, old_id, model_field.name, _("the value is missing."))
        if isinstance(model_field, models.JSONField):
            return value
        if isinstance(value, dict | list):
            raise self.problem(label, old_id, model_field.name, _("invalid value."))
        if value is None:
            if not model_field.null:
                raise self.problem(label, old_id, model_field.name, _("the value is missing."))
            return None
        if isinstance(model_field, models.BooleanField) and not isinstance(value, bool):
            raise self.problem(label, old_id, model_field.name, _("invalid value."))
        try:
            python = model_field.to_python(value)
            if python not in model_field.empty_values:
                model_field.run_validators(python)
        except ValidationError as error:
            raise self.problem(label, old_id, model_field.name, "; ".join(error.messages)) from None
        if model_field.choices and python not in ("", None):
            allowed = {choice for choice, _label in model_field.flatchoices}
            if python not in allowed:
                raise self.problem(
                    label,
                    old_id,
                    model_field.name,
                    _("“%(value)s” is not a valid choice.") % {"value": str(python)[:50]},
                )
        return python

    def _parse_file(self, label, old_id, model_field, value):
        if value in (None, ""):
            return None
        if not isinstance(value, dict):
            raise self.problem(label, old_id, model_field.name, _("invalid file entry."))
        if value.get("missing") is True:
            return None
        path, size, digest = value.get("path"), value.get("size"), value.get("sha256")
        if not isinstance(path, str) or not path.startswith("files/") or path not in self.archive.entries:
            raise self.problem(label, old_id, model_field.name, _("the file is missing in the archive."))
        if not _is_int(size) or size != self.archive.entries[path].file_size:
            raise self.problem(label, old_id, model_field.name, _("the size of the file does not match."))
        if not isinstance(digest, str) or len(digest) != 64:
            raise self.problem(label, old_id, model_field.name, _("the checksum of the file is missing."))
        return {"path": path, "name": str(value.get("name") or path), "size": size, "sha256": digest.lower()}

    def _check_relation(self, label, old_id, model_field, value, ids) -> None:
        if value is None:
            if not model_field.many_to_many and not model_field.null:
                raise self.problem(label, old_id, model_field.name, _("the value is missing."))
            return
        target = registry.label_of(model_field.related_model)
        if isinstance(value, dict):
            names = registry.REFERENCES.get(target)
            ref = value.get("ref")
            if (
                names is None
                or set(value) != {"ref"}
                or not isinstance(ref, dict)
                or set(ref) != set(names)
                or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in ref.values())
            ):
                raise self.problem(label, old_id, model_field.name, _("invalid reference."))
            return
        if not _is_int(value):
            raise self.problem(label, old_id, model_field.name, _("invalid reference."))
        if target == registry.PEOPLE:
            if value not in self.people:
                raise self.problem(label, old_id, model_field.name, _("the person is missing in the archive."))
            return
        if target not in registry.INCLUDED or value not in ids.get(target, ()):
            raise self.problem(label, old_id, model_field.name, _("it refers to an object that is not in the archive."))

    # --- writing (one transaction) -------------------------------------------------------------------------

    def run(self) -> ImportResult:
        self.validate()
        try:
            with transaction.atomic():
                result = self._write()
        except BaseException:
            self._delete_written_files()
            raise
        return result

    def _delete_written_files(self) -> None:
        for storage, name in self.written:
            with contextlib.suppress(OSError):  # best effort: the file may be gone already
                storage.delete(name)
        self.written = []

    def _write(self) -> ImportResult:
        from daks.core.audit import log_action

        municipality = self._create_municipality()
        self.result = ImportResult(municipality=municipality)
        self._create_team(municipality)
        for label in registry.export_order():
            if registry.INCLUDED[label].mode == registry.GENERIC:
                self._insert(label)
        self._apply_deferred()
        for label in registry.export_order():
            if registry.INCLUDED[label].mode == registry.GENERIC:
                self._insert_m2m(label)
        self._after_insert()
        self.result.people_not_linked = len(self.people_not_linked)
        self.result.stand_in_participants = len(self.synthetic)
        self.result.ids = {label: dict(ids) for label, ids in self.maps.items() if ids}
        self.result.skipped = {label: len(ids) for label, ids in self.skipped_ids.items() if ids}
        log_action(
            "portability.workspace.imported",
            actor=self.user,
            municipality=municipality,
            obj=municipality,
            source=str((self.data.get("source") or {}).get("instance", ""))[:200],
            exported_at=str(self.data.get("exported_at", ""))[:40],
            objects=self.result.object_count,
        )
        return self.result

    # The Kommune and its team ------------------------------------------------------------------------------

    def _create_municipality(self):
        from daks.municipalities.models import Membership, Municipality, Role, VerificationMethod
        from daks.municipalities.services import RESERVED_SLUGS as MUNICIPALITY_SLUGS
        from daks.municipalities.services import email_matches_website

        row = self.rows[registry.MUNICIPALITY][0]
        values = row.values
        key = values.get("official_key") or ""
        if key:
            existing = Municipality.objects.filter(country=values["country"], official_key=key).first()
            if existing is not None:
                raise ArchiveError(
                    _(
                        "%(name)s (official key %(key)s) is already registered in this DAKS instance. A workspace can "
                        "be imported only once per municipality: ask the coordination of %(name)s to let you join, or "
                        "to delete that workspace first. Nothing has been imported."
                    )
                    % {"name": existing.name, "key": key}
                )
        base = german_slugify(values.get("slug") or values.get("name") or "") or "kommune"
        reserved = MUNICIPALITY_SLUGS | RESERVED_SLUGS
        slug, number = base, 1
        while slug in reserved or Municipality.objects.filter(slug=slug).exists():
            number += 1
            slug = f"{base[:70]}-{number}"
        verified = email_matches_website(self.user.email, values.get("website") or "")
        municipality = Municipality(
            name=values["name"],
            slug=slug,
            kind=values["kind"],
            country=values["country"],
            state=values["state"],
            official_key=key,
            website=values.get("website") or "",
            description=values.get("description") or "",
            created_by=self.user,
            verified_at=self.now if verified else None,
            verification_method=VerificationMethod.EMAIL_DOMAIN if verified else "",
        )
        logo = values.get("logo")
        if logo:
            self._store_file(municipality, Municipality._meta.get_field("logo"), logo, registry.MUNICIPALITY)
        municipality.save()
        self.maps[registry.MUNICIPALITY][row.old_id] = municipality.pk
        Membership.objects.create(municipality=municipality, user=self.user, role=Role.COORDINATION)
        return municipality

    def _create_team(self, municipality) -> None:
        """Other members and open invitations become invitations that are not sent (their tokens are unknown to
        anybody; "Send again" on the team page sends a fresh link)."""
        from daks.municipalities.models import Invitation, hash_token

        done = {(self.user.email or "").strip().lower()}
        invitations = []
        expires = self.now + datetime.timedelta(days=settings.DAKS_INVITATION_VALID_DAYS)

        def add(email: str, role: str, message: str = "") -> None:
            email = (email or "").strip()
            if not email or email.lower() in done:
                return
            done.add(email.lower())
            invitations.append(
                Invitation(
                    municipality=municipality,
                    email=email,
                    role=role,
                    message=message,
                    token_hash=hash_token(secrets.token_urlsafe(32)),
                    invited_by=self.user,
                    expires_at=expires,
                    sent_count=0,
                )
            )

        for row in self.rows.get("municipalities.Membership", []):
            person = self.people.get(row.values["user"], {})
            add(person.get("email", ""), row.values["role"])
        for row in self.rows.get("municipalities.Invitation", []):
            values = row.values
            pending = (
                values.get("accepted_at") is None
                and values.get("revoked_at") is None
                and (values.get("expires_at") is None or values["expires_at"] > self.now)
            )
            if pending:
                add(values["email"], values["role"], values.get("message") or "")
        Invitation.objects.bulk_create(invitations)
        self.result.invitations = len(invitations)

    # Generic objects ----------------------------------------------------------------------------------------

    def _person(self, value) -> int | None:
        if value in self.me:
            return self.user.pk
        self.people_not_linked.add(value)
        return None

    def _reference(self, target: str, ref: dict) -> int | None:
        names = registry.REFERENCES[target]
        if not names:
            return None
        cache_key = (target, json.dumps(ref, sort_keys=True))
        if cache_key not in self.ref_cache:
            model = registry.get_model(target)
            self.ref_cache[cache_key] = (
                model._base_manager.filter(**{name: ref[name] for name in names}).values_list("pk", flat=True).first()
            )
        return self.ref_cache[cache_key]

    def _resolve(self, model_field, value):
        """The new primary key for a relation value, None (dropped) or DEFER (target not created yet)."""
        if value is None:
            return None
        target = registry.label_of(model_field.related_model)
        if target == registry.PEOPLE:
            return self._person(value)
        if isinstance(value, dict):
            return self._reference(target, value["ref"])
        if value in self.maps[target]:
            return self.maps[target][value]
        if value in self.skipped_ids[target] or registry.INCLUDED[target].mode != registry.GENERIC:
            return None
        return DEFER

    def _insert(self, label: str) -> None:
        model = registry.get_model(label)
        spec = registry.INCLUDED[label]
        transform = TRANSFORMS.get(label)
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        timestamps = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        created: list[tuple[int, models.Model]] = []
        for row in self.rows.get(label, []):
            kwargs, files, deferred, skip = {}, [], [], False
            for model_field in fields:
                if model_field.name in spec.regenerate:
                    kwargs[model_field.attname] = _random_hash()
                    continue
                if model_field.name in spec.omit:
                    continue
                value = row.values[model_field.name]
                if model_field.is_relation:
                    new = self._resolve(model_field, value)
                    if new is DEFER:
                        if not model_field.null:
                            raise RuntimeError(f"{label}.{model_field.name}: target not created yet")
                        deferred.append((model_field.attname, registry.label_of(model_field.related_model), value))
                        new = None
                    if new is None and value is not None and not model_field.null:
                        skip = True
                        break
                    kwargs[model_field.attname] = new
                elif isinstance(model_field, models.FileField):
                    if value:
                        files.append((model_field, value))
                else:
                    kwargs[model_field.attname] = value
            if not skip and transform is not None:
                kwargs = transform(self, row, kwargs)
                skip = kwargs is None
            if skip:
                self.skipped_ids[label].add(row.old_id)
                continue
            for slug_field in spec.unique_slugs:
                kwargs[slug_field] = self._free_slug(model, slug_field, kwargs[slug_field])
            obj = model(**kwargs)
            for model_field, value in files:
                self._store_file(obj, model_field, value, label)
            for attname, target, value in deferred:
                self.deferred.append((obj, attname, target, value))
            created.append((row.old_id, obj))
        objs = [obj for _old, obj in created]
        model._base_manager.bulk_create(objs, batch_size=500)
        for old_id, obj in created:
            if obj.pk is None:  # pragma: no cover - databases without RETURNING
                raise RuntimeError("bulk_create did not return primary keys")
            self.maps[label][old_id] = obj.pk
        if timestamps and objs:
            # auto_now(_add) set the time of the import; the archive's times are restored (history stays true).
            values = {row.old_id: row.values for row in self.rows[label]}
            for old_id, obj in created:
                for attname in timestamps:
                    original = values[old_id].get(attname)
                    if original is not None:
                        setattr(obj, attname, original)
            model._base_manager.bulk_update(objs, timestamps, batch_size=500)
        self.result.counts[label] = len(objs)

    def _free_slug(self, model, field_name: str, value: str) -> str:
        max_length = model._meta.get_field(field_name).max_length
        used = self.used_slugs[(registry.label_of(model), field_name)]
        base, slug, number = value, value, 1
        while slug in used or model._base_manager.filter(**{field_name: slug}).exists():
            number += 1
            suffix = f"-{number}"
            slug = f"{base[: max_length - len(suffix)]}{suffix}"
        used.add(slug)
        return slug

    def _apply_deferred(self) -> None:
        updates: dict[tuple[type, str], list] = defaultdict(list)
        for obj, attname, target, value in self.deferred:
            new = self.maps[target].get(value)
            if new is not None:
                setattr(obj, attname, new)
                updates[(type(obj), attname)].append(obj)
        for (model, attname), objs in updates.items():
            model._base_manager.bulk_update(objs, [attname], batch_size=500)

    def _insert_m2m(self, label: str) -> None:
        model = registry.get_model(label)
        spec = registry.INCLUDED[label]
        for model_field in model._meta.many_to_many:
            if model_field.name in spec.omit or (label, model_field.name) in DROPPED_M2M:
                continue
            through = model_field.remote_field.through
            source = model_field.m2m_field_name()
            target = model_field.m2m_reverse_field_name()
            symmetrical = model_field.remote_field.symmetrical and model_field.related_model is model
            pairs: set[tuple[int, int]] = set()
            for row in self.rows.get(label, []):
                new_source = self.maps[label].get(row.old_id)
                if new_source is None:
                    continue
                for value in row.values[model_field.name]:
                    new_target = self._resolve(model_field, value)
                    if new_target is None or new_target is DEFER:
                        continue
                    pairs.add((new_source, new_target))
                    if symmetrical:
                        pairs.add((new_target, new_source))
            through._base_manager.bulk_create(
                [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in sorted(pairs)], batch_size=1000
            )

    def _after_insert(self) -> None:
        tool_ids = list(self.maps["toolbox.Tool"].values())
        if tool_ids:
            from daks.toolbox import search
            from daks.toolbox.models import Tool

            search.index_tools(Tool.objects.filter(pk__in=tool_ids).prefetch_related("topics"))

    def synthetic_participant(self, workshop_id: int, person: int) -> int:
        """An anonymous participant standing for ``person`` in a workshop (one closed link per workshop)."""
        from daks.workshops.models import Participant, ParticipationLink

        key = (workshop_id, person)
        if key not in self.synthetic:
            if workshop_id not in self.synthetic_links:
                link = ParticipationLink.objects.create(
                    workshop_id=workshop_id,
                    token_hash=_random_hash(),
                    opens_at=self.now,
                    closes_at=self.now,
                    closed_at=self.now,
                    moderate_ideas=False,
                    created_by=self.user,
                )
                self.synthetic_links[workshop_id] = link.pk
            name = (self.people.get(person) or {}).get("name") or _("Member (imported)")
            participant = Participant.objects.create(
                link_id=self.synthetic_links[workshop_id], token_hash=_random_hash(), name=name[:100]
            )
            self.synthetic[key] = participant.pk
        return self.synthetic[key]

    # Files --------------------------------------------------------------------------------------------------

    def _store_file(self, obj, model_field, value: dict, label: str) -> None:
        """Copy a file of the archive into the field's storage, checked by size, checksum and content."""
        info = self.archive.entries[value["path"]]
        allowed = registry.FILE_KINDS[f"{label}.{model_field.name}"]
        digest, size = hashlib.sha256(), 0
        with tempfile.SpooledTemporaryFile(max_size=8 * MB) as buffer:
            try:
                with self.archive.zip.open(info) as stream:
                    while chunk := stream.read(MB):
                        size += len(chunk)
                        if size > info.file_size:
                            break
                        digest.update(chunk)
                        buffer.write(chunk)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
                raise _damaged(_("the file “%(name)s” in it is damaged.") % {"name": info.filename}) from None
            if size != value["size"] or digest.hexdigest() != value["sha256"]:
                raise _damaged(
                    _("the file “%(name)s” in it does not match its checksum (it was changed or is damaged).")
                    % {"name": info.filename}
                )
            buffer.seek(0)
            head = buffer.read(64)

            def read_all() -> bytes:
                buffer.seek(0)
                return buffer.read()

            try:
                kind = detect_kind(head, read_all)
            except ValidationError as error:
                raise _damaged(f"{info.filename}: {error.messages[0]}") from None
            if kind not in allowed:
                raise _damaged(
                    _("the file “%(name)s” is not of a type allowed for “%(field)s”.")
                    % {"name": info.filename, "field": model_field.verbose_name}
                )
            if kind in PILLOW_FORMATS:
                try:
                    clean = without_metadata(read_all(), kind)
                except ValidationError as error:
                    raise _damaged(f"{info.filename}: {error.messages[0]}") from None
                buffer = io.BytesIO(clean)
            buffer.seek(0)
            name = model_field.generate_filename(obj, _safe_basename(value["name"], kind))
            stored = model_field.storage.save(name, File(buffer), max_length=model_field.max_length)
        self.written.append((model_field.storage, stored))
        setattr(obj, model_field.attname, stored)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _random_hash() -> str:
    from daks.municipalities.models import hash_token

    return hash_token(secrets.token_urlsafe(32))


# --- Adjustments per model ---------------------------------------------------------------------------------------
# ``transform(importer, row, kwargs) -> kwargs | None`` (None: the row is skipped).

#: Many-to-many relations that are not carried over: contact persons must agree again in the new instance.
DROPPED_M2M = {("network.Portrait", "contacts")}

#: Keys of ``AuditLogEntry.data`` that hold ids of workspace objects (or people), rewritten on import; ids of
#: objects that are not part of the import become null. Other keys are kept as they are.
AUDIT_ID_KEYS = {
    "process": "strategy.StrategyProcess",
    "process_id": "strategy.StrategyProcess",
    "previous_process": "strategy.StrategyProcess",
    "plan": "plans.Plan",
    "measure": "plans.Measure",
    "workshop": "workshops.Workshop",
    "working_group": "strategy.WorkingGroup",
    "survey": "reviews.Survey",
    "review": "reviews.Review",
    "meeting_id": "meetings.Meeting",
    "actor_id": "strategy.Actor",
    "dataset_id": "demography.Dataset",
    "scenario_id": "demography.ProjectionScenario",
    "tool": "toolbox.Tool",
    "link": "workshops.ParticipationLink",
    "recipient": registry.PEOPLE,
}


def _audit_entry(importer: _Importer, row: _Row, kwargs: dict) -> dict:
    data = kwargs.get("data")
    if isinstance(data, dict):
        data = dict(data)
        for key, target in AUDIT_ID_KEYS.items():
            value = data.get(key)
            if _is_int(value):
                if target == registry.PEOPLE:
                    data[key] = importer.user.pk if value in importer.me else None
                else:
                    data[key] = importer.maps[target].get(value)
        kwargs["data"] = data
    return kwargs


def _comment(importer: _Importer, row: _Row, kwargs: dict) -> dict | None:
    ref = (row.values.get("content_type") or {}).get("ref") or {}
    try:
        target = apps.get_model(ref.get("app_label", ""), ref.get("model", ""))
    except (LookupError, ValueError):
        return None
    new = importer.maps[registry.label_of(target)].get(row.values.get("object_id"))
    if new is None:
        return None  # the commented object is not part of the workspace (any more)
    kwargs["object_id"] = new
    return kwargs


def _plan_version(importer: _Importer, row: _Row, kwargs: dict) -> dict:
    """Versions compare goals and measures by id: the ids inside the snapshot are rewritten too (objects deleted
    since keep a negative id, so two old versions still match them with each other, never with a new object)."""
    snapshot = kwargs.get("snapshot")
    if not isinstance(snapshot, dict):
        return kwargs

    def new_id(label: str, value):
        if not _is_int(value):
            return value
        return importer.maps[label].get(value, -abs(value))

    snapshot = json.loads(json.dumps(snapshot))
    for entry in snapshot.get("fields_of_action") or []:
        if not isinstance(entry, dict):
            continue
        entry["id"] = new_id("profile.FieldOfAction", entry.get("id"))
        for goal in entry.get("goals") or []:
            if isinstance(goal, dict):
                goal["id"] = new_id("plans.Goal", goal.get("id"))
        for measure in entry.get("measures") or []:
            if not isinstance(measure, dict):
                continue
            measure["id"] = new_id("plans.Measure", measure.get("id"))
            if isinstance(measure.get("goal_ids"), list):
                measure["goal_ids"] = [new_id("plans.Goal", pk) for pk in measure["goal_ids"]]
            for milestone in measure.get("milestones") or []:
                if isinstance(milestone, dict):
                    milestone["id"] = new_id("plans.Milestone", milestone.get("id"))
    kwargs["snapshot"] = snapshot
    return kwargs


def _tool(importer: _Importer, row: _Row, kwargs: dict) -> dict:
    """Publication is the new instance's editorial decision: published tools go into its review."""
    from daks.toolbox.models import ToolStatus

    if kwargs.get("status") in (ToolStatus.PUBLISHED, ToolStatus.REVIEW):
        kwargs["status"] = ToolStatus.REVIEW
        kwargs["review_requested_by_id"] = importer.user.pk
    kwargs["published_at"] = None
    kwargs["is_editorial"] = False
    return kwargs


def _news_item(importer: _Importer, row: _Row, kwargs: dict) -> dict:
    from daks.news.models import NewsStatus

    if kwargs.get("status") == NewsStatus.PUBLISHED:
        kwargs["status"] = NewsStatus.SUBMITTED
        kwargs["published_at"] = None
    kwargs["reviewed_by_id"] = None
    return kwargs


def _participation_link(importer: _Importer, row: _Row, kwargs: dict) -> dict:
    kwargs["closed_at"] = kwargs.get("closed_at") or importer.now  # its address (token) stayed behind
    return kwargs


def _scenario(importer: _Importer, row: _Row, kwargs: dict) -> dict:
    from daks.demography.models import ProjectionScenario

    status = ProjectionScenario.Status
    if kwargs.get("status") in (status.QUEUED, status.RUNNING):
        kwargs["status"] = status.FAILED
        kwargs["progress"] = ""
        kwargs["error"] = _("The calculation was interrupted by the move to this instance. Please start it again.")
    return kwargs


def _voter(importer: _Importer, row: _Row, kwargs: dict) -> dict | None:
    """Supports and votes of members whose accounts stay behind are kept as anonymous participants of the
    workshop (so that the results stay the same), one per person."""
    if kwargs.get("user_id") is not None or kwargs.get("participant_id") is not None:
        return kwargs
    person = row.values.get("user")
    if person is None:
        return None
    if "workshop_id" in kwargs:
        workshop_id = kwargs["workshop_id"]
    else:
        from daks.workshops.models import Idea

        workshop_id = Idea.objects.filter(pk=kwargs["idea_id"]).values_list("workshop_id", flat=True).first()
    kwargs["participant_id"] = importer.synthetic_participant(workshop_id, person)
    return kwargs


TRANSFORMS = {
    "core.AuditLogEntry": _audit_entry,
    "comments.Comment": _comment,
    "plans.PlanVersion": _plan_version,
    "toolbox.Tool": _tool,
    "news.NewsItem": _news_item,
    "workshops.ParticipationLink": _participation_link,
    "demography.ProjectionScenario": _scenario,
    "workshops.Support": _voter,
    "workshops.Vote": _voter,
}


def import_workspace(*, user, fileobj, now=None) -> ImportResult:
    """Import the workspace archive ``fileobj`` as a new Kommune with ``user`` as its Koordination.

    Raises ArchiveError (German message) when the archive is invalid; then nothing has been written.
    """
    archive = open_archive(fileobj)
    with archive.zip:
        importer = _Importer(archive, user=user, now=now)
        try:
            return importer.run()
        except (IntegrityError, DataError) as error:
            raise _damaged(
                _("its data contradict each other or the rules of the database (%(detail)s).")
                % {"detail": str(error)[:200]}
            ) from None
