"""OPML 2.0 import and export of feed sources (http://opml.org/spec2.opml).

Every feed reader speaks OPML, so the editor can move a list of subscriptions in or out. An
outline's `category` attribute (comma-separated) and its enclosing folders are matched to our
categories by name or slug and become the source's default categories.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from cxhub.opml import Outline, write_opml

from .models import FeedSource
from .rules import RuleSet


def export_opml(sources) -> bytes:
    outlines = [
        Outline(
            text=source.name,
            xml_url=source.feed_url,
            html_url=source.site_url,
            # Our categories, comma-separated as OPML 2.0 wants (commas in names become spaces).
            extra={
                "category": ",".join(
                    c.name.replace(",", " ") for c in source.default_categories.all()
                )
            },
        )
        for source in sources
    ]
    return write_opml(
        title=f"{settings.SITE_NAME}: feed sources", outlines=outlines, created=timezone.now()
    )


# A subscription list of a few thousand feeds is well under this; anything larger is refused.
MAX_OPML_BYTES = 1024 * 1024


@dataclass(frozen=True)
class NewSource:
    """A source an import adds (or, in a dry run, would add)."""

    name: str
    feed_url: str
    categories: tuple[str, ...]
    renamed_from: str = ""  # the file's name for it, when a source already has that name


@dataclass
class OpmlImport:
    created: list[str] = field(default_factory=list)
    added: list[NewSource] = field(default_factory=list)  # the created sources in detail
    existing: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # with the reason
    unmapped: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        text = (
            f"{len(self.created)} sources added, {len(self.existing)} already known, "
            f"{len(self.skipped)} skipped."
        )
        if self.skipped:
            text += " Skipped: " + "; ".join(self.skipped) + "."
        if self.unmapped:
            text += (
                " Categories with no match among ours: "
                + ", ".join(f"“{c}”" for c in sorted(self.unmapped))
                + "."
            )
        return text


class OpmlError(Exception):
    pass


def refuse_declarations(content: bytes) -> None:
    """Refuse a DOCTYPE or entity declaration anywhere, in any encoding the XML parser reads
    (UTF-16 too), before anything is expanded: OPML needs neither, and entities are how XML
    bombs and external-file reads are made."""

    def refuse(*args):
        raise OpmlError("The OPML file declares a DOCTYPE or entities, which the hub refuses.")

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    with contextlib.suppress(expat.ExpatError):  # not well-formed: the real parse says so
        parser.Parse(content, True)


def import_opml(content: bytes, *, dry_run: bool = False) -> OpmlImport:
    if len(content) > MAX_OPML_BYTES:
        raise OpmlError(
            f"The OPML file is larger than {MAX_OPML_BYTES // 1024} KB, more than a list of "
            "subscriptions needs."
        )
    refuse_declarations(content)
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise OpmlError(f"This is not a readable OPML file ({exc}).") from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise OpmlError("This is not an OPML file: it has no <opml> root with a <body>.")
    report = OpmlImport()
    mapping = RuleSet(filter_rules=[], category_rules=[])
    valid_url = URLValidator(schemes=["http", "https"])
    with transaction.atomic():
        for outline, folders in _feeds(body, []):
            url = (outline.get("xmlUrl") or "").strip()
            name = (outline.get("title") or outline.get("text") or url).strip()[:200]
            try:
                valid_url(url)
            except ValidationError:
                report.skipped.append(f"“{name}” has no valid http(s) feed address")
                continue
            known = FeedSource.objects.filter(feed_url=url).values_list("name", flat=True).first()
            if known is not None:
                report.existing.append(name if known == name else f"{name} (here: “{known}”)")
                continue
            renamed_from = ""
            if FeedSource.objects.filter(name=name).exists():
                renamed_from, name = name, f"{name} ({url})"[:200]
            labels = [*folders, *(outline.get("category") or "").split(",")]
            labels = [label.strip().strip("/") for label in labels if label.strip().strip("/")]
            categories = [c for c in map(mapping.lookup, labels) if c]
            report.unmapped.update(mapping.unmapped(labels))
            site = (outline.get("htmlUrl") or "").strip()
            try:
                valid_url(site)
            except ValidationError:
                site = ""
            source = FeedSource.objects.create(name=name, feed_url=url, site_url=site)
            source.default_categories.set(categories)
            report.created.append(name)
            report.added.append(
                NewSource(name, url, tuple(c.name for c in categories), renamed_from)
            )
        if dry_run:
            transaction.set_rollback(True)
    return report


# Folders within folders: readers nest two or three deep; a hostile file nests thousands.
MAX_FOLDER_DEPTH = 32


def _feeds(element, folders):
    """Each feed outline with the names of the folders it sits in, in document order."""
    if len(folders) > MAX_FOLDER_DEPTH:
        raise OpmlError(f"The OPML file nests folders more than {MAX_FOLDER_DEPTH} deep.")
    for outline in element.findall("outline"):
        if outline.get("xmlUrl") is not None:
            yield outline, folders
        else:
            folder = (outline.get("title") or outline.get("text") or "").strip()
            yield from _feeds(outline, [*folders, folder])
