"""What every API answers when an action refuses a call: one shape for the whole portal.

    {"detail": "every message, in one text", "problems": [{"field": "...", "message": "..."}]}

`field` names the input a message is about ("" for the request as a whole); an application's
problems also name their `step`. A client shows `detail`, or each problem next to its field.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from ninja import Schema


class ProblemOut(Schema):
    field: str = ""
    message: str


class ErrorOut(Schema):
    detail: str
    problems: Sequence[ProblemOut] = []


def problems_of(error: ValidationError) -> list[dict[str, str]]:
    """Each message of `error` with the field it is about. An error may carry its own problems
    (`error.problems`, each with `as_dict()`), as the applications' completeness check does."""
    if hasattr(error, "problems"):
        return [problem.as_dict() for problem in error.problems]
    if hasattr(error, "error_dict"):
        return [
            {"field": "" if field == NON_FIELD_ERRORS else field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"message": message} for message in error.messages]


def refusal(error: ValidationError) -> dict[str, Any]:
    """The body of a refused call."""
    return {"detail": " ".join(error.messages), "problems": problems_of(error)}
