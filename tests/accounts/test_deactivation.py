"""Unticking "active" signs a person out: Django refuses an inactive person's session on its
next request (ModelBackend.user_can_authenticate, in both of the project's backends), so
saving a person neither reads their row back nor hunts through everyone's sessions."""

import pytest
from auditlog.context import disable_auditlog
from django.urls import reverse

from accounts.models import User

BACKENDS = ["accounts.backends.ModelBackend", "accounts.backends.AuthenticationBackend"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("persona", "page"), [("alice", "intake:client_home"), ("tara", "intake:review_queue")]
)
def test_a_deactivated_persons_open_session_is_refused_on_their_next_request(
    client, request, backend, persona, page
):
    person = request.getfixturevalue(persona)
    client.force_login(person, backend=backend)
    assert client.get(reverse(page)).status_code == 200
    person.is_active = False
    person.save(update_fields=["is_active"])
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse(page)}"


def test_deactivating_by_a_bulk_update_signs_out_too(client, alice):
    """No save hook is needed: even an update that skips save() ends the session."""
    client.force_login(alice)
    User.objects.filter(pk=alice.pk).update(is_active=False)
    response = client.get(reverse("intake:client_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_saving_a_person_is_one_query_of_its_own(alice, django_assert_num_queries):
    """Only the UPDATE (the audit trail's own read and entry are left out here)."""
    alice.full_name = "Alice Archer-Smith"
    with disable_auditlog(), django_assert_num_queries(1):
        alice.save(update_fields=["full_name"])
