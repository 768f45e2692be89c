"""The queue puts the most urgent first: emergency, urgent, refer, then the rest, each
newest first."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.models import Intake
from tests.factories import make_client, make_submitted
from tests.review.test_queue import names, queue


def sent(name: str, urgency: str, days_ago: int) -> Intake:
    intake = make_submitted(make_client(legal_name=name))
    Intake.objects.filter(pk=intake.pk).update(
        red_flag_urgency=urgency,
        red_flags=["fever"] if urgency else [],
        submitted_at=timezone.now() - timedelta(days=days_ago),
    )
    return intake


def test_emergency_then_urgent_then_refer_then_the_rest_each_newest_first(client, tara):
    sent("Plain new", "", 0)
    sent("Refer old", "refer", 9)
    sent("Emergency old", "emergency", 8)
    sent("Plain old", "", 7)
    sent("Urgent new", "urgent", 1)
    sent("Refer new", "refer", 2)
    sent("Emergency new", "emergency", 3)
    sent("Urgent old", "urgent", 6)
    client.force_login(tara)
    assert names(queue(client)) == [
        "Emergency new",
        "Emergency old",
        "Urgent new",
        "Urgent old",
        "Refer new",
        "Refer old",
        "Plain new",
        "Plain old",
    ]


def test_the_order_costs_no_query_per_intake(client, tara, steady_session_clock):
    client.force_login(tara)
    for number in range(3):
        sent(f"Few {number}", "refer" if number % 2 else "", number)
    queue(client)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("intake:review_queue"))
    for number in range(6):
        sent(f"More {number}", "emergency" if number % 2 else "", number)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("intake:review_queue"))
    assert len(few) == len(more)
