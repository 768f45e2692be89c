from datetime import timedelta

from django.urls import reverse

from intake.models import Client
from tests.conftest import signed_in
from tests.factories import make_draft, make_submitted


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
