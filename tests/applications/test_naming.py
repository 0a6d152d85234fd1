"""The application's name step asks the names app: registered, reserved and forbidden names are
refused with its explanation; the applicant's own reservation lets the name through."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from singleportal.applications import actions, naming
from singleportal.names.actions import reserve_name
from singleportal.names.models import NameReservation
from tests.applications.helpers import complete_application
from tests.factories import UserFactory
from tests.registry.factories import register

pytestmark = pytest.mark.django_db
PAIR = {"name_km": "អង្គរ ស៊ីលក៍", "name_en": "Angkor Silk", "legal_form": "private_limited_company"}


def refused(app, user, name_km, name_en=""):
    with pytest.raises(ValidationError) as caught:
        actions.save_names(app, user, name_km=name_km, name_en=name_en)
    return caught.value.message_dict


def test_a_khmer_name_is_still_required():
    [problem] = naming.check_names("", "Angkor Silk")
    assert problem == naming.NameProblem("name_km", "Enter the business name in Khmer.")


def test_a_registered_name_is_refused_beside_the_field_it_clashes_with():
    register("អង្គរ ស៊ីលក៍", "Angkor Silk Co., Ltd.")
    user = UserFactory()
    app = actions.create_application(user, legal_form="private_limited_company")
    errors = refused(app, user, "មេគង្គ ស៊ីលក៍", "Angkor Silk")
    assert list(errors) == ["name_en"]
    assert "Angkor Silk Co., Ltd." in errors["name_en"][0]
    errors = refused(app, user, "អង្គរ ស៊ីលក៍")
    assert list(errors) == ["name_km"] and "អង្គរ ស៊ីលក៍" in errors["name_km"][0]


def test_input_the_names_app_refuses_becomes_a_problem_and_warnings_do_not():
    user = UserFactory()
    app = actions.create_application(user, legal_form="private_limited_company")
    errors = refused(app, user, "អង្គរ Silk")
    assert errors["name_km"] == [
        "Write the Khmer name in Khmer letters only; the Latin name has its own box."
    ]
    errors = refused(app, user, "មេគង្គ", "Royal Mekong")
    assert list(errors) == ["name_en"] and "RW-ROYAL" in errors["name_en"][0]
    # A restricted word only warns (a licence is needed): the name is saved.
    actions.save_names(app, user, name_km="មេគង្គ", name_en="Mekong Insurance")
    app.refresh_from_db()
    assert app.name_en == "Mekong Insurance"


def test_someone_elses_reservation_blocks_and_my_own_lets_the_name_through():
    holder, other = UserFactory(), UserFactory()
    reserve_name(holder, **PAIR)
    app = actions.create_application(other, legal_form="private_limited_company")
    errors = refused(app, other, "អង្គរ ស៊ីលក៍", "Angkor Silk")
    assert set(errors) == {"name_km", "name_en"}
    assert "reserved" in errors["name_en"][0]
    mine = actions.create_application(holder, legal_form="private_limited_company")
    # A business registered since the reservation does not take the name from its holder.
    register("អង្គរ ស៊ីលក៍", "Angkor Silk")
    actions.save_names(mine, holder, name_km="អង្គរ ស៊ីលក៍", name_en="Angkor Silk")
    assert naming.check_names("អង្គរ ស៊ីលក៍", "Angkor Silk", user=holder) == []


def test_an_expired_reservation_no_longer_lets_the_name_through():
    holder = UserFactory()
    reserve_name(holder, **PAIR)
    register("អង្គរ ស៊ីលក៍", "Angkor Silk")
    NameReservation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    problems = naming.check_names("អង្គរ ស៊ីលក៍", "Angkor Silk", user=holder)
    assert {p.field for p in problems} == {"name_km", "name_en"}


def test_a_representative_files_under_the_owners_reservation():
    owner, agent = UserFactory(), UserFactory(phone="+85512000111")
    reserve_name(owner, **PAIR)
    app = actions.create_application(owner, legal_form="private_limited_company")
    actions.authorise_representative(app, owner, "+85512000111")
    actions.save_names(app, agent, name_km="អង្គរ ស៊ីលក៍", name_en="Angkor Silk")


def test_a_name_registered_after_saving_stops_submission():
    user = UserFactory()
    app = complete_application(user)
    register(app.name_km, "Other Name")
    with pytest.raises(actions.NotSubmittable) as caught:
        actions.submit_application(app, user, declared_by_name="សុខ ចន្ទា")
    [problem] = caught.value.problems
    assert (problem.step, problem.field) == ("names", "name_km")
