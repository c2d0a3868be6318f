"""The old site's category names mapped onto ours, for `import_feed`: the operator's
explicit mapping (`--map "old name=slug"`, `--map-file`) first, else by name or slug."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from posts.models import Category

from .rules import RuleSet


class MappingError(ValueError):
    pass


class CategoryMap:
    """Our category for an old category's name: the operator's mapping first (`--map`, case
    ignored), else by name or slug (`RuleSet.lookup`)."""

    def __init__(self, mapping: Iterable[tuple[str, str]] = ()):
        self.categories = list(Category.objects.all())
        self.rules = RuleSet(filter_rules=[], category_rules=[], categories=self.categories)
        by_slug = {category.slug: category for category in self.categories}
        self.explicit: dict[str, Category] = {}
        for name, slug in mapping:
            category = by_slug.get(slug) or by_slug.get(slug.lower())
            if category is None:
                raise MappingError(
                    f"“{name} = {slug}”: we have no category with the slug “{slug}”."
                    + self._suggestion(slug)
                )
            self.explicit[name.casefold()] = category

    def lookup(self, name: str) -> Category | None:
        return self.explicit.get(name.casefold()) or self.rules.lookup(name)

    def closest(self, name: str) -> Category | None:
        """The category whose name or slug is most like `name`, if one is close."""
        labels = {c.slug: c for c in self.categories} | {c.name: c for c in self.categories}
        match = difflib.get_close_matches(name, list(labels), n=1, cutoff=0.6)
        return labels[match[0]] if match else None

    def _suggestion(self, slug: str) -> str:
        near = difflib.get_close_matches(slug, [c.slug for c in self.categories], n=3)
        if near:
            return " Did you mean " + " or ".join(f"“{s}”" for s in near) + "?"
        return " Our slugs are listed in the admin under Categories."


def parse_mapping(text: str, *, origin: str = "--map") -> tuple[str, str]:
    """`old name = slug` as (name, slug); spaces around either, and a # comment after the
    slug, ignored (slugs have no "#"; names may)."""
    name, sep, slug = text.rpartition("=")
    name, slug = name.strip(), slug.partition("#")[0].strip()
    if not sep or not name or not slug:
        raise MappingError(f"{origin}: “{text.strip()}” is not of the form “old name = slug”.")
    return name, slug


def read_mapping_file(path: Path) -> list[tuple[str, str]]:
    """Lines `old name = slug`; blank lines and lines starting with # ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"The mapping file {path} cannot be read: {exc}") from None
    return [
        parse_mapping(line, origin=f"{path}, line {n}")
        for n, line in enumerate(lines, 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
