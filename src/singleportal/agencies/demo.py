"""Demo files at the stages a newcomer should see in the agencies' back offices and on the
applicants' progress pages. Each is built through the applications' actions, as a person would
fill the wizard, submitted, and then moved on by the system's straight-through decisions run
here, synchronously, so the demo does not depend on the worker having run:

- Preah Vihear Rice (Khmer): clean, registered by the system with no officer (registration
  number, TIN, patent tax, declaration of opening, address confirmation).
- Stung Sen Credit (Khmer): credit granting needs a licence, so MOC's task waits for an officer.
- Sihanoukville Port Logistics (English): registered at MOC, tax-registered, but MLVT waits for
  an officer because foreign staff are planned.
- Tbong Khmum Solar (English): asks for investment incentives, so CDC has a task for an officer.
- Angkor Silk Trading (Khmer and English): too close to a registered name; an MOC clerk asked
  for a correction of the names, so the applicant sees "correction needed".
- Bati Silk Weaving (Khmer): submitted, its invoice awaits payment, so the applicant can pay it in
  the sandbox bank and watch the agencies start.

Every other file's invoice is paid through `pay` (the payments demo), as the bank's webhook
would, before the agencies' rules run.

Idempotent: a file is keyed on its owner and the Khmer name it was first submitted under, so
a second run adds nothing, even after the applicant has answered the correction. Call
after the demo users, the demo applications and the demo register are seeded.
"""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.db import transaction
from django.db.models import QuerySet

from singleportal.accounts.demo import DEMO_USERS
from singleportal.accounts.models import User
from singleportal.agencies import actions as agency_actions
from singleportal.agencies.models import Task, TaskStatus
from singleportal.applications import actions
from singleportal.applications.demo import DEMO_PDF
from singleportal.applications.models import Application, ApplicationVersion, Status
from singleportal.geo.models import Village

APPLICANT = "applicant@demo.sp.kh"
PHONE_APPLICANT = "+85512345678"
AGENT = "agent@demo.sp.kh"
MOC_CLERK = "moc.clerk@demo.sp.kh"


@dataclass(frozen=True)
class Person:
    name_km: str
    name_en: str
    nationality: str
    id_number: str
    shares: int = 0  # 0: not a shareholder

    @property
    def id_kind(self) -> str:
        return "national_id" if self.nationality == "KH" else "passport"


@dataclass(frozen=True)
class DemoFile:
    owner: str
    name_km: str
    name_en: str
    objectives: str
    activities: list[str]
    province: str
    street: str
    house_number: str
    email: str
    capital_khr: int
    shareholders: list[Person]
    director: Person
    khmer_staff: int
    foreign_staff: int
    turnover_khr: int
    signboard: tuple[str, str, int, int]  # Khmer text, English text, width, height (cm)
    legal_form: str = "private_limited_company"
    incentives: tuple[int, str] | None = None  # investment (KHR), project
    representative: str = ""
    paid: bool = True


CHANTHA = Person("សុខ ចន្ទា", "Sok Chantha", "KH", "010203040")
VIBOL = Person("ជា វិបុល", "Chea Vibol", "KH", "020304050")

