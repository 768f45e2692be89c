"""Every code a record keeps is shown through intake.labels.label_for, so a code that has
left its table (a renamed region, a retired treatment area) reads as words."""

from intake.labels import label_for
from intake.models import Intake, PainLocation
from tests.factories import make_client, make_submitted


def test_treatment_areas_read_as_their_labels_and_a_retired_one_as_words(db):
    intake = make_submitted(make_client())
    Intake.objects.filter(pk=intake.pk).update(treatment_areas=["inner_thigh_groin", "upper_back"])
    intake.refresh_from_db()
    assert intake.treatment_area_labels() == ["Inner thigh and groin", "Upper back"]
    assert label_for("treatment_area", "abdomen") == "Abdomen"


def test_a_place_with_a_retired_region_reads_as_words(db):
    place = PainLocation(region="lateral_knee", side="left")
    assert str(place) == "Lateral knee, left"
    assert str(PainLocation(region="sacroiliac", side="both")) == "Sacroiliac joint, both sides"
