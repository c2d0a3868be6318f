"""A generated export of the old hub, as large as asked: RSS 2.0 with full text, written as
a stream. Deterministic: post n is the same in every file. No Django here, so that
tests/scripts/make_export.py can write one for the benchmark without a database."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

SITE = "https://old-hub.example"
# Names of the old site: two match ours (by name, by slug), one matches nothing.
CATEGORIES = ["about CX design", "healthcare-sector", "Webinars"]
PARAGRAPH = (
    "Customer experience in pharma starts with listening: to patients, to doctors, to the "
    "field teams who hear both. This archive post keeps the old hub's full text, with its "
    "links and pictures, so that nothing written there is lost in the move. "
)


def archive_item(n: int) -> str:
    date = datetime(2010, 1, 1, tzinfo=UTC) + timedelta(hours=n)
    body = (
        "".join(
            f'<p>{PARAGRAPH * 2}<a href="/post/archive-post-{max(n - i, 0)}">Earlier post</a></p>'
            for i in range(1, 6)
        )
        + f'<p><img src="/media/archive-{n}.png" alt="Figure {n}"></p>'
    )
    return (
        "<item>"
        f"<title>Archive post {n}: customer experience notes</title>"
        f"<link>{SITE}/post/archive-post-{n}</link>"
        f'<guid isPermaLink="false">archive-{n}</guid>'
        f"<pubDate>{format_datetime(date, usegmt=True)}</pubDate>"
        "<dc:creator>Hub editorial team</dc:creator>"
        f"<category>{CATEGORIES[n % 3]}</category>"
        f"<description>{escape(PARAGRAPH)}</description>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        "</item>\n"
    )


def write_export(path: Path, *, posts: int, start: int = 0) -> Path:
    """An export of posts start … start + posts - 1, written to `path`."""
    with Path(path).open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>\n'
            f"<title>CX Inspiration Hub (archive)</title><link>{SITE}/blog</link>\n"
        )
        for n in range(start, start + posts):
            out.write(archive_item(n))
        out.write("</channel></rss>\n")
    return Path(path)
