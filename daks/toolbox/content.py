"""The editorial content of the Werkzeugkoffer: one Markdown file per tool with a small front matter.

::

    ---
    title: Zukunftswerkstatt in drei Phasen
    teaser: One or two sentences for the result list.
    type: method
    topics: buergerbeteiligung, demografiestrategie
    steps: workshop
    sizes: small, medium, large
    effort: medium
    cost: low
    target_groups: Bürgerinnen und Bürger; Vereine
    related: ideenboerse, aktivierende-befragung
    ---
    ## Worum es geht
    …

This module only parses and checks the files (no database); ``services.toolbox_load`` writes them. Run
``python -m daks.toolbox.content`` to check every file.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"

TOPIC_FIELDS = [
    ("oeffentlichkeitsarbeit", "Öffentlichkeitsarbeit"),
    ("wohnen", "Wohnen"),
    ("kooperation", "Intra- und interkommunale Kooperation"),
    ("digitalisierung", "Digitalisierung"),
    ("demokratiefoerderung", "Demokratieförderung"),
    ("buergerbeteiligung", "Bürgerbeteiligung"),
    ("engagement", "Bürgerschaftliches Engagement"),
    ("begegnung-beratung-selbsthilfe", "Begegnung, Beratung, Selbsthilfe"),
    ("foerdermittel", "Fördermittel"),
    ("gesundheit-pflege", "Gesundheit und Pflege"),
    ("arbeit-wirtschaft", "Arbeit und Wirtschaft"),
    ("demografiestrategie", "Demografiestrategie"),
    ("integration", "Integration"),
]
TYPES = ["method", "concept", "best_practice", "guide", "checklist", "template", "talk", "video"]
STEPS = ["kickoff", "profile", "workshop", "plan", "review"]
SIZES = ["small", "medium", "large", "district"]
LEVELS = ["low", "medium", "high"]

REQUIRED = ["title", "teaser", "type", "topics", "steps", "sizes", "effort", "cost"]
LIST_KEYS = {"topics", "steps", "sizes", "related"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ContentError(ValueError):
    """A tool file that cannot be loaded; the message names the file and the problem."""


@dataclass
class ToolSource:
    slug: str
    title: str
    teaser: str
    tool_type: str
    topics: list[str]
    steps: list[str]
    sizes: list[str]
    effort: str
    cost: str
    body: str
    target_groups: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)


def _split_list(value: str, separator: str = ",") -> list[str]:
    return [item.strip() for item in value.split(separator) if item.strip()]


def parse_tool(text: str, slug: str) -> ToolSource:
    """Parse one tool file; raise ContentError with a precise message on any problem."""
    if not SLUG_RE.match(slug):
        raise ContentError(f"{slug}: the file name must be a slug (a-z, 0-9, hyphens)")
    match = re.match(r"\A---\n(.*?)\n---\n(.*)\Z", text, re.DOTALL)
    if not match:
        raise ContentError(f"{slug}: the file must start with a front matter between two '---' lines")
    meta: dict[str, str] = {}
    for number, line in enumerate(match.group(1).splitlines(), start=2):
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ContentError(f"{slug}, line {number}: expected 'key: value'")
        key = key.strip()
        if key in meta:
            raise ContentError(f"{slug}, line {number}: '{key}' appears twice")
        meta[key] = value.strip()
    unknown = set(meta) - set(REQUIRED) - {"target_groups", "related"}
    if unknown:
        raise ContentError(f"{slug}: unknown keys {sorted(unknown)}")
    missing = [key for key in REQUIRED if not meta.get(key)]
    if missing:
        raise ContentError(f"{slug}: missing {missing}")
    body = match.group(2).strip()
    if len(body) < 200:
        raise ContentError(f"{slug}: the body is too short")
    source = ToolSource(
        slug=slug,
        title=meta["title"],
        teaser=meta["teaser"],
        tool_type=meta["type"],
        topics=_split_list(meta["topics"]),
        steps=_split_list(meta["steps"]),
        sizes=_split_list(meta["sizes"]),
        effort=meta["effort"],
        cost=meta["cost"],
        body=body,
        target_groups=_split_list(meta.get("target_groups", ""), ";"),
        related=_split_list(meta.get("related", "")),
    )
    topic_slugs = [topic for topic, _name in TOPIC_FIELDS]
    checks = [
        ("type", [source.tool_type], TYPES),
        ("topics", source.topics, topic_slugs),
        ("steps", source.steps, STEPS),
        ("sizes", source.sizes, SIZES),
        ("effort", [source.effort], LEVELS),
        ("cost", [source.cost], LEVELS),
    ]
    for key, values, allowed in checks:
        wrong = [value for value in values if value not in allowed]
        if wrong:
            raise ContentError(f"{slug}: {key} {wrong} not in {allowed}")
    if len(source.title) > 200 or len(source.teaser) > 500:
        raise ContentError(f"{slug}: title (200) or teaser (500 characters) too long")
    return source


def load_sources(directory: Path = CONTENT_DIR) -> list[ToolSource]:
    """Every tool file of ``directory``, checked together (related slugs must exist)."""
    sources = [parse_tool(path.read_text(encoding="utf-8"), path.stem) for path in sorted(directory.glob("*.md"))]
    slugs = {source.slug for source in sources}
    for source in sources:
        dangling = [slug for slug in source.related if slug not in slugs or slug == source.slug]
        if dangling:
            raise ContentError(f"{source.slug}: related tools {dangling} do not exist")
    return sources


if __name__ == "__main__":  # pragma: no cover - a check for authors
    from collections import Counter

    all_sources = load_sources()
    print(f"{len(all_sources)} tools OK")
    print("topics:", dict(Counter(topic for source in all_sources for topic in source.topics)))
    print("steps:", dict(Counter(step for source in all_sources for step in source.steps)))
    print("types:", dict(Counter(source.tool_type for source in all_sources)))
