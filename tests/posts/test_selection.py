from dataclasses import dataclass

from django.http import QueryDict

from posts.selection import Facet, PostFilter


@dataclass(frozen=True)
class Cat:
    slug: str
    name: str
    facet: str


CATEGORIES = {
    c.slug: c
    for c in [
        Cat("cx-design", "about CX design", Facet.TOPIC),
        Cat("cx-strategy", "about CX strategy", Facet.TOPIC),
        Cat("healthcare-sector", "by healthcare sector", Facet.INDUSTRY),
    ]
}


def test_parsing_needs_only_the_categories_passed_in_no_database():
    # No `db` fixture: pytest-django fails any query, so this shows parsing is pure.
    selection = PostFilter.from_querydict(
        QueryDict("industry=Healthcare-Sector&topic=cx-strategy,cx-design&not=nope&q=a  b"),
        CATEGORIES,
    )
    assert selection.included == {
        "topic": ("cx-design", "cx-strategy"),
        "industry": ("healthcare-sector",),
    }
    assert selection.query == "a b"
    assert selection.notices == ("There is no category “nope” to leave out, so it was ignored.",)


def test_a_base_category_is_part_of_the_selection():
    base = CATEGORIES["cx-design"]
    selection = PostFilter.from_querydict(
        QueryDict("industry=healthcare-sector"), CATEGORIES, base=base
    )
    assert selection.included == {"topic": ("cx-design",), "industry": ("healthcare-sector",)}
    assert selection.without(base).single_category() == "healthcare-sector"
