"""Background work: the PDF sheets of label runs."""

from celery import shared_task

from singleportal.labels import actions


@shared_task
def render_sheet(sheet_id: int) -> None:
    """Idempotent: a sheet already made is left alone; a failed one is marked failed (the
    owner's page offers to try again) and the error reaches the worker's log."""
    actions.render_sheet(sheet_id)
