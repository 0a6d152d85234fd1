"""Background work for the register: the daily open data export."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def export_register(force: bool = False) -> str:
    """Celery beat, daily (02:00 in Cambodia): the whole register as CSV and JSON Lines with
    a manifest (registry/export.py). Idempotent: a day's complete export is not rebuilt unless
    forced; while another export runs into the same folder, this one does nothing."""
    from singleportal.registry import export

    try:
        result = export.export_registry(force=force)
    except export.ExportBusy:
        logger.info("registry export: another export is running; nothing done")
        return "busy"
    if result.built:
        logger.info(
            "registry export %s: %s businesses, removed %s",
            result.day,
            result.manifest["counts"]["businesses"],
            result.removed or "none",
        )
    return result.day
