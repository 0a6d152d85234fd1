"""Files for every legal form, submitted through the actions, and the agencies' officers.

The agencies' tests share these: a complete file of any legal form (with or without incentives,
foreign staff, a name of its own), its submission, and its tasks by agency code.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from singleportal.accounts.models import OfficerLevel
from singleportal.agencies.models import Task
from singleportal.applications import actions
from singleportal.applications.models import Application
from tests.applications.helpers import complete_application, person
from tests.factories import UserFactory, officer
from tests.payments.helpers import pay

FORMS = [
    "sole_proprietorship",
    "general_partnership",
    "limited_partnership",
    "private_limited_company",
    "single_member_private_limited_company",
    "public_limited_company",
    "branch_of_foreign_company",
    "representative_office",
]
PARTNERS = {
    "general_partnership": ("general_partner", "general_partner"),
    "limited_partnership": ("general_partner", "limited_partner"),
}


def filed(
    legal_form: str = "private_limited_company",
    *,
    user: Any = None,
    name_km: str = "ក្រុមហ៊ុន មេគង្គ ម្រេច",
    name_en: str = "Mekong Pepper",
    incentives: bool = False,
    foreign_staff: int = 0,
    khmer_staff: int = 3,
) -> Application:
    """A complete, unsubmitted file of `legal_form`."""
    user = user or UserFactory()
    shareholders = 1 if legal_form.startswith("single_member") else 2
    app = complete_application(user, legal_form, shareholders=shareholders)
    for i, role in enumerate(PARTNERS.get(legal_form, ())):
        actions.add_party(app, user, **person(role, f"ដៃគូ {i}", f"PT{i}"))
        actions.add_beneficial_owner(
            app, user, name_km=f"ដៃគូ {i}", nationality="KH", id_kind="national_id",
            id_number=f"PT{i}", ownership_percent=50,
        )  # fmt: skip
    if legal_form == "public_limited_company":  # a board of three
        for i in (1, 2):
            actions.add_party(app, user, **person("director", f"នាយក {i}", f"D{i}"))
    if (name_km, name_en) != ("ក្រុមហ៊ុន មេគង្គ ម្រេច", "Mekong Pepper"):
        actions.save_names(app, user, name_km=name_km, name_en=name_en)
    if incentives:
        actions.save_incentives(
            app, user, wanted=True, investment_khr=8_000_000_000,
            project_description="A pepper processing plant in Kampot.",
        )  # fmt: skip
    if foreign_staff or khmer_staff != 3:
        actions.save_employment(app, user, khmer_staff=khmer_staff, foreign_staff=foreign_staff)
    return app


def submit(app: Application, *, paid: bool = True) -> Application:
    """Submit the file and (unless `paid` is False) pay its invoice, as the applicant would."""
    actions.submit_application(app, app.owner, declared_by_name=app.owner.full_name)
    if paid:
        pay(app)
    app.refresh_from_db()
    return app


def tasks_of(app: Application) -> dict[str, Task]:
    return {t.agency.code: t for t in Task.objects.filter(application=app).select_related("agency")}


def statuses(app: Application) -> dict[str, str]:
    return {code: task.status for code, task in tasks_of(app).items()}


def clerk(code: str) -> Any:
    return officer(code, OfficerLevel.CLERK)


def head(code: str) -> Any:
    return officer(code, OfficerLevel.HEAD)


@contextmanager
def told_applicant() -> Iterator[list[tuple[int, str]]]:
    """What the applicant is told, (application id, status), instead of sending messages."""
    sent: list[tuple[int, str]] = []
    with mock.patch(
        "singleportal.agencies.tasks.tell_applicant.delay",
        side_effect=lambda application_id, status: sent.append((application_id, status)),
    ):
        yield sent
