"""A series has an order: parts numbered as they join, read from part 1 on its page and feeds,
and "Part n of N" with the parts before and after on each post's page."""

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posts.models import Category, Post
from posts.series import position_in_series
from tests.factories import forget_page, make_category, make_post
from tests.posts.admin_support import post_form_data

SERIES = "stop-it-mini-series"
pytestmark = pytest.mark.django_db


def series_category() -> Category:
    return Category.objects.get(slug=SERIES)


def parts(*titles: str, days_ago_from: int = 100) -> list[Post]:
    """Posts joining the series one after another, oldest first."""
    return [
        make_post(title=title, categories=[SERIES], days_ago=days_ago_from - i)
        for i, title in enumerate(titles)
    ]


def parts_of(posts: list[Post]) -> list[int | None]:
    return [Post.objects.get(pk=post.pk).series_part for post in posts]


def test_posts_joining_a_series_get_the_next_part():
    posts = parts("One", "Two", "Three")
    assert parts_of(posts) == [1, 2, 3]
    assert [post.series_part for post in posts] == [1, 2, 3]  # the instance knows it too


def test_a_numbered_post_keeps_its_number_and_the_next_joiner_follows_the_highest():
    first = make_post(title="Chosen", series_part=5, categories=[SERIES])
    later = parts("Later")
    assert parts_of([first, *later]) == [5, 6]


def test_adding_a_part_does_not_move_the_others():
    posts = parts("One", "Two", "Three")
    Post.objects.filter(pk=posts[1].pk).update(series_part=7)
    newcomer = make_post(title="Newcomer", categories=["cx-design"])
    newcomer.categories.add(series_category())
    assert parts_of([*posts, newcomer]) == [1, 7, 3, 8]


def test_posts_outside_a_series_get_no_part():
    post = make_post(title="Alone", categories=["cx-design"])
    assert parts_of([post]) == [None]


def test_bulk_action_numbers_the_posts_it_adds_to_a_series():
    posts = [make_post(title=f"Bulk {i}", days_ago=10 - i) for i in range(3)]
    Post.objects.filter(pk__in=[p.pk for p in posts]).add_category(series_category())
    assert parts_of(posts) == [1, 2, 3]  # in publication order


def test_each_series_is_numbered_on_its_own():
    other = make_category(name="Another series", facet="series")
    a = parts("A1", "A2")
    b = make_post(title="B1", categories=[other.slug])
    assert parts_of([*a, b]) == [1, 2, 1]


# ----- reading -----


def test_post_page_shows_its_part_and_the_visible_neighbours(client):
    one, two, three = parts("First part", "Second part", "Third part")
    draft = make_post(title="Unfinished part", categories=[SERIES], status="draft")
    assert draft.series_part == 4

    page = client.get(two.get_absolute_url()).content.decode()
    assert "Part 2 of 3 in" in page
    assert f'href="{one.get_absolute_url()}" rel="prev"' in page
    assert f'href="{three.get_absolute_url()}" rel="next"' in page
    assert "Unfinished part" not in page

    last = client.get(three.get_absolute_url()).content.decode()
    assert "Part 3 of 3 in" in last
    assert 'rel="next"' not in last


def test_part_numbers_readers_see_skip_hidden_parts(client):
    one, two, three = parts("First part", "Second part", "Third part")
    two.unpublish()
    page = client.get(three.get_absolute_url()).content.decode()
    assert "Part 2 of 2 in" in page
    assert f'href="{one.get_absolute_url()}" rel="prev"' in page


def test_post_outside_a_series_has_no_series_navigation(client):
    post = make_post(title="Alone", categories=["cx-design"])
    assert 'class="series-nav"' not in client.get(post.get_absolute_url()).content.decode()


@pytest.mark.parametrize("size", [3, 12])
def test_series_navigation_costs_one_query_whatever_the_series_size(
    client, size, django_assert_num_queries
):
    posts = parts(*(f"Part {i}" for i in range(size)))
    client.get(posts[1].get_absolute_url())  # related, older and newer posts, now cached
    forget_page(posts[1].get_absolute_url())  # the page itself built again
    # content version, the post, its categories, the series' parts.
    with django_assert_num_queries(4):
        response = client.get(posts[1].get_absolute_url())
    assert f"Part 2 of {size} in" in response.content.decode()


