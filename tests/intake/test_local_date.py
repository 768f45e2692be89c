"""`local_date` writes exactly what Django's `date` filter writes, in the active time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from intake.templatetags.clinic import DATE_FORMATS, DATETIME_FORMATS

FORMATS = [*DATE_FORMATS, *DATETIME_FORMATS, "D j N Y"]
VALUES = [
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # 29 Mar, before the clocks go forward
    datetime(2026, 3, 29, 23, 59, tzinfo=UTC),  # 30 Mar in London
    datetime(2026, 9, 1, 7, 5, tzinfo=UTC),
    datetime(2025, 12, 31, 23, 30, tzinfo=UTC),  # a new year in Auckland
    date(2024, 2, 29),
    None,
    "",
]


def rendered(filter_name: str, value, format_string: str) -> str:
    template = Template("{% load clinic %}{{ value|" + filter_name + ':"' + format_string + '" }}')
    return template.render(Context({"value": value}))


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "Pacific/Auckland"])
@pytest.mark.parametrize("format_string", FORMATS)
def test_local_date_writes_what_the_date_filter_writes(zone, format_string):
    with timezone.override(ZoneInfo(zone)):
        for value in VALUES:
            if type(value) is date and "H" in format_string:
                continue  # Django's filter refuses a time for a date, and so does this one
            expected = rendered("date", value, format_string)
            assert rendered("local_date", value, format_string) == expected, (value, zone)


def test_local_date_shows_the_clinic_day_not_the_utc_day():
    with timezone.override(ZoneInfo("Pacific/Auckland")):
        assert rendered("local_date", VALUES[3], "j M Y, H:i") == "1 Jan 2026, 12:30"
