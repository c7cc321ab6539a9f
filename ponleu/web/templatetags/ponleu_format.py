from django import template

from ponleu.web import dates

register = template.Library()


@register.filter
def local_date(value, style="medium"):
    return dates.format_date(value, style)


@register.filter
def local_datetime(value):
    return dates.format_datetime(value)


@register.filter
def local_number(value):
    return dates.format_number(value)
