"""Build applications through the actions, as a user would through the wizard."""

import io

from singleportal.applications import actions
from singleportal.geo.models import Village

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(app, user, kind="identity", content=PDF, name="id.pdf"):
    return actions.upload_document(
        app, user, kind=kind, file=io.BytesIO(content), name=name, size=len(content)
    )


def person(role, name_km, id_number, shares=None, **extra):
    data = {
        "role": role,
        "name_km": name_km,
        "name_en": "",
        "nationality": "KH",
        "id_kind": "national_id",
        "id_number": id_number,
        "shares": shares,
    }
    data.update(extra)
    return data


def complete_application(user, legal_form="private_limited_company", shareholders=2):
    """A file with nothing left to fix, for `legal_form`."""
    app = actions.create_application(user, legal_form=legal_form)
    actions.save_names(app, user, name_km="ក្រុមហ៊ុន មេគង្គ ម្រេច", name_en="Mekong Pepper")
    actions.save_activities(app, user, objectives="Export Kampot pepper.", codes=["0128"])
    village = Village.objects.order_by("code").first()
    actions.save_address(
        app, user, village_code=village.code, street="Street 51", house_number="12"
    )
    actions.save_contact(app, user, phone="012 345 678")
    form = app.legal_form
    if form.has_share_capital:
        actions.save_capital(app, user, capital_khr=4_000_000, share_count=1000)
        per = 1000 // shareholders
        for i in range(shareholders):
            actions.add_party(app, user, **person("shareholder", f"ម្ចាស់ {i}", f"ID{i}", per))
        actions.add_party(app, user, **person("director", "នាយក", "ID0"))
        for i in range(shareholders):
            actions.add_beneficial_owner(
                app, user, name_km=f"ម្ចាស់ {i}", nationality="KH", id_kind="national_id",
                id_number=f"ID{i}", ownership_percent=100 // shareholders,
            )  # fmt: skip
    elif form.member_kind == "owner":
        actions.add_party(app, user, **person("owner", "សុខ ចន្ទា", "ID0"))
        actions.add_beneficial_owner(
            app, user, name_km="សុខ ចន្ទា", nationality="KH", id_kind="national_id",
            id_number="ID0", ownership_percent=100,
        )  # fmt: skip
    elif form.member_kind == "none":
        actions.save_parent_company(app, user, parent_name="Siam Trading", parent_country="TH")
        actions.add_party(
            app, user, **person("branch_manager", "", "P123", name_en="Somchai", nationality="TH",
                                id_kind="passport")
        )  # fmt: skip
        actions.add_beneficial_owner(
            app, user, name_en="Somchai", nationality="TH", id_kind="passport",
            id_number="P123", ownership_percent=100,
        )  # fmt: skip
        upload(app, user, kind="parent_company")
    actions.confirm_beneficial_owners(app, user, confirmed=True)
    actions.save_employment(app, user, khmer_staff=3, foreign_staff=0)
    actions.save_tax(app, user, expected_turnover_khr=100_000_000, vat_registration=False)
    actions.save_signboard(app, user, text_km="មេគង្គ ម្រេច", width_cm=200, height_cm=80)
    upload(app, user, kind="identity")
    upload(app, user, kind="lease", content=PNG, name="lease.png")
    if form.articles_required:
        upload(app, user, kind="articles")
    return app


def submitted_application(user, **kwargs):
    """A complete file, submitted: its agency tasks are planned (the first one open), and no
    straight-through decision has run (tests run no on-commit work unless they ask)."""
    app = complete_application(user, **kwargs)
    actions.submit_application(app, user, declared_by_name="Sok Chanda")
    app.refresh_from_db()
    return app


def task_of(app, code):
    from singleportal.agencies.models import Task

    return Task.objects.select_related("agency", "version").get(application=app, agency__code=code)


def task_in_review(app, code, officer):
    """The agency's task claimed by `officer`, once each agency before it has approved (each
    by one of its own officers, as the back office would)."""
    from singleportal.agencies import actions as agency_actions
    from singleportal.agencies.models import TaskStatus
    from tests.factories import officer as make_officer

    task = task_of(app, code)
    for before in task.after.all():
        if before.status != TaskStatus.APPROVED:
            decider = make_officer(before.agency.code)
            agency_actions.approve_task(task_in_review(app, before.agency.code, decider), decider)
    return agency_actions.claim_task(task_of(app, code), officer)
