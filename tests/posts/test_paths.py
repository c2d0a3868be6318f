"""posts.paths builds reader addresses from patterns reversed once: always what reverse() gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from posts.paths import named_path, path_with_slug


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
    finally:
        set_script_prefix("/")
    assert path_with_slug("posts:detail", "x") == "/post/x/"
    assert named_path("posts:events") == reverse("posts:events")
