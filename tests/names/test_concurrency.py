"""Two applicants reserve the same name at the same moment: exactly one wins."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from singleportal.names import actions
from singleportal.names.models import NameReservation
from tests.factories import UserFactory

PAIR = {"name_km": "អង្គរ ស៊ីលក៍", "name_en": "Angkor Silk", "legal_form": "private_limited_company"}


@pytest.mark.postgres
@pytest.mark.broker
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_reservations_of_one_name_end_with_one_winner():
    users = [UserFactory(), UserFactory(), UserFactory(), UserFactory()]
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []
    lock = threading.Lock()

    def reserve(user):
        try:
            barrier.wait(timeout=10)
            actions.reserve_name(user, **PAIR)
            outcome = "reserved"
        except ValidationError as exc:
            outcome = " ".join(exc.messages)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=reserve, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("reserved") == 1, outcomes
    assert len(outcomes) == len(users)
    assert NameReservation.objects.filter(status="active").count() == 1
