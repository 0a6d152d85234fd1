"""Background work: the certificate of each new record on the register."""

import logging

from celery import shared_task

from singleportal.certificates import actions
from singleportal.certificates.keys import SigningKeyMissing, SigningKeyRevoked

logger = logging.getLogger(__name__)


@shared_task
def issue_certificate(record_id: int) -> None:
    """Idempotent (one certificate per record). Without a usable signing key the record stays
    uncertified and the error is logged: the registration itself stands, and the certificate
    is issued by running the task again once the key is configured."""
    try:
        actions.issue_for_record(record_id)
    except (SigningKeyMissing, SigningKeyRevoked) as exc:
        logger.error("Certificate of record %s not issued: %s", record_id, exc)
