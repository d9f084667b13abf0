from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)


@register.filter(name="abs")
def absolute(value):
    return abs(int(value))
