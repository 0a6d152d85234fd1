"""What happens after a submission, for apps that do not exist yet.

The payments issue registers a handler that creates the one invoice; the agencies issue one
that plans the agency tasks. Handlers run inside the submission's transaction (so an invoice
and its submission commit together, and a failing handler undoes the submission); work that
leaves the process must go through the outbox or `transaction.on_commit`. Until then the
registry is empty and submission does nothing more.
"""

from collections.abc import Callable
from typing import Any

SubmittedHandler = Callable[[Any, Any], None]  # (application, version)
_on_submitted: list[SubmittedHandler] = []


def on_submitted(handler: SubmittedHandler) -> SubmittedHandler:
    """Register `handler` (usable as a decorator); registering twice has no effect."""
    if handler not in _on_submitted:
        _on_submitted.append(handler)
    return handler


def remove_on_submitted(handler: SubmittedHandler) -> None:
    if handler in _on_submitted:
        _on_submitted.remove(handler)


def run_on_submitted(application: Any, version: Any) -> None:
    for handler in list(_on_submitted):
        handler(application, version)
