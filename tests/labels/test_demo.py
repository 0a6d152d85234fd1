"""The demo labels: a few runs for products that exist, one withdrawn, two reports; loading
them again adds nothing."""

import pytest

from singleportal.labels.demo import seed_demo_labels
from singleportal.labels.models import CopyReport, LabelRun, RunWithdrawal
from tests.labels import factories

pytestmark = pytest.mark.django_db


def test_demo_labels_are_seeded_once(people):
    factories.product(people.product.profile)
    assert seed_demo_labels() == 3
    assert seed_demo_labels() == 0
    assert LabelRun.objects.count() == 3
    assert RunWithdrawal.objects.count() == 1
    assert CopyReport.objects.count() == 2
    assert CopyReport.objects.filter(label__isnull=True).count() == 1


def test_without_products_there_is_nothing_to_label(db):
    assert seed_demo_labels() == 0
    assert not LabelRun.objects.exists()
