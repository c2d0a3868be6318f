"""Rough edges of the reader pages, as far as the HTML can hold them (the browser tests measure
the rest: tests/posts/test_browser_reader.py)."""

import re
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_post


def test_options_with_no_posts_are_shown_but_not_links(client, db):
    make_post(title="Design", categories=["cx-design"])
    html = client.get("/").content.decode()
    assert re.search(r'<a class="option__pick" href="/category/cx-design/"', html)
    assert 'href="/category/cx-strategy/"' not in html
    assert re.search(
        r'<span class="option__pick option__pick--none">\s*<span class="option__name">'
        r"about CX strategy<span class=\"visually-hidden\"> \(no posts with these filters\)",
        html,
    )
    assert 'href="/?not=cx-strategy"' not in html  # leaving it out would change nothing


def test_selected_and_left_out_options_stay_links_even_at_zero(client, db):
    make_post(title="Design", categories=["cx-design"])
    html = client.get("/?topic=cx-design&not=cx-strategy&industry=financial-sector").content
    html = html.decode()
    assert 'href="/?topic=cx-design&amp;not=cx-strategy"' in html  # unpick financial sector
    assert "Stop leaving out about CX strategy" in html


def test_empty_result_offers_the_way_back(client, db):
    make_post(title="Design", categories=["cx-design"])
    html = client.get("/?topic=cx-design&industry=financial-sector").content.decode()
    assert "No posts match these filters." in html
    assert '<a href="/category/cx-design/">Remove the last filter (by financial sector)</a>' in html
    assert re.search(r'or <a href="/">clear all filters</a>', html)


def test_empty_category_page_offers_the_home_page(client, db):
    html = client.get("/category/cx-design/").content.decode()
    assert '<a href="/">Remove the last filter (about CX design)</a>' in html
    assert "clear all filters</a>" not in html.split("No posts match")[1]


def test_leave_out_controls_say_what_they_do(client, db):
    make_post(title="Design", categories=["cx-design"])
    html = client.get("/").content.decode()
    assert 'title="Leave out about CX design"' in html
    assert '<span class="visually-hidden">Leave out about CX design</span>' in html


def test_read_more_links_are_unique_and_name_their_post(client, db):
    for title in ["First story", "Second story"]:
        make_post(title=title)
    html = client.get("/").content.decode()
    links = re.findall(
        r'<a href="[^"]+">Read more<span class="visually-hidden">([^<]+)</span>', html
    )
    assert links == [" of “First story”", " of “Second story”"]
    assert 'aria-label="Read' not in html


def test_listing_has_skip_links_to_the_categories_and_the_posts(client, db):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#facets">Skip to categories</a>' in html
    assert '<a class="skip-link" href="#post-list">Skip to posts</a>' in html
    assert html.index('id="facets"') < html.index('id="post-list"')


def test_category_toggle_is_a_button_with_aria_expanded(client, db):
    html = client.get("/").content.decode()
    assert re.search(
        r'<button type="button" class="facets__toggle" aria-expanded="false" '
        r'aria-controls="facets-panel">',
        html,
    )
    assert 'id="facets-panel"' in html
    assert "<details" not in html


def test_post_cover_has_its_size(client, db):
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (640, 360), "#0b5cad").save(buffer, "PNG")
    post = make_post(title="With a cover")
    post.cover = SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png")
    post.save()
    html = client.get(post.get_absolute_url()).content.decode()
    assert re.search(r'<img class="post__cover" src="[^"]+" alt="" width="640" height="360">', html)


def test_post_with_a_lost_cover_file_still_shows(client, db):
    post = make_post(title="Lost cover", cover="covers/2020/01/gone.png")
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert re.search(
        r'<img class="post__cover" src="[^"]+gone.png" alt="">', response.content.decode()
    )
