"""Demo accounts: one user per role, and officers for every agency (a clerk each, a head at
MOC and GDT), printed by `singleportal demo`. Idempotent."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from singleportal.accounts import actions
from singleportal.accounts.models import OfficerLevel, Role, User
from singleportal.accounts.selectors import totp_secret
from singleportal.agencies.models import Agency

DEMO_PASSWORD = "Demo-Pass-2026"  # noqa: S105  (printed to the person running the demo)


@dataclass(frozen=True)
class DemoUser:
    login: str
    full_name: str
    role: str
    agency: str = ""
    level: str = ""


DEMO_USERS = [
    DemoUser("applicant@demo.sp.kh", "សុខ ចន្ទា", Role.APPLICANT),
    DemoUser("+85512345678", "ជា វិបុល", Role.APPLICANT),
    DemoUser("agent@demo.sp.kh", "Lim Sophea (Mekong Legal)", Role.REPRESENTATIVE),
    DemoUser("moc.clerk@demo.sp.kh", "ហេង សុភា", Role.OFFICER, "MOC", OfficerLevel.CLERK),
    DemoUser("moc.head@demo.sp.kh", "ឯក សុវណ្ណ", Role.OFFICER, "MOC", OfficerLevel.HEAD),
    DemoUser("gdt.clerk@demo.sp.kh", "ស៊ុន ពិសី", Role.OFFICER, "GDT", OfficerLevel.CLERK),
    DemoUser("gdt.reviewer@demo.sp.kh", "Chan Dara", Role.OFFICER, "GDT", OfficerLevel.REVIEWER),
    DemoUser("gdt.head@demo.sp.kh", "ម៉ៅ សុផល", Role.OFFICER, "GDT", OfficerLevel.HEAD),
    DemoUser("mlvt.clerk@demo.sp.kh", "ឡុង ស្រីនាង", Role.OFFICER, "MLVT", OfficerLevel.CLERK),
    DemoUser("moi.clerk@demo.sp.kh", "Pov Sokhly", Role.OFFICER, "MOI", OfficerLevel.CLERK),
    DemoUser("cdc.clerk@demo.sp.kh", "Ly Kimheng", Role.OFFICER, "CDC", OfficerLevel.CLERK),
    DemoUser("cdc.reviewer@demo.sp.kh", "អ៊ុក បុប្ផា", Role.OFFICER, "CDC", OfficerLevel.REVIEWER),
    DemoUser("mef.clerk@demo.sp.kh", "ទេព វណ្ណា", Role.OFFICER, "MEF", OfficerLevel.CLERK),
    DemoUser("operator@demo.sp.kh", "កែវ រតនា", Role.OPERATOR),
    DemoUser("artisans@demo.sp.kh", "មាស ស្រីមុំ", Role.ASSOCIATION_STAFF),
    DemoUser("ovop@demo.sp.kh", "Nhem Rithy", Role.PROGRAMME_STAFF),
    DemoUser("buyer@demo.sp.kh", "Claire Martin", Role.BUYER),
]


def seed_demo_users() -> list[tuple[DemoUser, str]]:
    """Create the demo users; returns each with its TOTP key ("" when it needs none)."""
    seeded = []
    for demo in DEMO_USERS:
        with transaction.atomic():
            kind = "email" if "@" in demo.login else "phone"
            user, created = User.objects.get_or_create(
                username=demo.login,
                defaults={
                    kind: demo.login,
                    "full_name": demo.full_name,
                    "verified_at": timezone.now(),
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = demo.role == Role.OPERATOR
                user.is_superuser = demo.role == Role.OPERATOR
                user.save()
            agency = Agency.objects.get(code=demo.agency) if demo.agency else None
            # Granted once: a second run must not add audit entries for nothing.
            if not user.role_assignments.filter(role=demo.role, agency=agency).exists():
                actions.grant_role(None, user, demo.role, agency=agency, level=demo.level)
            key = ""
            if user.needs_second_factor:
                device, _ = TOTPDevice.objects.get_or_create(
                    user=user, confirmed=True, defaults={"name": "Demo authenticator"}
                )
                key = totp_secret(device)
        seeded.append((demo, key))
    return seeded
