"""Numbers as readers read them: 100,000 posts, page 1 of 5,000."""

from django import template

register = template.Library()


@register.filter
def thousands(value):
    """An integer with its thousands grouped by commas (the site is in English); anything else
    as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value
