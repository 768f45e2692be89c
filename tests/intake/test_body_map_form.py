import pytest

from intake.forms import BodyMapForm
from intake.models import PainLocation
from tests.factories import make_client, make_draft


def post(intake, data):
    return BodyMapForm(data, instance=intake)


def test_checkboxes_and_intensities_become_rows_and_come_back_checked(alice):
    intake = make_draft(make_client(alice))
    form = post(
        intake,
        {
            "pain-buttock-left": "on",
            "intensity-buttock-left": "7",
            "pain-low_back-center": "on",
            "pain-hip-right": "on",
            "intensity-hip-right": "0",
        },
    )
    assert form.is_valid(), form.errors
    form.save()
    rows = {(p.region, p.side, p.intensity) for p in intake.pain_locations.all()}
    assert rows == {("buttock", "left", 7), ("low_back", "center", 5), ("hip", "right", 0)}

    again = BodyMapForm(instance=intake)
    assert again["pain-buttock-left"].value() is True
    assert again["intensity-buttock-left"].value() == 7
    assert again["pain-buttock-right"].value() in (None, False)
    html = str(again["pain-buttock-left"])
    assert "checked" in html


def test_saving_again_replaces_the_previous_choice(alice):
    intake = make_draft(make_client(alice), pain=[("calf", "left", 3)])
    form = post(intake, {"pain-groin-right": "on", "intensity-groin-right": "4"})
    assert form.is_valid()
    form.save()
    assert [(p.region, p.side) for p in intake.pain_locations.all()] == [("groin", "right")]


def test_both_sides_stored_earlier_show_as_left_and_right(alice):
    intake = make_draft(make_client(alice), pain=[("low_back", "both", 6)])
    form = BodyMapForm(instance=intake)
    assert form["pain-low_back-left"].value() and form["pain-low_back-right"].value()


def test_nothing_marked_is_refused_with_a_message(alice):
    form = post(make_draft(make_client(alice)), {})
    assert not form.is_valid()
    assert "at least one place" in form.non_field_errors()[0]


def test_middle_and_sides_of_one_region_are_refused(alice):
    form = post(
        make_draft(make_client(alice)),
        {"pain-low_back-center": "on", "pain-low_back-left": "on"},
    )
    assert not form.is_valid()
    assert "Low back" in form.non_field_errors()[0]


@pytest.mark.parametrize("value", ["12", "-1"])
def test_out_of_range_intensity_is_refused_next_to_its_field(alice, value):
    intake = make_draft(make_client(alice))
    form = post(intake, {"pain-calf-left": "on", "intensity-calf-left": value})
    assert not form.is_valid()
    assert form.errors["intensity-calf-left"] == ["Choose a number from 0 to 10."]
    assert not PainLocation.objects.filter(intake=intake).exists()


def test_unknown_region_names_are_ignored(alice):
    intake = make_draft(make_client(alice))
    form = post(intake, {"pain-spleen-left": "on", "pain-calf-left": "on"})
    assert form.is_valid()
    form.save()
    assert [p.region for p in intake.pain_locations.all()] == ["calf"]
    assert [p.region for p in form.selected_locations()] == ["calf"]


def test_every_region_and_side_the_map_draws_has_labelled_inputs(alice):
    from intake.rules.codes import REGIONS

    form = BodyMapForm(instance=make_draft(make_client(alice)))
    names = {row["region"] for row in form.rows}
    assert names == set(REGIONS)
    coccyx = next(row for row in form.rows if row["region"] == "coccyx")
    assert [entry["side"] for entry in coccyx["entries"]] == ["center"]
    assert form.fields["pain-buttock-left"].label == "Buttock, left side"


def test_saving_an_unchanged_map_writes_no_audit_entry_and_one_change_writes_one(alice):
    from auditlog.models import LogEntry

    intake = make_draft(make_client(alice))
    data = {
        "pain-buttock-left": "on",
        "intensity-buttock-left": "7",
        "pain-low_back-center": "on",
        "intensity-low_back-center": "5",
    }
    form = post(intake, data)
    assert form.is_valid(), form.errors
    form.save()
    ids = set(intake.pain_locations.values_list("pk", flat=True))
    entries = LogEntry.objects.count()

    form = post(intake, data)
    assert form.is_valid(), form.errors
    form.save()
    assert LogEntry.objects.count() == entries
    assert set(intake.pain_locations.values_list("pk", flat=True)) == ids  # kept, not re-made

    form = post(intake, {**data, "intensity-buttock-left": "8"})
    assert form.is_valid(), form.errors
    form.save()
    assert LogEntry.objects.count() == entries + 1
