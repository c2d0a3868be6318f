"""OPML import and export of feed sources."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.management import CommandError

from newsroom.models import FeedSource
from newsroom.opml import export_opml, import_opml
from tests.commands import command_output
from tests.newsroom.ingest_factories import make_source

pytestmark = pytest.mark.django_db

OPML = "tests/data/feeds/sources.opml"
HOSTILE = Path(__file__).parent.parent / "data" / "opml"


def run(*args) -> str:
    return command_output("opml", *args)


def test_import_adds_sources_with_categories_from_attributes_and_folders():
    out = run("import", OPML)

    assert "3 sources added, 0 already known, 1 skipped." in out
    assert "“Not a feed” has no valid http(s) feed address" in out
    assert "Categories with no match among ours: “Launch planning”, “Loose folder”." in out
    northwind = FeedSource.objects.get(name="Northwind CX Notes")
    assert northwind.feed_url == "https://northwind.example/blog/feed.xml"
    assert northwind.site_url == "https://northwind.example/blog/"
    assert [c.slug for c in northwind.default_categories.all()] == ["cx-strategy"]
    atomic = FeedSource.objects.get(name="Atomic Insights")
    assert [c.slug for c in atomic.default_categories.all()] == ["patient-experience"]
    assert FeedSource.objects.get(name="The Listening Lab").site_url == ""


def test_import_twice_adds_nothing_and_dry_run_saves_nothing():
    assert "Dry run, nothing saved. 3 sources added" in run("import", OPML, "--dry-run")
    assert FeedSource.objects.count() == 0
    run("import", OPML)

    assert "0 sources added, 3 already known" in run("import", OPML)
    assert FeedSource.objects.count() == 3


def test_export_round_trips():
    source = make_source(feed_url="https://northwind.example/feed.xml", name="Northwind & Co")
    source.site_url = "https://northwind.example/"
    source.save()
    source.default_categories.set(source.default_categories.model.objects.filter(slug="cx-design"))

    content = export_opml(FeedSource.objects.all())

    outline = ET.fromstring(content).find("body/outline")
    assert outline.attrib == {
        "type": "rss",
        "text": "Northwind & Co",
        "title": "Northwind & Co",
        "xmlUrl": "https://northwind.example/feed.xml",
        "htmlUrl": "https://northwind.example/",
        "category": "about CX design",
    }
    source.delete()
    report = import_opml(content)
    assert report.created == ["Northwind & Co"]
    again = FeedSource.objects.get()
    assert [c.slug for c in again.default_categories.all()] == ["cx-design"]


def test_export_command_writes_a_file(tmp_path):
    make_source(feed_url="https://a.example/feed.xml", name="A")
    target = tmp_path / "out.opml"

    assert "Wrote 1 sources" in run("export", str(target))
    assert (
        ET.parse(target).getroot().find("body/outline").get("xmlUrl")
        == "https://a.example/feed.xml"
    )
    assert 'xmlUrl="https://a.example/feed.xml"' in run("export")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body>hi</body></html>", "no <opml> root"),
        (b"<opml><body>", "not a readable OPML file"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><opml/>', "refuses"),
        # Past the first 64 KB, and in UTF-16: both were read, entities expanded, until the
        # declarations were looked for by the XML parser itself.
        ((HOSTILE / "hostile-laughs.opml").read_bytes(), "refuses"),
        ((HOSTILE / "hostile-xxe-utf16.opml").read_bytes(), "refuses"),
        ((HOSTILE / "hostile-nesting.opml").read_bytes(), "nests folders"),
    ],
)
def test_bad_opml_is_refused_with_a_reason(tmp_path, content, message):
    path = tmp_path / "bad.opml"
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run("import", str(path))
    assert FeedSource.objects.count() == 0
