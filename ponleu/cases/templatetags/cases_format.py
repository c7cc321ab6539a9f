"""Filters of the case screens and of the Khmer MoSVY forms."""

from django import template

from ponleu.cases import mosvy

register = template.Library()


@register.filter
def km_date(value):
    return mosvy.km_date(value)


@register.filter
def km_number(value):
    return mosvy.km_number(value)


@register.filter
def km_label(value, group):
    return mosvy.km(group, value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
