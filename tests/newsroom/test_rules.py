"""The editor's rules on their own: block and keep, category mapping, keywords, defaults, and
the dry run that shows a rule's effect before it is saved. Entries are built directly; no HTTP."""

from datetime import UTC, datetime

import pytest

from newsroom.models import CategoryRule, FilterRule
from newsroom.rules import Candidate, RuleSet, Verdict, dry_run, dry_run_rule
from posts.models import Category
from tests.newsroom.ingest_factories import (
    make_category_rule,
    make_entry,
    make_filter_rule,
    make_source,
    store,
)

pytestmark = pytest.mark.django_db

DAY = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def candidate(**fields) -> Candidate:
    fields.setdefault("title", "A story")
    return Candidate.of(make_entry(**fields))


def judged(source, **fields) -> Verdict:
    return RuleSet.for_source(source).judge(candidate(**fields))


def slugs(verdict: Verdict) -> list[str]:
    return [c.slug for c in verdict.categories]


@pytest.fixture
def source():
    return make_source(feed_url="https://northwind.example/rss2.xml", name="Northwind")


def test_block_rule_drops_a_match_and_names_itself(source):
    make_filter_rule(pattern="webinar", field="title")

    blocked = judged(source, title="Join our Webinar today")

    assert blocked.blocked_by == "block rule: Block entries that match: title ~ “webinar”"
    assert blocked.categories == []
    assert str(blocked) == f"dropped ({blocked.blocked_by})"
    assert judged(source, title="Webinars we liked").blocked_by == ""  # whole words only


def test_keep_rules_drop_entries_that_match_none(source):
    make_filter_rule(pattern="Patient Experience", action="keep", field="categories")
    make_filter_rule(pattern="pharmacy", action="keep", field="any")

    assert judged(source, categories=("Patient Experience",)).blocked_by == ""
    assert judged(source, title="Loyalty in pharmacy chains").blocked_by == ""
    assert judged(source, title="Car dealers").blocked_by == "matches none of the keep rules"


def test_link_rules_match_any_part_of_the_address(source):
    make_filter_rule(pattern="/SPONSORED/", field="link")

    assert judged(source, link="https://a.example/sponsored/x").blocked_by
    assert not judged(source, link="https://a.example/news/sponsored-free").blocked_by


def test_feed_categories_map_by_name_or_slug_ignoring_case(source):
    rules = RuleSet.for_source(source)

    verdict = rules.judge(
        candidate(categories=("Patient Experience", "ABOUT CX DESIGN", "cx-strategy", "Launch"))
    )

    assert slugs(verdict) == ["patient-experience", "cx-design", "cx-strategy"]
    assert verdict.reasons[0] == "focus on patient experience (feed category “Patient Experience”)"
    assert rules.unmapped(["Launch", "cx-strategy"]) == ["Launch"]


def test_keyword_rules_match_whole_words_with_any_spacing(source):
    make_category_rule(phrase="patient app", category="digital-experience")
    make_category_rule(phrase="liaison", category="tech-industry")

    assert slugs(judged(source, title="A Patient  App that works")) == ["digital-experience"]
    assert slugs(judged(source, summary="<p>Outpatient apps and medical liaisons</p>")) == []
    verdict = judged(source, summary="<p>Our new <b>patient app</b></p>")
    assert verdict.reasons == ["focus on digital experience (keyword “patient app”)"]


def test_source_rules_and_defaults_apply_to_their_source_only(source):
    other = make_source(feed_url="https://digest.example/rss2.xml", name="Digest")
    source.default_categories.set(Category.objects.filter(slug="broader-inspiration"))
    make_category_rule(phrase="journey", category="cx-design", source=source)
    make_filter_rule(pattern="journey", field="title", source=other)
    inactive = make_filter_rule(pattern="journey", field="title")
    inactive.active = False
    inactive.save()

    mine = judged(source, title="The patient journey")
    theirs = judged(other, title="The patient journey")

    assert slugs(mine) == ["cx-design", "broader-inspiration"]
    assert str(mine) == (
        "kept; categories: about CX design (keyword “journey”), "
        "broader inspiration (source default)"
    )
    assert theirs.blocked_by.startswith("block rule:")


def test_dry_run_compares_the_saved_rules_with_a_proposed_one(source):
    store(
        source,
        [
            make_entry(guid="1", title="Customer view for field teams", published=DAY),
            make_entry(guid="2", title="Launch notes", published=DAY),
        ],
        now=DAY,
    )
    proposed = FilterRule(pattern="customer view", field="title", source=source)

    rows = dry_run([source], extra=[proposed])

    assert [(row.entry.title, row.changed) for row in rows] == [
        ("Launch notes", False),
        ("Customer view for field teams", True),
    ]
    assert rows[1].before == "kept; categories: none"
    assert rows[1].after.startswith("dropped (block rule: Block entries that match: title")
    assert FilterRule.objects.count() == 0


def test_dry_run_of_an_edited_rule_replaces_its_saved_version(source):
    store(source, [make_entry(guid="1", title="The patient journey", published=DAY)], now=DAY)
    rule = make_category_rule(phrase="journey", category="cx-design")
    rule.category = Category.objects.get(slug="cx-strategy")  # edited, not saved

    (row,) = dry_run_rule(rule)

    assert row.before == "kept; categories: about CX design (keyword “journey”)"
    assert row.after == "kept; categories: about CX strategy (keyword “journey”)"
    assert CategoryRule.objects.get().category.slug == "cx-design"


def test_dry_run_of_a_global_rule_checks_every_source(source):
    other = make_source(feed_url="https://digest.example/rss2.xml", name="Digest")
    store(source, [make_entry(guid="n", title="Journey one", published=DAY)], now=DAY)
    store(other, [make_entry(guid="d", title="Journey two", published=DAY)], now=DAY)
    category = Category.objects.get(slug="cx-design")

    rows = dry_run_rule(CategoryRule(phrase="journey", category=category))
    only_mine = dry_run_rule(CategoryRule(phrase="journey", category=category, source=source))

    assert sorted((r.entry.source.name, r.changed) for r in rows) == [
        ("Digest", True),
        ("Northwind", True),
    ]
    assert [r.entry.source.name for r in only_mine] == ["Northwind"]