CLEAN = DemoFile(
    owner=APPLICANT,
    name_km="ក្រុមហ៊ុន ស្រូវ ព្រះវិហារ ឯ.ក",
    name_en="Preah Vihear Rice Co., Ltd.",
    objectives="ទិញស្រូវពីកសិករក្នុងខេត្តព្រះវិហារ កិនជាអង្ករ និងលក់ដុំនៅក្នុងប្រទេស។",
    activities=["1061", "4630"],
    province="13",
    street="ផ្លូវជាតិលេខ ៦២",
    house_number="១៥",
    email="info@pvrice.example",
    capital_khr=40_000_000,
    shareholders=[
        Person("សុខ ចន្ទា", "", "KH", "010203040", 6_000),
        Person("ពេជ្រ សុភាព", "", "KH", "030405060", 4_000),
    ],
    director=Person("សុខ ចន្ទា", "", "KH", "010203040"),
    khmer_staff=18,
    foreign_staff=0,
    turnover_khr=180_000_000,
    signboard=("ស្រូវ ព្រះវិហារ", "Preah Vihear Rice", 250, 100),
)
LICENSED = DemoFile(
    owner=PHONE_APPLICANT,
    legal_form="single_member_private_limited_company",
    name_km="ក្រុមហ៊ុន ឥណទាន ស្ទឹងសែន ឯ.ក",
    name_en="",
    objectives="ផ្តល់ឥណទានខ្នាតតូចដល់កសិករ និងអាជីវករក្នុងខេត្តកំពង់ធំ។",
    activities=["6492"],
    province="06",
    street="ផ្លូវ ស្ទឹងសែន",
    house_number="៤២",
    email="",
    capital_khr=100_000_000,
    shareholders=[Person("ជា វិបុល", "", "KH", "020304050", 25_000)],
    director=Person("ជា វិបុល", "", "KH", "020304050"),
    khmer_staff=8,
    foreign_staff=0,
    turnover_khr=120_000_000,
    signboard=("ឥណទាន ស្ទឹងសែន", "", 200, 80),
)
FOREIGN_STAFF = DemoFile(
    owner=APPLICANT,
    name_km="ក្រុមហ៊ុន ដឹកជញ្ជូន កំពង់ផែ ព្រះសីហនុ ឯ.ក",
    name_en="Sihanoukville Port Logistics Co., Ltd.",
    objectives="Cargo handling and bonded warehousing next to the Sihanoukville Autonomous Port.",
    activities=["5224", "5210"],
    province="18",
    street="Ekareach Street",
    house_number="27",
    email="ops@sihanoukport.example",
    capital_khr=80_000_000,
    shareholders=[
        Person("សុខ ចន្ទា", "Sok Chantha", "KH", "010203040", 10_200),
        Person("", "Tan Wei Ming", "SG", "E1234567N", 9_800),
    ],
    director=Person("", "Tan Wei Ming", "SG", "E1234567N"),
    khmer_staff=32,
    foreign_staff=3,
    turnover_khr=240_000_000,
    signboard=("ដឹកជញ្ជូន កំពង់ផែ ព្រះសីហនុ", "Sihanoukville Port Logistics", 300, 120),
    representative=AGENT,
)
INCENTIVES = DemoFile(
    owner=PHONE_APPLICANT,
    name_km="ក្រុមហ៊ុន ថាមពលព្រះអាទិត្យ ត្បូងឃ្មុំ ឯ.ក",
    name_en="Tbong Khmum Solar Co., Ltd.",
    objectives="Build and run a 5 MW solar farm and sell the power to Electricité du Cambodge.",
    activities=["3510"],
    province="25",
    street="National Road 7",
    house_number="KM 12",
    email="projects@tkmsolar.example",
    capital_khr=400_000_000,
    shareholders=[
        Person("ជា វិបុល", "Chea Vibol", "KH", "020304050", 60_000),
        Person("", "Kenji Sato", "JP", "TZ1234567", 40_000),
    ],
    director=Person("ជា វិបុល", "Chea Vibol", "KH", "020304050"),
    khmer_staff=20,
    foreign_staff=0,
    turnover_khr=200_000_000,
    signboard=("ថាមពលព្រះអាទិត្យ ត្បូងឃ្មុំ", "Tbong Khmum Solar", 200, 100),
    incentives=(
        20_000_000_000,
        "A 5 MW ground-mounted solar farm on 8 hectares in Memot district, with a 20-year "
        "power purchase agreement; asks for the QIP profit tax exemption.",
    ),
)
CORRECTION = DemoFile(
    owner=APPLICANT,
    name_km="ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ពាណិជ្ជកម្ម ឯ.ក",
    name_en="Angkor Silk Trading Co., Ltd.",
    objectives="ទិញសូត្រពីអ្នកត្បាញក្នុងខេត្តសៀមរាប និងលក់ដុំក្រណាត់សូត្រ។",
    activities=["1313", "4641"],
    province="17",
    street="ផ្លូវ សីវុធា",
    house_number="៨៨",
    email="sales@angkorsilktrading.example",
    capital_khr=20_000_000,
    shareholders=[
        Person("សុខ ចន្ទា", "", "KH", "010203040", 3_000),
        Person("ម៉ម សុជាតា", "", "KH", "040506070", 2_000),
    ],
    director=Person("ម៉ម សុជាតា", "", "KH", "040506070"),
    khmer_staff=6,
    foreign_staff=0,
    turnover_khr=90_000_000,
    signboard=("អង្គរ ស៊ីលក៍", "Angkor Silk Trading", 200, 60),
)
UNPAID = replace(
    CLEAN,
    name_km="ក្រុមហ៊ុន ត្បាញសូត្រ បាទី ឯ.ក",
    name_en="Bati Silk Weaving Co., Ltd.",
    objectives="ត្បាញសូត្រ និងក្រមា ដោយសិប្បករក្នុងស្រុកបាទី ហើយលក់ដុំក្នុងប្រទេស និងនាំចេញ។",
    activities=["1312", "4641"],
    province="21",
    street="ផ្លូវជាតិលេខ ២",
    house_number="២៣",
    email="sales@batisilk.example",
    signboard=("ត្បាញសូត្រ បាទី", "Bati Silk Weaving", 200, 100),
    paid=False,
)
FILES = [CLEAN, LICENSED, FOREIGN_STAFF, INCENTIVES, CORRECTION, UNPAID]

# What the MOC clerk writes when sending CORRECTION back (to the applicant, in Khmer).
CORRECTION_NOTE = (
    "ឈ្មោះនេះស្រដៀងខ្លាំងនឹង “ក្រុមហ៊ុន អង្គរ ស៊ីលក៍ ឯ.ក” ដែលបានចុះបញ្ជីរួចហើយ។ "
    "សូមជ្រើសរើសឈ្មោះដែលខុសគ្នាច្បាស់ ឬភ្ជាប់លិខិតយល់ព្រមពីម្ចាស់ឈ្មោះនោះ។"
)


def _upload(app: Application, user: User, kind: str, name: str) -> None:
    actions.upload_document(
        app, user, kind=kind, file=io.BytesIO(DEMO_PDF), name=name, size=len(DEMO_PDF)
    )


