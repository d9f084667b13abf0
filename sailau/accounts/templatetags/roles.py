"""Role checks for templates: `{% load roles %}{% if user|decider %}`."""

from django import template

from sailau.accounts import permissions as perm

register = template.Library()


@register.filter
def decider(user) -> bool:
    return perm.is_decider(user)
