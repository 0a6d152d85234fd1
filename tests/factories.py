from typing import Any

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from singleportal.accounts.models import OfficerLevel, Role, RoleAssignment, User
from singleportal.agencies.models import Agency

PASSWORD = "Correct-Horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    username = factory.SelfAttribute("email")
    full_name = factory.Faker("name")
    verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            self.save()
            for role in extracted or [Role.APPLICANT]:
                RoleAssignment.objects.create(user=self, role=role)


def officer(agency_code: str = "MOC", level: str = OfficerLevel.CLERK) -> User:
    user = UserFactory(roles=[])
    RoleAssignment.objects.create(
        user=user, role=Role.OFFICER, agency=Agency.objects.get(code=agency_code), level=level
    )
    return user


def totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def current_totp(device: TOTPDevice) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def operator_signed_in(client: Any) -> User:
    """An operator (staff, superuser) signed in with the second factor, as the admin needs."""
    operator = UserFactory(roles=[Role.OPERATOR], is_staff=True, is_superuser=True)
    device = totp_device(operator)
    client.post("/accounts/login/", {"username": operator.email, "password": PASSWORD})
    client.post("/accounts/second-factor/", {"token": current_totp(device)})
    return operator
