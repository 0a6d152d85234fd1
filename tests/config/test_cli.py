import pytest

from singleportal.accounts.demo import DEMO_USERS, seed_demo_users
from singleportal.accounts.models import Role, User
from singleportal.cli import build_parser, main
from tests.factories import current_totp

pytestmark = pytest.mark.django_db


def test_the_command_offers_every_subcommand():
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"demo", "serve", "worker", "beat", "manage", "check-audit", "totp"} <= set(commands)


def test_manage_passes_through_to_django(capsys):
    assert main(["manage", "check"]) == 0
    assert "no issues" in capsys.readouterr().out


def test_demo_seed_gives_every_role_a_login_and_is_idempotent():
    first = seed_demo_users()
    seed_demo_users()
    assert User.objects.count() == len(DEMO_USERS)
    roles = {demo.role for demo, _ in first}
    assert roles == set(Role.values)
    needing_key = {demo.login for demo, key in first if key}
    assert needing_key == {d.login for d in DEMO_USERS if d.role in (Role.OFFICER, Role.OPERATOR)}


def test_totp_prints_the_current_code_of_a_demo_officer(capsys, settings):
    settings.EMBEDDED = True
    seed_demo_users()
    officer = User.objects.get(username="moc.clerk@demo.sp.kh")
    assert main(["totp", officer.username]) == 0
    assert capsys.readouterr().out.strip() == current_totp(officer.totpdevice_set.get())


def test_totp_gives_out_nothing_in_production(capsys, settings):
    settings.EMBEDDED = False
    seed_demo_users()
    assert main(["totp", "moc.clerk@demo.sp.kh"]) == 2
    assert capsys.readouterr().out == ""
