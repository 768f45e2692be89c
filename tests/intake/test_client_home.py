from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from intake.models import Client, TreatmentPlan
from tests.conftest import signed_in
from tests.factories import make_draft, make_submitted
from tests.intake.test_client_plan import make_plan


def test_sent_intakes_are_listed_newest_sent_first_and_the_draft_apart(alice):
    record = Client.for_user(alice)
    started_first = make_submitted(record)
    started_second = make_submitted(record)
    # Sent after the other although started before it: the list follows when each was sent.
    started_first.submitted_at = started_second.submitted_at + timedelta(days=1)
    started_first.save(update_fields=["submitted_at"])
    draft = make_draft(record)

    page = signed_in(alice).get(reverse("intake:client_home")).content.decode()

    sent = page.split("Sent to the clinic")[1]
    first_link = reverse("intake:intake_detail", args=[started_first.pk])
    second_link = reverse("intake:intake_detail", args=[started_second.pk])
    assert sent.index(first_link) < sent.index(second_link)
    not_sent = page.split("Not sent yet")[1].split("Sent to the clinic")[0]
    assert reverse("intake:intake_resume", args=[draft.pk]) in not_sent
    assert reverse("intake:intake_detail", args=[draft.pk]) not in page


def test_the_home_page_links_the_newest_approved_version_of_each_plan(alice, tara):
    intake = make_submitted(Client.for_user(alice))
    intake.submitted_at = timezone.make_aware(timezone.datetime(2026, 3, 9, 12))
    intake.save(update_fields=["submitted_at"])
    first = make_plan(intake, tara, [("piriformis", ["left"])])
    first.approve(by=tara)
    second = first.new_version(by=tara)
    second.approve(by=tara)
    draft = second.new_version(by=tara)
    TreatmentPlan.objects.filter(pk=second.pk).update(
        approved_at=timezone.make_aware(timezone.datetime(2026, 3, 20, 12))
    )

    page = signed_in(alice).get(reverse("intake:client_home")).content.decode()
    assert "Plan from your intake of 9 March 2026" in page
    assert "approved 20 March 2026" in page
    assert reverse("intake:client_plan", args=[second.pk]) in page
    for other in (first, draft):
        assert reverse("intake:client_plan", args=[other.pk]) not in page
