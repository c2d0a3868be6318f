import pytest

from posts.models import Post
from tests.factories import make_post


@pytest.mark.django_db
def test_slug_is_made_from_the_title_and_kept_unique():
    first = make_post(title="Who is the pharma customer?")
    second = make_post(title="Who is the pharma customer?")
    assert first.slug == "who-is-the-pharma-customer"
    assert second.slug == "who-is-the-pharma-customer-2"


@pytest.mark.django_db
def test_slug_stays_when_the_title_changes():
    post = make_post(title="Original title")
    post.title = "A much better title"
    post.save()
    post.refresh_from_db()
    assert post.slug == "original-title"


@pytest.mark.django_db
def test_excerpt_is_derived_from_the_body_when_left_empty():
    body = "<p>First &amp; <strong>foremost</strong>.</p>" + "<p>" + "word " * 200 + "</p>"
    post = make_post(body=body)
    assert post.summary.startswith("First & foremost. word word")
    assert len(post.summary) <= 280
    assert post.summary.endswith("…")
    assert make_post(excerpt="Own words.", body=body).summary == "Own words."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "dirty, forbidden",
    [
        ("<p>Hi<script>alert('x')</script></p>", "<script"),
        ('<img src="x.png" onerror="alert(1)">', "onerror"),
        ('<a href="javascript:alert(1)">click</a>', "javascript:"),
        ('<p style="background:url(evil)">x</p>', "style="),
        ('<iframe src="https://evil.example/"></iframe>', "<iframe"),
        ("<svg><script>alert(1)</script></svg>", "alert"),
        ('<a href="  JaVaScRiPt:alert(1)">x</a>', "alert"),
    ],
)
def test_body_is_sanitised_before_it_is_stored(dirty, forbidden):
    post = make_post(body=dirty)
    post.refresh_from_db()
    assert forbidden not in post.body.lower()


@pytest.mark.django_db
def test_allowed_markup_survives_sanitising():
    body = (
        '<h2>Why</h2><p>Read <a href="https://example.org/a">this</a>, <em>now</em>.</p>'
        "<ul><li>one</li></ul><blockquote>quote</blockquote>"
    )
    stored = Post.objects.get(pk=make_post(body=body).pk).body
    for kept in ["<h2>Why</h2>", 'href="https://example.org/a"', "<em>now</em>", "<li>one</li>"]:
        assert kept in stored


@pytest.mark.django_db
def test_xml_illegal_characters_are_removed_from_stored_text():
    post = make_post(title="Bad\x00 ti\x0btle\ufffe", body="<p>a\x1fb</p>", excerpt="x\x07y")
    post.refresh_from_db()
    assert (post.title, post.body, post.excerpt) == ("Bad title", "<p>ab</p>", "xy")


def test_hostile_body_never_reaches_a_page(client, db):
    post = make_post(
        title="Hostile",
        body='<p>ok</p><script>window.pwned=1</script><img src=x onerror="window.pwned=2">',
    )
    html = client.get(post.get_absolute_url()).content.decode()
    assert "pwned" not in html
    assert "<p>ok</p>" in html


def test_titles_are_escaped_on_pages(client, db):
    make_post(title='<script>alert("t")</script> & more', slug="escaped")
    home = client.get("/").content.decode()
    detail = client.get("/post/escaped/").content.decode()
    for html in (home, detail):
        assert '<script>alert("t")</script>' not in html
        assert "&lt;script&gt;" in html


def test_link_label_names_the_kind_of_media_or_the_source():
    assert Post(kind="podcast").link_label == "Open the podcast episode"
    assert Post(kind="case-study").link_label == "Open the case study"
    assert Post(kind="article").link_label == "Go to the source"
    assert Post().link_label == "Go to the source"


@pytest.mark.django_db
def test_create_many_gives_each_post_a_free_slug_preferring_the_wanted_one(
    django_assert_max_num_queries,
):
    make_post(title="Taken", slug="taken")
    make_post(title="Weekly roundup", slug="weekly-roundup")
    make_post(title="Weekly roundup", slug="weekly-roundup-2")
    titles = ["Old name kept", "Wanted is taken", "Weekly roundup", "Weekly roundup", "No wish"]
    wanted = ["Old Name", "taken", "", "old-name", ""]
    posts = [Post(title=f"  {title}\x00 ", body="<p>x<script>y</script></p>") for title in titles]

    # One query for the wanted and title slugs, one for the numbered ones, one insert, one
    # bump of the content version, and the savepoint around them.
    with django_assert_max_num_queries(6):
        Post.objects.create_many(posts, wanted_slugs=wanted)

    assert [post.slug for post in posts] == [
        "old-name",
        "wanted-is-taken",
        "weekly-roundup-3",
        "weekly-roundup-4",  # its wanted slug went to the first post
        "no-wish",
    ]
    stored = Post.objects.get(slug="old-name")
    assert (stored.title, stored.body) == ("Old name kept", "<p>x</p>")  # as save() would
