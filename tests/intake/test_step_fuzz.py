"""Whatever is posted to a questionnaire step, the answer is a page or a redirect, never a 500."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.models import Client, Intake
from intake.rules import codes
from intake.steps import STEPS
from tests.factories import make_client, make_complete_draft

KNOWN_CODES = [*codes.SYMPTOMS, *codes.RED_FLAGS, *codes.PRECAUTIONS, "buttocks", "abdomen"]
scalar = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789-+. ", max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["", "on", "yes", "no", "2026-02-30", "1900-01-01", "9999-12-31", "\x00"]),
    st.sampled_from(KNOWN_CODES),
    st.just("x" * 5000),
)
value = st.one_of(scalar, st.lists(scalar, max_size=6))


def field_names(step) -> list[str]:
    draft = Intake(pk=0, client=Client(legal_name="Probe"))
    return list(step.form(draft).fields) if step.name != "where" else []


WHERE_FIELDS = [
    f"{kind}-{region}-{side}"
    for region, row in codes.REGIONS.items()
    for side in ["left", "center", "right", "both", "top"]
    for kind in ["pain", "intensity"]
]


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.mark.parametrize("step", STEPS, ids=[step.name for step in STEPS])
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_post_to_a_step_gives_a_server_error(alice_client, alice, step, data):
    Intake.objects.filter(client__user=alice).delete()
    draft = make_complete_draft(make_client(alice, legal_name="Alice Archer"))
    names = WHERE_FIELDS if step.name == "where" else [*field_names(step), "finish_later"]
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
    post = {name: data.draw(value) for name in chosen}
    response = alice_client.post(reverse("intake:intake_step", args=[draft.pk, step.name]), post)
    assert response.status_code in (200, 302)
