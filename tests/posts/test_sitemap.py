"""sitemap.xml and robots.txt: what search engines are told about."""

import xml.dom.minidom
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.utils import timezone

from posts.models import Post
from tests.dbwork import database_work
from tests.factories import make_post

SITE = "https://hub.example.org"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def strict_xml(body: bytes) -> ET.Element:
    xml.dom.minidom.parseString(body)  # expat, no recovery: any ill-formed byte raises
    return ET.fromstring(body)


def locations(root: ET.Element) -> list[str]:
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def test_index_lists_the_sections_on_the_site_address(client, db):
    response = client.get("/sitemap.xml", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = strict_xml(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert locations(root) == [
        f"{SITE}/sitemap-home.xml",
        f"{SITE}/sitemap-categories.xml",
        f"{SITE}/sitemap-archive.xml",
        f"{SITE}/sitemap-posts.xml",
    ]


def test_posts_sitemap_lists_only_visible_posts_with_lastmod(client, db):
    visible = make_post(title="Visible", categories=["cx-design"])
    make_post(title="Draft", status="draft", categories=["cx-strategy"])
    make_post(title="Scheduled", days_ago=-2, categories=["cx-strategy"])
    root = strict_xml(client.get("/sitemap-posts.xml").content)
    assert locations(root) == [f"{SITE}/post/visible/"]
    (lastmod,) = [e.text for e in root.iterfind(".//sm:lastmod", NS)]
    # The day in the site's time zone, as Django's sitemap writes it (not the UTC day, which
    # differs for the hour or two before midnight).
    assert lastmod == timezone.localdate(visible.updated_at).isoformat()


def test_categories_sitemap_lists_categories_with_visible_posts(client, db):
    make_post(title="Visible", categories=["cx-design"])
    make_post(title="Draft", status="draft", categories=["cx-strategy"])
    make_post(title="Scheduled", days_ago=-2, categories=["cx-strategy", "healthcare-sector"])
    root = strict_xml(client.get("/sitemap-categories.xml").content)
    assert locations(root) == [f"{SITE}/category/cx-design/"]
    assert locations(strict_xml(client.get("/sitemap-home.xml").content)) == [
        f"{SITE}/",
        f"{SITE}/events/",
    ]


def test_large_sections_are_paged_in_the_index(client, db, monkeypatch):
    from posts.sitemaps import PostSitemap

    monkeypatch.setattr(PostSitemap, "limit", 2)
    for n in range(5):
        make_post(title=f"Post {n}")
    root = strict_xml(client.get("/sitemap.xml").content)
    assert locations(root)[-3:] == [
        f"{SITE}/sitemap-posts.xml",
        f"{SITE}/sitemap-posts.xml?p=2",
        f"{SITE}/sitemap-posts.xml?p=3",
    ]
    assert len(locations(strict_xml(client.get("/sitemap-posts.xml?p=3").content))) == 1


def test_posts_sitemap_queries_do_not_grow_with_the_posts(client, db, django_assert_num_queries):
    for n in range(3):
        make_post(title=f"Few {n}")
    # The content version, then (its first time) the visible posts from the combinations;
    # then one page of posts.
    with django_assert_num_queries(3):
        client.get("/sitemap-posts.xml")
    for n in range(30):
        make_post(title=f"Many {n}")
    with django_assert_num_queries(3):
        client.get("/sitemap-posts.xml")
    # The content version and the number of categories; the posts counted (the combinations)
    # only the first time in a version.
    with django_assert_num_queries(2):
        client.get("/sitemap.xml")
    make_post(title="One more")
    with django_assert_num_queries(3):
        client.get("/sitemap.xml")


def test_index_work_does_not_grow_with_the_posts(client, db):
    for n in range(3):
        make_post(title=f"Few {n}", categories=["cx-design"])
    with database_work() as small:
        assert client.get("/sitemap.xml").status_code == 200
    Post.objects.bulk_create(
        Post(
            title=f"Many {n}",
            slug=f"many-{n}",
            body="<p>Text.</p>",
            status=Post.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(hours=n + 1),
        )
        for n in range(3000)
    )
    with database_work() as big:
        assert client.get("/sitemap.xml").status_code == 200
    assert big.units < small.units * 1.5 + 2000, (small.units, big.units)


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Allow: /",
        f"Sitemap: {SITE}/sitemap.xml",
    ]
