"""Addresses of the reader pages, built without a full `reverse()` each time.

A listing page links to each of its posts twice, to every post's categories, and from every
option of the category panel to another selection: well over a hundred addresses a page, and
`reverse()` costs far more than the string it returns. The pattern of a named URL is reversed
once (per URL configuration and script prefix), here with a stand-in slug or numbers, and
reused; a slug the `slug` path converter would refuse, or a number that is not digits, still
goes through `reverse()`, so it fails as it did.

This module sits below `posts.selection` and `posts.models` and imports nothing of ours.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Django's `slug` path converter; every such character stands for itself in a URL.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def named_path(viewname: str) -> str:
    """reverse(viewname) for a URL without arguments."""
    return _path(viewname, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def path_with_slug(viewname: str, slug: str) -> str:
    """reverse(viewname, kwargs={"slug": slug})."""
    return slug_paths(viewname)(slug)


def slug_paths(viewname: str) -> Callable[[str], str]:
    """path_with_slug(viewname, ·) for the many slugs of one request: the script prefix and URL
    configuration, which are per thread, looked up once."""
    head, _, tail = _pattern(
        viewname, ("slug",), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )

    def path(slug: str) -> str:
        if not SLUG.fullmatch(slug):
            return reverse(viewname, kwargs={"slug": slug})
        return head + slug + tail

    return path


def path_with_numbers(viewname: str, **numbers: str) -> str:
    """reverse(viewname, kwargs=numbers) for arguments of digits (the archive's year and
    month)."""
    if not all(value.isascii() and value.isdigit() for value in numbers.values()):
        return reverse(viewname, kwargs=numbers)
    pieces = _pattern(
        viewname, tuple(numbers), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
    return "".join(numbers.get(piece, piece) if i % 2 else piece for i, piece in enumerate(pieces))


# The script prefix and URL configuration are part of the key, so a change of either (a test's
# override_settings, a site mounted under a prefix) reverses again.
@lru_cache(maxsize=128)
def _path(viewname: str, prefix: str, urlconf: str) -> str:
    return reverse(viewname, urlconf=urlconf)


@lru_cache(maxsize=128)
def _pattern(viewname: str, names: tuple[str, ...], prefix: str, urlconf: str) -> tuple[str, ...]:
    """The address of viewname split around its arguments: literal text at the even places,
    the argument names at the odd ones. The stand-ins are digits, which both the `slug` and the
    `int`/digit converters take, and which no address of ours holds otherwise."""
    stand_ins = {f"{7_350_019_283 + i}": name for i, name in enumerate(names)}
    path = reverse(viewname, urlconf=urlconf, kwargs={n: s for s, n in stand_ins.items()})
    pieces = re.split("(" + "|".join(stand_ins) + ")", path)
    return tuple(stand_ins.get(piece, piece) if i % 2 else piece for i, piece in enumerate(pieces))
