from django import template
from django.utils.safestring import SafeString

from posts.cards import ChipMaker

register = template.Library()


@register.filter
def chip_items(categories) -> SafeString:
    """`<ul class="chips">{{ categories|chip_items }}</ul>`: each category as a link to its page
    (posts.cards.chip, which cards use too), in the order given."""
    return ChipMaker().of(categories)
