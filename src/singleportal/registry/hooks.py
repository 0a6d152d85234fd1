"""What other apps do when the register changes, without the registry importing them.

`recorded` handlers run inside the transaction that appends a BusinessRecord (registration, TIN,
declaration...): work that leaves the process goes through `transaction.on_commit`.
"""

from collections.abc import Callable
from typing import Any

from singleportal.core.hooks import Handlers

RecordedHandler = Callable[[Any], None]  # (business record)

recorded: Handlers[RecordedHandler] = Handlers()


def run_on_recorded(record: Any) -> None:
    for handler in recorded:
        handler(record)
