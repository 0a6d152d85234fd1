"""Demo data for `singleportal demo`: loaded once, safe to run again."""

from singleportal.accounts.demo import DemoUser, seed_demo_users
from singleportal.applications.demo import seed_demo_applications
from singleportal.names.demo import seed_demo_names


def seed() -> list[tuple[DemoUser, str]]:
    # Agencies, geography, holidays, legal forms and activities arrive with the migrations.
    users = seed_demo_users()
    seed_demo_applications()
    seed_demo_names()
    return users
