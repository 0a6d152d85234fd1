"""What other apps do when an application moves, without applications importing them.

The agencies app registers the handlers that plan (or, on a resubmission, reopen) the agency
tasks and that cancel them on withdrawal (agencies/apps.py); the payments app registers those
that issue the invoice, answer whether its fee is unpaid, and refund when the file is withdrawn
or rejected (payments/apps.py). Handlers run inside the action's transaction (so the tasks and
their submission commit together, and a failing handler undoes the submission); work that
leaves the process must go through the outbox or `transaction.on_commit`.
"""

from collections.abc import Callable
from typing import Any

from singleportal.core.hooks import Handlers

SubmittedHandler = Callable[[Any, Any], object]  # (application, version); result unused
WithdrawnHandler = Callable[[Any, Any], None]  # (application, user)
RejectedHandler = Callable[[Any], None]  # (application)
FeeQuestion = Callable[[Any], bool]  # (application) -> is a fee still unpaid?


submitted: Handlers[SubmittedHandler] = Handlers()
withdrawn: Handlers[WithdrawnHandler] = Handlers()
# Run by whoever rejects the file (the agencies, when one agency rejects), in its transaction.
rejected: Handlers[RejectedHandler] = Handlers()
# With no payments app on the platform no fee is collected through it: nothing is outstanding.
fee_questions: Handlers[FeeQuestion] = Handlers()


def on_submitted(handler: SubmittedHandler) -> SubmittedHandler:
    return submitted.add(handler)


def remove_on_submitted(handler: SubmittedHandler) -> None:
    submitted.remove(handler)


def run_on_submitted(application: Any, version: Any) -> None:
    for handler in submitted:
        handler(application, version)


def run_on_withdrawn(application: Any, user: Any) -> None:
    for handler in withdrawn:
        handler(application, user)


def run_on_rejected(application: Any) -> None:
    for handler in rejected:
        handler(application)


def fee_outstanding(application: Any) -> bool:
    return any(question(application) for question in fee_questions)
