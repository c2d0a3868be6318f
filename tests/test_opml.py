"""The one OPML writer (cxhub.opml), on its own: hostile text, folders, attributes, and a
strict XML parser reading back exactly what went in."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

from cxhub.opml import SPEC, Outline, write_opml
from tests.feeds.feedtools import strict_xml

HOSTILE = 'Tom & Jerry\'s "<b>News</b>" ]]> --> <!-- Qualität für Ärzte — 患者体験 🚀 עברית'
CONTROLS = "\x00\x08\x0b\x0c\x1f\x7f\ud800\udfff\ufffe\uffff"


def outlines(body: ET.Element) -> list[dict[str, str]]:
    return [dict(o.attrib) for o in body.iter("outline")]


def test_hostile_text_round_trips_through_a_strict_parser():
    document = write_opml(
        title=f"{HOSTILE}{CONTROLS}",
        owner_name=f"{CONTROLS}Owner & Co",
        outlines=[
            Outline(
                text=f"{HOSTILE}\t{CONTROLS}tab and\nnewline",
                xml_url="https://a.example/feed?x=1&y='2'&z=\"3\"",
                html_url="https://a.example/?q=<b>",
                extra={"category": f"Ärzte,{CONTROLS}R&D"},
            )
        ],
    )

    root = strict_xml(document)
    assert root.find("head/title").text == HOSTILE
    assert root.find("head/ownerName").text == "Owner & Co"
    (outline,) = outlines(root.find("body"))
    assert outline == {
        "type": "rss",
        "text": f"{HOSTILE}\ttab and\nnewline",  # tab and newline are XML; kept, escaped
        "title": f"{HOSTILE}\ttab and\nnewline",
        "xmlUrl": "https://a.example/feed?x=1&y='2'&z=\"3\"",
        "htmlUrl": "https://a.example/?q=<b>",
        "category": "Ärzte,R&D",
    }
    assert "患者体験 🚀".encode() in document  # UTF-8 as it is, not as character references


def test_head_names_the_format_and_the_creation_date_in_rfc_822():
    created = datetime(2024, 3, 5, 10, 30, tzinfo=timezone(timedelta(hours=1)))

    head = strict_xml(write_opml(title="Sources", outlines=[], created=created)).find("head")

    assert head.find("dateCreated").text == "Tue, 05 Mar 2024 09:30:00 GMT"  # the same moment
    assert head.find("docs").text == SPEC
    assert head.find("ownerName") is None


def test_folders_nest_and_empty_attributes_are_left_out():
    document = write_opml(
        title="Feeds",
        outlines=[
            Outline(text="Site", xml_url="https://hub.example/feed/"),
            Outline(
                text="Topics",
                children=(
                    Outline(
                        text="Design",
                        xml_url="https://hub.example/design/feed/",
                        html_url="https://hub.example/design/",
                        type="atom",
                        extra={"category": ""},
                    ),
                ),
            ),
        ],
    )

    body = strict_xml(document).find("body")
    site, folder = list(body)
    assert site.attrib == {
        "type": "rss",
        "text": "Site",
        "title": "Site",
        "xmlUrl": "https://hub.example/feed/",
    }
    assert folder.attrib == {"text": "Topics", "title": "Topics"}
    assert [child.attrib for child in folder] == [
        {
            "type": "atom",
            "text": "Design",
            "title": "Design",
            "xmlUrl": "https://hub.example/design/feed/",
            "htmlUrl": "https://hub.example/design/",
        }
    ]
