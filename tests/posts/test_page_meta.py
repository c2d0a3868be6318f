"""Titles, descriptions, canonical addresses, sharing cards and JSON-LD of every page type."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_post
from tests.posts.headtools import json_ld_of_type, parse_head

SITE = "https://hub.example.org"
DEFAULT_IMAGE = f"{SITE}/static/img/share.png"


@pytest.fixture
def posts(db):
    make_post(
        title="Journey mapping in oncology",
        excerpt="Mapping the path from first symptoms to follow-up.",
        categories=["cx-design", "healthcare-sector"],
        days_ago=1,
    )
    make_post(title="Design lessons from banking", categories=["cx-design"], days_ago=2)


def head_of(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return parse_head(response.content.decode())


def assert_cards(head, *, title: str, canonical: str, image: str = DEFAULT_IMAGE) -> None:
    assert head.meta["og:title"] == head.meta["twitter:title"] == title
    assert head.meta["og:description"] == head.meta["description"]
    assert head.meta["twitter:description"] == head.meta["description"]
    assert head.meta["og:url"] == head.links["canonical"] == canonical
    assert head.meta["og:image"] == head.meta["twitter:image"] == image
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["og:site_name"] == "CX Inspiration Hub"


def test_home(client, posts):
    head = head_of(client, "/")
    assert head.title == "CX Inspiration Hub — customer-experience inspiration"
    assert head.meta["description"].startswith("Customer-experience inspiration")
    assert_cards(head, title=head.title, canonical=f"{SITE}/")
    assert head.meta["og:type"] == "website"
    assert head.meta["og:image:width"] == "1200"
    assert head.meta["og:image:height"] == "630"
    page = json_ld_of_type(head, "CollectionPage")
    assert page["url"] == f"{SITE}/"
    assert page["isPartOf"] == {"@type": "WebSite", "name": "CX Inspiration Hub", "url": f"{SITE}/"}
    assert not [item for item in head.json_ld if item["@type"] == "BreadcrumbList"]


def test_category_page(client, posts):
    head = head_of(client, "/category/cx-design/")
    assert head.title == "Posts about CX design — CX Inspiration Hub"
    assert head.meta["description"].startswith("Posts about CX design on CX Inspiration Hub.")
    assert_cards(head, title=head.title, canonical=f"{SITE}/category/cx-design/")
    trail = json_ld_of_type(head, "BreadcrumbList")["itemListElement"]
    assert [(i["position"], i["name"], i["item"]) for i in trail] == [
        (1, "Home", f"{SITE}/"),
        (2, "Posts about CX design", f"{SITE}/category/cx-design/"),
    ]


def test_category_description_is_the_meta_description(client, posts):
    from posts.models import Category

    Category.objects.filter(slug="cx-design").update(description="How services get designed.")
    assert head_of(client, "/category/cx-design/").meta["description"] == (
        "How services get designed."
    )


def test_one_category_filter_and_its_category_page_are_one_page(client, posts):
    head = head_of(client, "/?topic=cx-design")
    assert head.links["canonical"] == f"{SITE}/category/cx-design/"
    assert head.title == "Posts about CX design — CX Inspiration Hub"


def test_filtered_page_has_one_address_whatever_the_order_of_the_query(client, posts):
    head = head_of(client, "/?industry=healthcare-sector&topic=cx-design&utm_source=x")
    canonical = f"{SITE}/?topic=cx-design&industry=healthcare-sector"
    assert head.title == "Posts about CX design, by healthcare sector — CX Inspiration Hub"
    assert_cards(head, title=head.title, canonical=canonical)
    assert json_ld_of_type(head, "CollectionPage")["name"] == (
        "Posts about CX design, by healthcare sector"
    )


def test_search_page(client, posts):
    head = head_of(client, "/?q=journey+mapping")
    assert head.title == "Posts matching “journey mapping” — CX Inspiration Hub"
    assert head.links["canonical"] == f"{SITE}/?q=journey+mapping"


def test_page_two_and_later_name_their_page(client, db):
    for n in range(25):
        make_post(title=f"Post {n}", categories=["cx-design"])
    head = head_of(client, "/category/cx-design/?page=2")
    assert head.links["canonical"] == f"{SITE}/category/cx-design/?page=2"
    assert head.title == "Posts about CX design (page 2) — CX Inspiration Hub"
    head = head_of(client, "/?page=2")
    assert head.links["canonical"] == f"{SITE}/?page=2"
    assert head.title == "CX Inspiration Hub — customer-experience inspiration (page 2)"
    assert head_of(client, "/?page=1").links["canonical"] == f"{SITE}/"


def test_post_page(client, posts):
    head = head_of(client, "/post/journey-mapping-in-oncology/")
    canonical = f"{SITE}/post/journey-mapping-in-oncology/"
    assert head.title == "Journey mapping in oncology — CX Inspiration Hub"
    assert head.meta["description"] == "Mapping the path from first symptoms to follow-up."
    assert_cards(head, title=head.title, canonical=canonical)
    assert head.meta["og:type"] == "article"
    article = json_ld_of_type(head, "BlogPosting")
    assert article["headline"] == "Journey mapping in oncology"
    assert article["url"] == article["mainEntityOfPage"] == canonical
    assert article["image"] == DEFAULT_IMAGE
    assert article["author"] == {"@type": "Person", "name": "Hub editorial team"}
    assert article["keywords"] == ["about CX design", "by healthcare sector"]
    assert article["datePublished"] and article["dateModified"]
    trail = json_ld_of_type(head, "BreadcrumbList")["itemListElement"]
    assert [i["name"] for i in trail] == ["Home", "about CX design", "Journey mapping in oncology"]


def test_post_cover_is_the_sharing_image(client, db):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 20), "#0b5cad").save(buffer, "PNG")
    post = make_post(title="With a cover")
    post.cover = SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")
    post.save()
    head = head_of(client, post.get_absolute_url())
    assert head.meta["og:image"].startswith(f"{SITE}/media/covers/")
    assert json_ld_of_type(head, "BlogPosting")["image"] == head.meta["og:image"]
    assert "og:image:width" not in head.meta


def test_json_ld_cannot_close_its_script_element(client, db):
    post = make_post(title="</script><script>alert(1)</script> & more")
    html = client.get(post.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    article = json_ld_of_type(parse_head(html), "BlogPosting")
    assert article["headline"] == "</script><script>alert(1)</script> & more"


def test_every_page_type_has_its_own_title(client, posts):
    urls = ["/", "/category/cx-design/", "/?topic=cx-design&industry=healthcare-sector"]
    urls += ["/?q=banking", "/post/design-lessons-from-banking/"]
    titles = [head_of(client, url).title for url in urls]
    assert len(set(titles)) == len(titles)
