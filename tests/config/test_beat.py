"""Every task the beat schedule names exists: a typo would only show as a worker error."""

from django.conf import settings

from singleportal.config.celery import app


def test_every_scheduled_task_is_a_registered_task():
    app.loader.import_default_modules()
    missing = {
        name: entry["task"]
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        if entry["task"] not in app.tasks
    }
    assert not missing
