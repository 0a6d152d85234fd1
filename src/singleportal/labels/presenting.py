"""A run's facts as pages show them: codes turned into translated names."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from singleportal.catalog.vocabulary import MakerKind, MarkKind, Material
from singleportal.labels.signing import Reason

REASON_MESSAGES = {
    Reason.CHANGED_PAYLOAD: _(
        "The signed data in this code was changed: it is not a label the Single Portal issued."
    ),
    Reason.UNKNOWN_KEY: _("This code was signed with a key the Single Portal does not know."),
    Reason.REVOKED_KEY: _(
        "The key that signed this label was revoked: it no longer proves anything."
    ),
    Reason.OTHER_CODE: _(
        "The signed data belongs to another label: this code was copied from somewhere else."
    ),
    Reason.NOT_ON_RECORD: _(
        "The signed data does not match what the Single Portal issued for this code."
    ),
    Reason.UNKNOWN_CODE: _("No label has this code: it was not issued by the Single Portal."),
    Reason.WITHDRAWN: _("The business withdrew these labels: they no longer vouch for the item."),
}


def _name(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:  # a code the vocabulary no longer has: show it as stored
        return code


def facts_for_page(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts with materials, marks and the kind of maker named in the page's language."""
    product = facts["product"]
    return {
        **facts,
        "materials": [_name(Material, code) for code in product["materials"]],
        "marks": [{**mark, "name": _name(MarkKind, mark["kind"])} for mark in facts["marks"]],
        "made_by": _name(MakerKind, facts["maker"]["made_by"]),
    }
