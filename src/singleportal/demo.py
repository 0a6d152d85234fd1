"""Demo data for `singleportal demo`: loaded once, safe to run again."""

from singleportal.accounts.demo import DemoUser, seed_demo_users
from singleportal.agencies.demo import seed_demo_files
from singleportal.applications.demo import seed_demo_applications
from singleportal.catalog.demo import seed_demo_catalog
from singleportal.directory.demo import seed_demo_directory
from singleportal.labels.demo import seed_demo_labels
from singleportal.names.demo import seed_demo_names
from singleportal.names.search import forget_indexes
from singleportal.payments.demo import pay


def seed() -> list[tuple[DemoUser, str]]:
    # Agencies, geography, holidays, legal forms and activities arrive with the migrations.
    users = seed_demo_users()
    seed_demo_applications()
    seed_demo_names()
    # The name checks above built this process's similarity index before the register was
    # loaded; it would see the new names only after NAMES_REFRESH_MILLISECONDS, and the agency
    # files below must be checked against them (one is sent back for a too-close name).
    forget_indexes()
    seed_demo_files(pay)
    # The promotion hub: producers' profiles (after the register holds the demo files'
    # businesses), their products, and authenticity labels for some of them.
    seed_demo_directory()
    seed_demo_catalog()
    seed_demo_labels()
    return users
