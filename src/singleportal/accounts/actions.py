"""Writes on accounts: sign-up, contact verification, password reset, profile, roles, tokens."""

import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from singleportal.accounts import tasks
from singleportal.accounts.identifiers import Identifier, IdentifierError, normalize_identifier
from singleportal.accounts.models import (
    ApiToken,
    Channel,
    CodePurpose,
    OneTimeCode,
    Role,
    RoleAssignment,
    User,
    hash_secret,
)
from singleportal.agencies.models import Agency
from singleportal.audit import chain as audit

CODE_LIFETIME = timedelta(minutes=15)
# A new code may be asked for once a minute, so a typo'd resend cannot flood a phone.
RESEND_INTERVAL = timedelta(seconds=60)


def _identifier(raw: str) -> Identifier:
    """The normalised identifier; its errors belong to the form's identifier field."""
    try:
        return normalize_identifier(raw)
    except IdentifierError as exc:
        raise ValidationError({"identifier": exc.messages}) from exc


def _identifier_taken(kind: str, value: str) -> bool:
    if kind == "email":
        return User.objects.filter(email__iexact=value).exists()
    return User.objects.filter(phone=value).exists()


def sign_up(*, identifier: str, full_name: str, password: str, preferred_language: str) -> User:
    """Create an applicant account and send a verification code to the email or phone given."""
    found = _identifier(identifier)
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Enter your full name.")})
    if _identifier_taken(found.kind, found.value):
        message = (
            _("An account with this email address already exists. Sign in or reset your password.")
            if found.kind == "email"
            else _(
                "An account with this phone number already exists. Sign in or reset your password."
            )
        )
        raise ValidationError({"identifier": message})
    candidate = User(username=found.value, full_name=full_name, **{found.kind: found.value})
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    candidate.set_password(password)
    candidate.preferred_language = preferred_language
    try:
        with transaction.atomic():
            candidate.save()
            RoleAssignment.objects.create(user=candidate, role=Role.APPLICANT)
            audit.record(candidate, "account.signed_up", candidate, {"channel": found.kind})
            _issue_code(candidate, CodePurpose.VERIFY)
    except IntegrityError as exc:  # two sign-ups for the same identifier at once
        raise ValidationError({"identifier": _("This account already exists. Sign in.")}) from exc
    return candidate


def _channel_of(user: User) -> str:
    return Channel.EMAIL if user.email else Channel.SMS


def _issue_code(user: User, purpose: str) -> OneTimeCode:
    code = OneTimeCode.objects.create(
        user=user,
        purpose=purpose,
        channel=_channel_of(user),
        expires_at=timezone.now() + CODE_LIFETIME,
    )
    transaction.on_commit(lambda: tasks.deliver_code.delay(code.pk))
    return code


