from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from singleportal.core.calendar import holidays_from_package, seed_public_holidays
from singleportal.core.models import HolidaySeedYear, PublicHoliday

KHMER_NEW_YEAR_2026 = [date(2026, 4, 14), date(2026, 4, 15), date(2026, 4, 16)]


@pytest.mark.django_db
def test_migration_seeded_this_year_and_next_from_the_package():
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        expected = {day for day, _, _ in holidays_from_package(year)}
        seeded = set(
            PublicHoliday.objects.filter(date__year=year, source="seed").values_list(
                "date", flat=True
            )
        )
        assert seeded == expected


@pytest.mark.django_db
def test_2026_has_21_holidays_with_khmer_and_english_names(holidays_2026_2027):
    days = PublicHoliday.objects.filter(date__year=2026)
    assert days.count() == 21
    assert all(day.name_km and day.name_en for day in days)
    for day in KHMER_NEW_YEAR_2026:
        holiday = days.get(date=day)
        assert holiday.name_km == "ពិធីបុណ្យចូលឆ្នាំថ្មីប្រពៃណីជាតិ"
        assert holiday.name_en == "Khmer New Year's Day"


@pytest.mark.django_db
def test_two_holidays_on_one_date_share_one_row(holidays_2026_2027):
    may_day = PublicHoliday.objects.get(date=date(2026, 5, 1))
    assert may_day.name_en == "International Labor Day; Visaka Bochea Day"
    assert may_day.name_km == "ទិវាពលកម្មអន្តរជាតិ; ពិធីបុណ្យវិសាខបូជា"


@pytest.mark.django_db
def test_seed_holidays_twice_adds_nothing_the_second_time():
    PublicHoliday.objects.all().delete()
    HolidaySeedYear.objects.all().delete()
    call_command("seed_holidays", "--year", "2026", stdout=(first := StringIO()))
    call_command("seed_holidays", "--year", "2026", stdout=(second := StringIO()))
    assert "2026: 21 added, 0 already present" in first.getvalue()
    assert "2026: seeded before, skipped" in second.getvalue()
    assert PublicHoliday.objects.filter(date__year=2026).count() == 21


@pytest.mark.django_db
def test_a_seeded_day_the_operator_deleted_stays_deleted():
    """A sub-decree moved the day: the operator deletes it, and seeding does not bring it back."""
    PublicHoliday.objects.filter(date=date(2026, 4, 14)).delete()
    call_command("seed_holidays", "--year", "2026", stdout=StringIO())
    assert not PublicHoliday.objects.filter(date=date(2026, 4, 14)).exists()
    call_command("seed_holidays", "--year", "2026", "--again", stdout=(again := StringIO()))
    assert "2026: 1 added, 20 already present" in again.getvalue()
    assert PublicHoliday.objects.filter(date=date(2026, 4, 14)).exists()


@pytest.mark.django_db
def test_seeding_keeps_operator_edits_and_additions():
    PublicHoliday.objects.filter(date__year=2026).delete()
    PublicHoliday.objects.create(
        date=date(2026, 4, 14), name_km="ចូលឆ្នាំ (កែ)", name_en="New Year (edited)"
    )
    PublicHoliday.objects.create(date=date(2026, 4, 17), name_km="ថ្ងៃឈប់", name_en="Bridge day")

    added = seed_public_holidays([2026], again=True)

    assert date(2026, 4, 14) not in {holiday.date for holiday in added}
    edited = PublicHoliday.objects.get(date=date(2026, 4, 14))
    assert (edited.name_en, edited.source) == ("New Year (edited)", "operator")
    assert PublicHoliday.objects.filter(date=date(2026, 4, 17), source="operator").exists()
    assert PublicHoliday.objects.filter(date__year=2026).count() == 22


@pytest.mark.django_db
def test_seed_holidays_takes_several_years():
    PublicHoliday.objects.filter(date__year__in=[2030, 2031]).delete()
    call_command("seed_holidays", "--year", "2030", "--year", "2031", stdout=StringIO())
    assert PublicHoliday.objects.filter(date__year=2030).count() == len(holidays_from_package(2030))
    assert PublicHoliday.objects.filter(date__year=2031).count() == len(holidays_from_package(2031))
