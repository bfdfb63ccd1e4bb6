"""The German catalogues are complete and their compiled .mo files are up to date.

For every ``daks/<app>/locale/de/LC_MESSAGES/django.po``: no empty translation (except the header), no
``#, fuzzy`` entry (except the header that makemessages creates) and the ``django.mo`` beside it contains
exactly the translations of the .po file (i.e. ``compilemessages`` was run after the last edit).
"""

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("daks/*/locale/de/LC_MESSAGES/*.po"))


@dataclass
class Entry:
    line: int = 0
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    obsolete: bool = False

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def key(self) -> str:
        """The key GNUTranslations uses (context and msgid joined by EOT)."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    def where(self, path: Path) -> str:
        return f"{path.relative_to(ROOT)}:{self.line} msgid {self.msgid!r}"


def _unquote(text: str, path: Path, lineno: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{path}:{lineno}: expected a quoted string, got {text!r}")
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """A small parser for the subset of the PO format that makemessages writes.

    Handles flags, msgctxt, multi-line strings, msgid_plural/msgstr[n] and obsolete (#~) entries.
    """
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int | None] | None = None  # the field continuation lines are appended to

    def flush():
        nonlocal entry, target
        if entry.msgid is not None:
            entries.append(entry)
        entry = Entry()
        target = None

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            if entry.msgid is not None and not entry.obsolete:
                flush()
            entry.obsolete = True
            continue
        if line.startswith("#"):
            if entry.msgid is not None:
                flush()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{lineno}: string continuation without a keyword")
            name, index = target
            value = _unquote(line, path, lineno)
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in {"msgctxt", "msgid"} and entry.msgstr:
            flush()  # a new entry without a blank line in between
        if keyword in {"msgctxt", "msgid", "msgid_plural"}:
            if keyword != "msgid_plural" and not entry.line:
                entry.line = lineno
            setattr(entry, keyword, _unquote(rest, path, lineno))
            target = (keyword, None)
        elif keyword == "msgstr":
            entry.msgstr[0] = _unquote(rest, path, lineno)
            target = ("msgstr", 0)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[len("msgstr[") : -1])
            entry.msgstr[index] = _unquote(rest, path, lineno)
            target = ("msgstr", index)
        else:
            raise ValueError(f"{path}:{lineno}: cannot parse {raw!r}")
    flush()
    return [entry for entry in entries if not entry.obsolete]


def test_there_are_catalogues():
    assert CATALOGUES, "no daks/*/locale/de/LC_MESSAGES/*.po found"


def test_parser_handles_multiline_plural_and_context(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        "\n".join(
            [
                "#, fuzzy",
                'msgid ""',
                'msgstr ""',
                '"Content-Type: text/plain; charset=UTF-8\\n"',
                "",
                "#: a.py:1",
                "#, python-format",
                'msgid ""',
                '"Hello %(name)s, "',
                '"welcome"',
                'msgstr "Hallo %(name)s, willkommen \\"da\\""',
                "",
                'msgctxt "button"',
                'msgid "Open"',
                'msgstr "Öffnen"',
                "",
                'msgid "one member"',
                'msgid_plural "%(n)s members"',
                'msgstr[0] "ein Mitglied"',
                'msgstr[1] ""',
                '"%(n)s Mitglieder"',
                "",
                '#~ msgid "old"',
                '#~ msgstr "alt"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    header, hello, opened, plural = parse_po(po)
    assert header.is_header and "fuzzy" in header.flags
    assert hello.msgid == "Hello %(name)s, welcome" and hello.msgstr == {0: 'Hallo %(name)s, willkommen "da"'}
    assert hello.flags == {"python-format"} and hello.line == 8
    assert opened.key == "button\x04Open" and opened.msgstr == {0: "Öffnen"}
    assert plural.msgid_plural == "%(n)s members" and plural.msgstr == {0: "ein Mitglied", 1: "%(n)s Mitglieder"}


def _catalogue_id(path: Path) -> str:
    return str(path.relative_to(ROOT / "daks").parts[0])


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_catalogue_id)
def test_catalogue_is_complete(po_path):
    entries = parse_po(po_path)
    assert entries, f"{po_path} contains no entries"
    problems = []
    for entry in entries:
        if entry.is_header:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.where(po_path)}: marked fuzzy")
        if not entry.msgstr or any(not text for text in entry.msgstr.values()):
            problems.append(f"{entry.where(po_path)}: empty translation")
        if entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1]:
            problems.append(f"{entry.where(po_path)}: German needs exactly msgstr[0] and msgstr[1]")
    assert not problems, "Incomplete German translations:\n" + "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=_catalogue_id)
def test_compiled_catalogue_is_up_to_date(po_path):
    mo_path = po_path.with_suffix(".mo")
    hint = f"run: cd daks/{_catalogue_id(po_path)} && DEBUG=true ../../.venv/bin/python ../../manage.py compilemessages"
    assert mo_path.exists(), f"{mo_path.relative_to(ROOT)} is missing; {hint}"
    with mo_path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    problems = []
    expected_keys = {""}
    for entry in parse_po(po_path):
        if entry.is_header or "fuzzy" in entry.flags:
            continue  # msgfmt leaves fuzzy entries out; test_catalogue_is_complete reports them
        if entry.msgid_plural is None:
            expected_keys.add(entry.key)
            actual = catalog.get(entry.key)
            if actual != entry.msgstr.get(0):
                problems.append(f"{entry.where(po_path)}: .mo has {actual!r}, .po has {entry.msgstr.get(0)!r}")
        else:
            for index, text in entry.msgstr.items():
                expected_keys.add((entry.key, index))
                actual = catalog.get((entry.key, index))
                if actual != text:
                    problems.append(f"{entry.where(po_path)} [{index}]: .mo has {actual!r}, .po has {text!r}")
    stale = [key for key in catalog if key not in expected_keys]
    if stale:
        problems.append(f".mo contains {len(stale)} entries no longer in the .po, e.g. {stale[:3]!r}")
    assert not problems, f"{mo_path.relative_to(ROOT)} is out of date ({hint}):\n" + "\n".join(problems)
