from base64 import b32encode

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from singleportal.accounts.models import ApiToken, RoleAssignment, User


def roles_of(user: User) -> QuerySet[RoleAssignment]:
    return user.role_assignments.select_related("agency").order_by("role")


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def totp_secret(device: TOTPDevice) -> str:
    """The key as people type it into an authenticator app (base32, in groups of four)."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
