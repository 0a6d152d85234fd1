from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from singleportal.accounts import actions, selectors
from singleportal.accounts.models import User

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    agency: str | None
    level: str


class MeOut(Schema):
    id: int
    full_name: str
    email: str | None
    phone: str | None
    preferred_language: str
    verified: bool
    roles: list[RoleOut]


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request: HttpRequest) -> dict:
    user = _user(request)
    return {
        "id": user.pk,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "preferred_language": user.preferred_language,
        "verified": user.verified_at is not None,
        "roles": [
            {"role": r.role, "agency": r.agency.code if r.agency else None, "level": r.level}
            for r in selectors.roles_of(user)
        ],
    }


@router.get("/tokens", response=list[TokenOut], summary="My API tokens (never their values)")
def list_tokens(request: HttpRequest) -> list:
    return list(selectors.tokens_of(_user(request)))


@router.post("/tokens", response={201: NewTokenOut}, summary="Create an API token")
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    try:
        token, clear = actions.create_api_token(_user(request), payload.name)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": clear})


@router.delete("/tokens/{token_id}", response=TokenOut, summary="Revoke one of my API tokens")
def revoke_token(request: HttpRequest, token_id: int) -> object:
    try:
        return actions.revoke_api_token(_user(request), token_id)
    except PermissionDenied as exc:
        raise HttpError(404, "No such token.") from exc
