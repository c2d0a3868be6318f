"""The editor's rules, loaded once per fetch: which entries to drop, which categories to give.

Used by the store stage and by the dry run (`dry_run`, `dry_run_rule`), so a dry run shows
exactly what a fetch would do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.text import slugify

from posts.models import Category
from posts.sanitize import html_to_text

from .models import CategoryRule, FeedEntry, FeedSource, FilterRule

# How many of a source's last entries a dry run judges.
DRY_RUN_ENTRIES = 50


@dataclass(frozen=True)
class Candidate:
    """What the rules look at, from a fresh entry or a stored one."""

    title: str
    link: str
    author: str
    categories: tuple[str, ...]
    summary_text: str

    @classmethod
    def of(cls, entry) -> Candidate:
        summary = getattr(entry, "summary_html", None)
        if summary is None:
            summary = entry.summary
        return cls(
            title=entry.title,
            link=entry.link,
            author=entry.author,
            categories=tuple(entry.categories),
            summary_text=html_to_text(summary),
        )


@dataclass
class Verdict:
    blocked_by: str = ""
    categories: list[Category] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why each category was given
    why: dict[int, str] = field(default_factory=dict)  # category pk → what gave it

    def proposals(self) -> dict[str, str]:
        """What gave each category, as `NewsItem.proposed_by` keeps it (JSON: string keys)."""
        return {str(pk): reason for pk, reason in self.why.items()}

    def __str__(self) -> str:
        if self.blocked_by:
            return f"dropped ({self.blocked_by})"
        return "kept; categories: " + (", ".join(self.reasons) or "none")


class RuleSet:
    def __init__(
        self,
        *,
        filter_rules: Iterable[FilterRule],
        category_rules: Iterable[CategoryRule],
        default_categories: Iterable[Category] = (),
        categories: Iterable[Category] | None = None,
    ):
        rules = list(filter_rules)
        self.keep = [r for r in rules if r.action == FilterRule.Action.KEEP]
        self.block = [r for r in rules if r.action == FilterRule.Action.BLOCK]
        self.category_rules = list(category_rules)
        self.defaults = list(default_categories)
        all_categories = list(Category.objects.all() if categories is None else categories)
        self.by_label: dict[str, Category] = {}
        for category in all_categories:
            self.by_label.setdefault(category.slug.casefold(), category)
        for category in all_categories:
            # Names win over slugs when one category's name is another's slug.
            self.by_label[category.name.casefold()] = category

    @classmethod
    def for_source(cls, source: FeedSource, *, extra: Iterable = ()) -> RuleSet:
        """The source's active rules plus global ones. `extra` (dry run) adds rules not yet
        saved, or replaces the saved version of a rule being edited."""
        extra = list(extra)
        replaced = {(type(rule), rule.pk) for rule in extra if rule.pk}
        extra = [r for r in extra if r.active and r.source_id in (None, source.pk)]
        mine = Q(source=source) | Q(source__isnull=True)

        def current(queryset) -> list:
            return [
                r for r in queryset.filter(mine, active=True) if (type(r), r.pk) not in replaced
            ]

        return cls(
            filter_rules=[
                *current(FilterRule.objects.all()),
                *(r for r in extra if isinstance(r, FilterRule)),
            ],
            category_rules=[
                *current(CategoryRule.objects.select_related("category")),
                *(r for r in extra if isinstance(r, CategoryRule)),
            ],
            default_categories=source.default_categories.all() if source.pk else (),
        )

    def judge(self, candidate: Candidate) -> Verdict:
        fields = {
            "title": candidate.title,
            "link": candidate.link,
            "author": candidate.author,
            "categories": list(candidate.categories),
        }
        if self.keep and not any(rule.matches(**fields) for rule in self.keep):
            return Verdict(blocked_by="matches none of the keep rules")
        for rule in self.block:
            if rule.matches(**fields):
                return Verdict(blocked_by=f"block rule: {rule}")

        verdict = Verdict()
        chosen: dict[int, Category] = {}

        def give(category: Category, reason: str) -> None:
            if category.pk not in chosen:
                chosen[category.pk] = category
                verdict.why[category.pk] = reason
                verdict.reasons.append(f"{category.name} ({reason})")

        for label in candidate.categories:
            category = self.lookup(label)
            if category is not None:
                give(category, f"feed category “{label}”")
        text = f"{candidate.title}\n{candidate.summary_text}"
        for rule in self.category_rules:
            if rule.matches(text):
                give(rule.category, f"keyword “{rule.phrase}”")
        for category in self.defaults:
            give(category, "source default")
        verdict.categories = list(chosen.values())
        return verdict

    def lookup(self, label: str) -> Category | None:
        """Our category for a feed's label: by name or slug, ignoring case ("Patient
        Experience" finds the category whose slug is patient-experience)."""
        return self.by_label.get(label.casefold()) or self.by_label.get(slugify(label))

    def unmapped(self, labels: Iterable[str]) -> list[str]:
        return [label for label in labels if self.lookup(label) is None]


@dataclass
class DryRunRow:
    entry: FeedEntry
    before: str  # what the saved rules do
    after: str  # what they would do with the proposed rules

    @property
    def changed(self) -> bool:
        return self.before != self.after


def dry_run(sources: Iterable[FeedSource], *, extra: Iterable = ()) -> list[DryRunRow]:
    """The rules' verdicts on each source's last entries, now and with `extra` (rules not yet
    saved, see `RuleSet.for_source`). Nothing is saved."""
    extra = list(extra)
    rows = []
    for source in sources:
        entries = source.entries.order_by("-last_seen_at", "-pk")[:DRY_RUN_ENTRIES]
        current = RuleSet.for_source(source)
        proposed = RuleSet.for_source(source, extra=extra) if extra else current
        for entry in entries:
            candidate = Candidate.of(entry)
            before, after = current.judge(candidate), proposed.judge(candidate)
            rows.append(DryRunRow(entry=entry, before=str(before), after=str(after)))
    return rows


def dry_run_rule(rule: CategoryRule | FilterRule) -> list[DryRunRow]:
    """A rule being edited, on the last entries of its source, or of every source for a
    global rule."""
    sources = [rule.source] if rule.source_id else FeedSource.objects.all()
    return dry_run(sources, extra=[rule])
