from django import template

from fawang.lib.validators import mask_name

register = template.Library()


@register.filter
def masked(name: str) -> str:
    """A person's name masked as in every list (张*)."""
    return mask_name(name or "")
