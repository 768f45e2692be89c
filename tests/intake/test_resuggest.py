"""A fresh suggestion under a newer ruleset, kept beside the one taken at submission."""

from intake.models import Intake, Resuggestion
from intake.rules import RULESET
from tests.factories import make_client, make_submitted


def submitted_under_an_old_ruleset() -> Intake:
    intake = make_submitted(make_client())
    Intake.objects.filter(pk=intake.pk).update(ruleset="2025.9-oldoldol")
    intake.refresh_from_db()
    return intake


def test_an_intake_taken_under_the_current_ruleset_needs_no_fresh_suggestion(db):
    assert not make_submitted(make_client()).can_resuggest


def test_an_intake_taken_under_an_older_ruleset_can_have_one_once(tara):
    intake = submitted_under_an_old_ruleset()
    assert intake.can_resuggest
    intake.resuggest(by=tara)
    intake.resuggest(by=tara)  # a double click or a colleague
    fresh = Resuggestion.objects.get(intake=intake)
    assert (fresh.ruleset, fresh.created_by) == (RULESET, tara)
    assert fresh.result["ruleset"] == RULESET
    intake = Intake.objects.get(pk=intake.pk)
    assert not intake.can_resuggest
    assert intake.ruleset == "2025.9-oldoldol"


def test_a_fresh_suggestion_under_another_old_ruleset_leaves_room_for_the_current_one(tara):
    intake = submitted_under_an_old_ruleset()
    Resuggestion.objects.create(intake=intake, ruleset="2026.1-00000000", result={})
    assert Intake.objects.get(pk=intake.pk).can_resuggest
