"""The facet panel beside a listing, its options as HTML.

Some thirty options, each with its count, its state and two addresses. Printed by the template
language, with a lookup, an escape and often a localised number for every value and an
{% include %} for every option, the panel took about a quarter of a listing's render; built
with these few lines of `format_html`, it takes about a third of that time. The panel's frame
(groups, headings, the button that folds it on a phone) stays in templates/posts/_facets.html.
Every value goes through `format_html`, which escapes it: category names come from editors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .filters import FacetGroup, KindOption, Option


@dataclass(frozen=True, slots=True)
class PanelGroup:
    facet: str
    label: str
    # The options' <li> elements.
    options: SafeString


def panel(facets: Sequence[FacetGroup], kinds: Sequence[KindOption] = ()) -> list[PanelGroup]:
    """The "Kind" group (if any) first, then the category facets."""
    groups = []
    if kinds:
        groups.append(PanelGroup("kind", "Kind", items((o.label, o) for o in kinds)))
    for group in facets:
        options = items((o.category.name, o) for o in group.options)
        groups.append(PanelGroup(group.facet, group.label, options))
    return groups


def items(options) -> SafeString:
    return mark_safe("".join(option(name, o) for name, o in options))  # each by format_html


# A category or a kind with its count, picked (✓) or not, and a button that leaves it out
# (↺ when left out: stop leaving it out).
OFFERED = """
      <li class="option{modifier}">
        <a class="option__pick" href="{toggle_url}"{current} rel="nofollow">
          <span class="option__name">{tick}{name}</span>
          <span class="count" aria-label="{count} post{plural}">{count}</span>
        </a>
        <a class="option__exclude" href="{exclude_url}" rel="nofollow"
           title="{verb} {name}">
          <span aria-hidden="true">{sign}</span>
          <span class="visually-hidden">{verb} {name}</span>
        </a>
      </li>"""
# Picking it would show nothing: shown for orientation, not offered as a link.
NOT_OFFERED = """
      <li class="option option--none">
        <span class="option__pick option__pick--none">
          <span class="option__name">{name}<span class="visually-hidden"> (no posts with these filters)</span></span>
          <span class="count" aria-hidden="true">0</span>
        </span>
      </li>"""  # noqa: E501
CURRENT = mark_safe(' aria-current="true"')
TICK = mark_safe('<span aria-hidden="true">✓ </span>')


def option(name: str, source: Option | KindOption) -> SafeString:
    count, included, excluded = source.count, source.included, source.excluded
    if not (count or included or excluded):
        return format_html(NOT_OFFERED, name=name)
    if included:
        modifier = " option--on"
    elif excluded:
        modifier = " option--off"
    else:
        modifier = " option--none" if not count else ""
    return format_html(
        OFFERED,
        modifier=modifier,
        toggle_url=source.toggle_url,
        current=CURRENT if included else "",
        tick=TICK if included else "",
        name=name,
        count=f"{count:,}",
        plural="" if count == 1 else "s",
        exclude_url=source.exclude_url,
        verb="Stop leaving out" if excluded else "Leave out",
        sign="↺" if excluded else "⊘",
    )
