"""`{% load bilingual %}{% bilingual profile "story" as story %}` then `{{ story.text }}`,
`lang="{{ story.lang }}"` and `{{ story.note }}` (empty unless the other language is shown)."""

from typing import Any

from django import template

from singleportal.core.bilingual import Bilingual
from singleportal.core.bilingual import bilingual as pick_bilingual

register = template.Library()


@register.simple_tag(name="bilingual")
def bilingual_tag(obj: Any, field: str) -> Bilingual:
    return pick_bilingual(obj, field)