def _build(demo: DemoFile, owner: User) -> Application:
    """Fill the wizard for `demo` as its owner would."""
    app = actions.create_application(owner, legal_form=demo.legal_form)
    actions.save_names(app, owner, name_km=demo.name_km, name_en=demo.name_en)
    actions.save_activities(app, owner, objectives=demo.objectives, codes=demo.activities)
    village = Village.objects.filter(code__startswith=demo.province).order_by("code").first()
    village = village or Village.objects.order_by("code").first()
    assert village is not None
    actions.save_address(
        app, owner, village_code=village.code, street=demo.street, house_number=demo.house_number
    )
    actions.save_contact(app, owner, phone="012 345 678", email=demo.email)
    shares = sum(p.shares for p in demo.shareholders)
    actions.save_capital(app, owner, capital_khr=demo.capital_khr, share_count=shares)
    for person in demo.shareholders:
        actions.add_party(app, owner, role="shareholder", kind="natural", shares=person.shares,
                          **_identity(person))  # fmt: skip
        actions.add_beneficial_owner(app, owner, ownership_percent=person.shares * 100 // shares,
                                     **_identity(person))  # fmt: skip
    actions.add_party(app, owner, role="director", kind="natural", **_identity(demo.director))
    actions.confirm_beneficial_owners(app, owner, confirmed=True)
    actions.save_employment(
        app, owner, khmer_staff=demo.khmer_staff, foreign_staff=demo.foreign_staff
    )
    actions.save_tax(app, owner, expected_turnover_khr=demo.turnover_khr, vat_registration=False)
    if demo.incentives:
        investment, project = demo.incentives
        actions.save_incentives(
            app, owner, wanted=True, investment_khr=investment, project_description=project
        )
    else:
        actions.save_incentives(app, owner, wanted=False)
    text_km, text_en, width, height = demo.signboard
    actions.save_signboard(
        app, owner, text_km=text_km, text_en=text_en, width_cm=width, height_cm=height
    )
    for kind, name in (
        ("identity", "ids.pdf"),
        ("lease", "lease.pdf"),
        ("articles", "articles.pdf"),
    ):
        _upload(app, owner, kind, name)
    return app


def _identity(person: Person) -> dict[str, str]:
    return {
        "name_km": person.name_km,
        "name_en": person.name_en,
        "nationality": person.nationality,
        "id_kind": person.id_kind,
        "id_number": person.id_number,
    }


def advance(applications: Sequence[Application] | QuerySet[Application]) -> int:
    """Run the straight-through decision on every open task of `applications`, again on the
    tasks each approval opens, until nothing more opens. Returns the tasks approved."""
    approved = 0
    tried: set[int] = set()
    while True:
        open_tasks = (
            Task.objects.filter(application__in=applications, status=TaskStatus.OPEN)
            .exclude(pk__in=tried)
            .values_list("pk", flat=True)
        )
        batch = list(open_tasks)
        if not batch:
            return approved
        for task_id in batch:
            tried.add(task_id)
            approved += agency_actions.decide_straight_through(task_id)


def _ask_for_correction(application: Application) -> None:
    """The MOC clerk claims the file the rules left open and sends the names back."""
    clerk = User.objects.filter(username=MOC_CLERK).first()
    task = application.tasks.filter(agency__code="MOC", status=TaskStatus.OPEN).first()
    if clerk is None or task is None:
        return
    agency_actions.claim_task(task, clerk)
    agency_actions.request_correction(
        task, clerk, reason="NAME_UNCLEAR", sections=["names"], note=CORRECTION_NOTE
    )


def seed_demo_files(pay: Callable[[Application], None]) -> list[Application]:
    """Build, submit, pay (with `pay`) and move on the files that are not there yet; returns
    those created."""
    created = []
    for demo in FILES:
        owner = User.objects.filter(username=demo.owner).first()
        if owner is None or demo.name_km in _first_names(owner):
            continue
        with transaction.atomic():
            app = _build(demo, owner)
            if demo.representative and User.objects.filter(username=demo.representative).exists():
                actions.authorise_representative(app, owner, demo.representative)
            actions.submit_application(app, owner, declared_by_name=owner.full_name)
            if demo.paid:
                pay(app)
            advance([app])
            if demo is CORRECTION:
                _ask_for_correction(app)
        created.append(app)
    # The files of the applications demo (and any a previous run left open) move on too.
    logins = [d.login for d in DEMO_USERS]
    unpaid = [d.name_km for d in FILES if not d.paid]
    others = Application.objects.filter(owner__username__in=logins).exclude(name_km__in=unpaid)
    for app in others.filter(status=Status.SUBMITTED):
        pay(app)
    advance(others)
    return created


def _first_names(owner: User) -> set[str]:
    """The Khmer names the owner's files were first submitted under: the key of a demo file,
    which stays when a correction has changed the name since."""
    snapshots = ApplicationVersion.objects.filter(application__owner=owner, number=1)
    return {s["business"]["name_km"] for s in snapshots.values_list("snapshot", flat=True)}
