from django import template
from django.utils.safestring import SafeString

from posts.search import highlight as highlight_terms

register = template.Library()


@register.filter
def highlight(text: str, terms) -> SafeString:
    """`{{ post.title|highlight:terms }}`: escaped, with the words of a search in <mark>."""
    return highlight_terms(text, terms or ())
