"""posts.paths builds reader addresses from patterns reversed once: always what reverse() gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from posts.paths import named_path, path_with_numbers, path_with_slug


@pytest.mark.parametrize("slug", ["a", "cx-design", "post_2", "Mixed-Case-9", "-", "_"])
def test_an_address_with_a_slug_is_the_reversed_one(slug):
    for name in ("posts:detail", "posts:category"):
        assert path_with_slug(name, slug) == reverse(name, kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["", "ünïcode", "a b", "a/b", "a?b"])
def test_a_slug_the_address_cannot_hold_fails_as_reverse_does(slug):
    with pytest.raises(NoReverseMatch):
        path_with_slug("posts:detail", slug)


def test_addresses_follow_the_script_prefix():
    try:
        set_script_prefix("/hub/")
        assert (
            path_with_slug("posts:detail", "x")
            == "/hub/post/x/"
            == reverse("posts:detail", kwargs={"slug": "x"})
        )
        assert named_path("posts:home") == "/hub/" == reverse("posts:home")
        assert path_with_numbers("posts:archive_year", year="2025") == "/hub/archive/2025/"
    finally:
        set_script_prefix("/")
    assert path_with_slug("posts:detail", "x") == "/post/x/"
    assert named_path("posts:events") == reverse("posts:events")


@pytest.mark.parametrize(
    ("year", "month"), [("2025", "03"), ("0999", "12"), ("7350", "01"), ("1", "7"), ("9999", "99")]
)
def test_an_address_with_numbers_is_the_reversed_one(year, month):
    assert path_with_numbers("posts:archive_year", year=year) == reverse(
        "posts:archive_year", kwargs={"year": year}
    )
    assert path_with_numbers("posts:archive_month", year=year, month=month) == reverse(
        "posts:archive_month", kwargs={"year": year, "month": month}
    )
    # Given in another order, each still lands in its place.
    assert path_with_numbers("posts:archive_month", month=month, year=year) == reverse(
        "posts:archive_month", kwargs={"year": year, "month": month}
    )


@pytest.mark.parametrize("year", ["", "２０２５", "20a5", "-1"])
def test_numbers_the_address_cannot_hold_fail_as_reverse_does(year):
    with pytest.raises(NoReverseMatch):
        path_with_numbers("posts:archive_year", year=year)
