"""Background work of the catalogue: CSV imports too long for a request."""

from celery import shared_task


@shared_task
def import_products(import_id: int) -> str:
    """Run one product import (catalog.actions.run_import). Idempotent: a finished import is
    left alone, an interrupted one resumes after its last committed batch."""
    from singleportal.catalog import actions

    return actions.run_import(import_id).status
