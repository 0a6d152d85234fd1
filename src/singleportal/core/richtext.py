"""Rich text typed by users (stories, product descriptions), cleaned before it is stored.

A small allow-list only: paragraphs, line breaks, bold, italics and lists. Links are dropped
(their text kept) so a public page cannot be used to push visitors elsewhere; scripts and
styles go with their content. Templates then show the stored text with `|safe`, because every
write went through `clean_html`.
"""

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li"})


def clean_html(text: str) -> str:
    """The text with every tag outside ALLOWED_TAGS removed and no attribute left."""
    if not text:
        return ""
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={},
        clean_content_tags={"script", "style"},
        link_rel=None,
        strip_comments=True,
    ).strip()
