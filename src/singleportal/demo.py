"""Demo data for `singleportal demo`: loaded once, safe to run again."""

from singleportal.accounts.demo import DemoUser, seed_demo_users


def seed() -> list[tuple[DemoUser, str]]:
    # Agencies, geography and holidays arrive with the migrations.
    return seed_demo_users()