def resend_code(user: User, purpose: str = CodePurpose.VERIFY) -> OneTimeCode:
    """Send a fresh code, at most once per RESEND_INTERVAL; older codes stop working."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        latest = OneTimeCode.objects.filter(user=user, purpose=purpose).order_by("-created_at")
        last = latest.first()
        if last is not None and timezone.now() - last.created_at < RESEND_INTERVAL:
            raise ValidationError(
                _("A code was sent less than a minute ago. Wait, then try again.")
            )
        latest.filter(used_at__isnull=True).update(used_at=timezone.now())
        return _issue_code(user, purpose)


def _check_code(user: User, purpose: str, candidate: str) -> OneTimeCode:
    """The newest usable code, if `candidate` matches it.

    Runs outside the caller's transaction so that a wrong attempt stays counted.
    """
    code = (
        OneTimeCode.objects.filter(user=user, purpose=purpose, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if code is None or not code.usable:
        raise ValidationError(
            {"code": _("This code has expired or was used too many times. Ask for a new one.")}
        )
    if not code.matches(candidate):
        OneTimeCode.objects.filter(pk=code.pk).update(attempts=F("attempts") + 1)
        raise ValidationError({"code": _("The code is not right. Check it and try again.")})
    return code


def _use_code(code: OneTimeCode) -> None:
    """Mark a checked code used; a second request racing with the same code loses."""
    used = OneTimeCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not used:
        raise ValidationError({"code": _("This code was already used. Ask for a new one.")})


def verify_contact(user: User, code: str) -> User:
    if user.verified_at is not None:
        return user
    checked = _check_code(user, CodePurpose.VERIFY, code)
    with transaction.atomic():
        _use_code(checked)
        user.verified_at = timezone.now()
        user.save(update_fields=["verified_at"])
        audit.record(user, "account.verified", user)
    return user


def verify_contact_by_link(code_id: int) -> User:
    """The email link proves possession of the mailbox; the code it names must still be usable."""
    code = (
        OneTimeCode.objects.select_related("user")
        .filter(pk=code_id, purpose=CodePurpose.VERIFY)
        .first()
    )
    if code is None:
        raise ValidationError(_("This link has expired. Sign in and ask for a new code."))
    if code.user.verified_at is not None:
        return code.user
    if not code.usable:
        raise ValidationError(_("This link has expired. Sign in and ask for a new code."))
    return verify_contact(code.user, code.code)


def request_password_reset(identifier: str) -> None:
    """Send a reset code if an account exists; say the same either way (no account discovery)."""
    found = _identifier(identifier)
    lookup = {"email__iexact": found.value} if found.kind == "email" else {"phone": found.value}
    user = User.objects.filter(is_active=True, **lookup).first()
    if user is None:
        return
    with transaction.atomic():
        recent = OneTimeCode.objects.filter(
            user=user,
            purpose=CodePurpose.RESET,
            created_at__gt=timezone.now() - RESEND_INTERVAL,
        )
        if not recent.exists():
            _issue_code(user, CodePurpose.RESET)


def reset_password(*, identifier: str, code: str, new_password: str) -> User:
    found = _identifier(identifier)
    lookup = {"email__iexact": found.value} if found.kind == "email" else {"phone": found.value}
    user = User.objects.filter(is_active=True, **lookup).first()
    if user is None:
        raise ValidationError({"code": _("The code is not right. Check it and try again.")})
    checked = _check_code(user, CodePurpose.RESET, code)
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    with transaction.atomic():
        _use_code(checked)
        user.set_password(new_password)
        # Receiving the code proves the contact as well.
        user.verified_at = user.verified_at or timezone.now()
        user.save(update_fields=["password", "verified_at"])
        audit.record(user, "account.password_reset", user)
    return user


def update_profile(user: User, *, full_name: str, preferred_language: str) -> User:
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Enter your full name.")})
    with transaction.atomic():
        user.full_name = full_name
        user.preferred_language = preferred_language
        user.save(update_fields=["full_name", "preferred_language"])
        audit.record(user, "account.profile_updated", user, {"language": preferred_language})
    return user


def grant_role(
    by: User | None,
    user: User,
    role: str,
    *,
    agency: Agency | None = None,
    level: str = "",
) -> RoleAssignment:
    """Give a role. Only operators grant roles (`by=None` is the system, e.g. the demo seed)."""
    if by is not None and not by.has_any_role(Role.OPERATOR):
        raise PermissionDenied
    if role == Role.OFFICER and (agency is None or not level):
        raise ValidationError(_("An officer role needs an agency and a level."))
    with transaction.atomic():
        assignment, _created = RoleAssignment.objects.get_or_create(
            user=user, role=role, agency=agency, defaults={"level": level}
        )
        audit.record(
            by,
            "account.role_granted",
            user,
            {"role": role, "agency": agency.code if agency else None, "level": level},
        )
    return assignment


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and its clear value, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": _("Give the token a name, such as the program that uses it.")}
        )
    clear = ApiToken.PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], token_hash=hash_secret(clear), hint=clear[:10]
        )
        audit.record(user, "api_token.created", token, {"name": token.name})
    return token, clear


def revoke_api_token(user: User, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise PermissionDenied
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(user, "api_token.revoked", token)
    return token


def start_totp_setup(user: User) -> TOTPDevice:
    """An unconfirmed authenticator device; it counts only after `confirm_totp`."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


def confirm_totp(user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    if device.user_id != user.pk:
        raise PermissionDenied
    if not device.verify_token(token.strip()):
        raise ValidationError(
            {"token": _("The code is not right. Check the time on your phone and try again.")}
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(user, "account.second_factor_enabled", user)
    return device
