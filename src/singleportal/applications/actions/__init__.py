"""Writes on applications. Each takes the acting user, checks they may act on the file, runs in
one transaction with the application row locked, and appends an audit entry.

Split by topic; callers import this package (`from singleportal.applications import actions`)
and use the names below.
"""

from singleportal.applications.actions.business import (
    MAX_ACTIVITIES,
    choose_legal_form,
    create_application,
    save_activities,
    save_address,
    save_capital,
    save_contact,
    save_names,
    save_parent_company,
)
from singleportal.applications.actions.common import remember_step
from singleportal.applications.actions.documents import remove_document, upload_document
from singleportal.applications.actions.people import (
    MAX_PARTIES,
    add_beneficial_owner,
    add_party,
    allowed_party_roles,
    confirm_beneficial_owners,
    remove_beneficial_owner,
    remove_party,
)
from singleportal.applications.actions.representatives import (
    authorise_representative,
    revoke_representative,
)
from singleportal.applications.actions.sections import (
    save_employment,
    save_incentives,
    save_signboard,
    save_tax,
)
from singleportal.applications.actions.submission import (
    AlreadySubmitted,
    NotSubmittable,
    next_reference,
    submit_application,
    withdraw_application,
)

__all__ = [
    "MAX_ACTIVITIES",
    "MAX_PARTIES",
    "AlreadySubmitted",
    "NotSubmittable",
    "add_beneficial_owner",
    "add_party",
    "allowed_party_roles",
    "authorise_representative",
    "choose_legal_form",
    "confirm_beneficial_owners",
    "create_application",
    "next_reference",
    "remember_step",
    "remove_beneficial_owner",
    "remove_document",
    "remove_party",
    "revoke_representative",
    "save_activities",
    "save_address",
    "save_capital",
    "save_contact",
    "save_employment",
    "save_incentives",
    "save_names",
    "save_parent_company",
    "save_signboard",
    "save_tax",
    "submit_application",
    "upload_document",
    "withdraw_application",
]
