"""Demo applications for the demo users (accounts/demo.py). Idempotent: a user who already has
applications gets none added. Call after seed_demo_users()."""

import io

from singleportal.accounts.models import User
from singleportal.applications import actions
from singleportal.applications.models import Application
from singleportal.geo.models import Village

# A one-page PDF: enough for the content check, readable by any viewer.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _upload(app: Application, user: User, kind: str, name: str) -> None:
    actions.upload_document(
        app, user, kind=kind, file=io.BytesIO(DEMO_PDF), name=name, size=len(DEMO_PDF)
    )


def _company(user: User) -> Application:
    """A private limited company with two shareholders, ready to submit."""
    app = actions.create_application(user, legal_form="private_limited_company")
    actions.save_names(app, user, name_km="ក្រុមហ៊ុន កំពត ម្រេច", name_en="Kampot Pepper Co., Ltd.")
    actions.save_activities(
        app, user, objectives="Grow and export Kampot pepper.", codes=["0128", "4630"]
    )
    village = Village.objects.filter(code__startswith="07").order_by("code").first()
    village = village or Village.objects.order_by("code").first()
    assert village is not None
    actions.save_address(
        app, user, village_code=village.code, street="National Road 33", house_number="8"
    )
    actions.save_contact(app, user, phone="012 345 678", email="hello@kampotpepper.example")
    actions.save_capital(app, user, capital_khr=20_000_000, share_count=5_000)
    people = [
        ("shareholder", "សុខ ចន្ទា", "010203040", 3_000),
        ("shareholder", "ជា វិបុល", "020304050", 2_000),
    ]
    for role, name, id_number, shares in people:
        actions.add_party(app, user, role=role, kind="natural", name_km=name, nationality="KH",
                          id_kind="national_id", id_number=id_number, shares=shares)  # fmt: skip
        actions.add_beneficial_owner(app, user, name_km=name, nationality="KH",
                                     id_kind="national_id", id_number=id_number,
                                     ownership_percent=shares * 100 // 5_000)  # fmt: skip
    actions.add_party(app, user, role="director", kind="natural", name_km="សុខ ចន្ទា",
                      nationality="KH", id_kind="national_id", id_number="010203040")  # fmt: skip
    actions.confirm_beneficial_owners(app, user, confirmed=True)
    actions.save_employment(app, user, khmer_staff=12, foreign_staff=0)
    actions.save_tax(app, user, expected_turnover_khr=800_000_000, vat_registration=True)
    actions.save_incentives(app, user, wanted=False)
    actions.save_signboard(
        app, user, text_km="កំពត ម្រេច", text_en="Kampot Pepper", width_cm=300, height_cm=100
    )
    for kind, name in (
        ("identity", "id-cards.pdf"),
        ("lease", "lease.pdf"),
        ("articles", "articles.pdf"),
    ):
        _upload(app, user, kind, name)
    return app


def seed_demo_applications() -> list[Application]:
    """For applicant@demo.sp.kh: one submitted company (with the agent authorised) and one
    sole-proprietorship draft half-way through the wizard. For +85512345678: an empty draft."""
    created: list[Application] = []
    applicant = User.objects.filter(username="applicant@demo.sp.kh").first()
    if applicant is not None and not applicant.applications.exists():
        company = _company(applicant)
        if User.objects.filter(username="agent@demo.sp.kh").exists():
            actions.authorise_representative(company, applicant, "agent@demo.sp.kh")
        actions.submit_application(company, applicant, declared_by_name=applicant.full_name)
        draft = actions.create_application(applicant, legal_form="sole_proprietorship")
        actions.save_names(draft, applicant, name_km="ហាងកាហ្វេ ចន្ទា", name_en="Chantha Coffee")
        created += [company, draft]
    second = User.objects.filter(username="+85512345678").first()
    if second is not None and not second.applications.exists():
        created.append(
            actions.create_application(second, legal_form="single_member_private_limited_company")
        )
    return created
