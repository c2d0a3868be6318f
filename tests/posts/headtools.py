"""Read a page's <head> the way a crawler or a sharing card would."""

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Head:
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    json_ld: list[dict] = field(default_factory=list)


class _HeadParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.head = Head()
        self.in_title = False
        self.in_json_ld = False
        self.in_head = False
        self.buffer = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        if not self.in_head:
            return
        if tag == "title":
            self.in_title = True
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs["name"]
            assert key not in self.head.meta, f"{key} given twice"
            self.head.meta[key] = attrs.get("content", "")
        elif tag == "link" and attrs.get("rel") == "canonical":
            assert "canonical" not in self.head.links, "two canonical links"
            self.head.links["canonical"] = attrs["href"]
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self.in_json_ld = True
            self.buffer = ""

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        elif tag == "title":
            self.in_title = False
        elif tag == "script" and self.in_json_ld:
            self.in_json_ld = False
            data = json.loads(self.buffer)
            self.head.json_ld += data if isinstance(data, list) else [data]

    def handle_data(self, data):
        if self.in_title:
            self.head.title += data
        elif self.in_json_ld:
            self.buffer += data


def parse_head(html: str) -> Head:
    parser = _HeadParser()
    parser.feed(html)
    parser.close()
    return parser.head


def json_ld_of_type(head: Head, kind: str) -> dict:
    (found,) = [item for item in head.json_ld if item.get("@type") == kind]
    return found