def test_position_read_in_one_row_agrees_with_reading_the_whole_series():
    # Ties in part and date, parts without a number, an undated draft (staff see it): each
    # part's number, total and neighbours as the whole series read in order gives them.
    posts = parts(*(f"Part {i}" for i in range(7)))
    same_day = posts[2].published_at
    Post.objects.filter(pk__in=[posts[2].pk, posts[3].pk]).update(series_part=3)
    Post.objects.filter(pk=posts[4].pk).update(published_at=same_day, series_part=3)
    Post.objects.filter(pk__in=[posts[5].pk, posts[6].pk]).update(series_part=None)
    undated = make_post(title="Undated draft", categories=[SERIES], status=Post.Status.DRAFT)
    Post.objects.filter(pk=undated.pk).update(published_at=None)
    # Part 1 twice, once undated: the database's place for NULL decides which comes first.
    Post.objects.filter(pk=posts[1].pk).update(
        published_at=None, status=Post.Status.DRAFT, series_part=1
    )
    series = series_category()
    for visible in (Post.objects.all(), Post.objects.published()):
        order = list(visible.in_category(series).in_reading_order().values_list("pk", "title"))
        for index, (pk, _) in enumerate(order):
            post = Post.objects.with_categories().get(pk=pk)
            position = position_in_series(post, visible)
            previous = order[index - 1][1] if index > 0 else None
            following = order[index + 1][1] if index + 1 < len(order) else None
            assert (position.number, position.total) == (index + 1, len(order))
            assert (position.previous and position.previous.title) == previous
            assert (position.next and position.next.title) == following
    hidden = Post.objects.with_categories().get(pk=undated.pk)
    assert position_in_series(hidden, Post.objects.published()) is None


def titles_in(html: str, candidates: list[str]) -> list[str]:
    return sorted((t for t in candidates if t in html), key=html.index)


def test_series_page_lists_its_parts_in_reading_order(client):
    posts = parts("First part", "Second part", "Third part")
    Post.objects.filter(pk=posts[0].pk).update(series_part=9)  # editor moved it to the end
    html = client.get(f"/category/{SERIES}/").content.decode()
    assert titles_in(html, ["First part", "Second part", "Third part"]) == [
        "Second part",
        "Third part",
        "First part",
    ]


def test_other_category_pages_stay_newest_first(client):
    make_post(title="Older", categories=["cx-design"], days_ago=5)
    make_post(title="Newer", categories=["cx-design"], days_ago=1)
    html = client.get("/category/cx-design/").content.decode()
    assert titles_in(html, ["Older", "Newer"]) == ["Newer", "Older"]


@pytest.mark.parametrize("path", ["feed/", "feed/atom/", "feed.json"])
def test_series_feeds_list_in_reading_order_and_a_new_part_goes_last(client, path):
    parts("First part", "Second part", "Third part")
    url = f"/category/{SERIES}/{path}"

    def titles() -> list[str]:
        response = client.get(url)
        assert response.status_code == 200
        if path.endswith(".json"):
            return [item["title"] for item in response.json()["items"]]
        return [entry.title for entry in feedparser.parse(response.content).entries]

    assert titles() == ["First part", "Second part", "Third part"]
    # Published after the others but numbered before: the reading order wins over the date.
    make_post(title="Prologue", series_part=0, categories=[SERIES], days_ago=0)
    make_post(title="Fourth part", categories=[SERIES], days_ago=0)
    assert titles() == ["Prologue", "First part", "Second part", "Third part", "Fourth part"]


def test_series_page_reads_the_series_through_its_category_subquery(client):
    parts("First part", "Second part")
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/category/{SERIES}/")
    listing = [q["sql"] for q in ctx.captured_queries if "series_part" in q["sql"]]
    listing = [sql for sql in listing if "ORDER BY" in sql and "LIMIT" in sql]
    assert listing, "no listing query found"
    assert all("IN (SELECT" in sql and "posts_taggedpost" in sql for sql in listing)


# ----- editing -----


def change_url(post: Post) -> str:
    return f"/admin/posts/post/{post.pk}/change/"


def test_editor_sets_the_part_on_the_form(editor_client):
    series = series_category()
    parts("One", "Two")
    response = editor_client.post(
        "/admin/posts/post/add/",
        post_form_data(title="Chosen place", categories_series=[series.pk], series_part="1"),
    )
    assert response.status_code == 302
    assert Post.objects.get(title="Chosen place").series_part == 1


def test_editor_who_clears_the_part_makes_the_post_the_last_part(editor_client):
    series = series_category()
    one, two = parts("One", "Two")
    data = post_form_data(title="One", categories_series=[series.pk], series_part="")
    assert editor_client.post(change_url(one), data).status_code == 302
    assert parts_of([one, two]) == [3, 2]


def test_change_list_filtered_to_a_series_edits_parts_in_place(editor_client):
    one, two, three = parts("One", "Two", "Three")
    url = f"/admin/posts/post/?series={SERIES}"
    page = editor_client.get(url).content.decode()
    assert 'name="form-0-series_part"' in page
    assert titles_in(page, ["One", "Two", "Three"]) == ["One", "Two", "Three"]

    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "3",
        "_save": "Save",
    }
    # Three becomes the first part; the others keep theirs.
    for i, (post, part) in enumerate([(one, 1), (two, 2), (three, 0)]):
        data[f"form-{i}-id"] = str(post.pk)
        data[f"form-{i}-series_part"] = str(part)
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert parts_of([one, two, three]) == [1, 2, 0]
    page = editor_client.get(url).content.decode()
    assert titles_in(page, ["One", "Two", "Three"]) == ["Three", "One", "Two"]


def test_change_list_without_a_series_filter_has_no_part_inputs(editor_client):
    parts("One")
    page = editor_client.get("/admin/posts/post/").content.decode()
    assert "series_part" not in page
