"""Sessions end after 15 idle minutes for staff, 30 for clients, 12 hours after signing in
whatever happens, and when the browser closes. Time is moved by ageing the session's clocks."""

import re
import time

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.accounts.helpers import sign_in


def age(client, *, idle_minutes: float = 0, signed_in_hours: float = 0) -> None:
    session = client.session
    now = time.time()
    session[LAST_SEEN_AT] = int(now - idle_minutes * 60)
    session[SIGNED_IN_AT] = int(now - max(signed_in_hours * 3600, idle_minutes * 60))
    session.save()


def test_the_limits():
    assert settings.SESSION_IDLE_TIMEOUT_STAFF == 15 * 60
    assert settings.SESSION_IDLE_TIMEOUT_CLIENT == 30 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_the_session_cookie_ends_with_the_browser(client, alice):
    response = sign_in(client, alice.email)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]


@pytest.mark.parametrize(
    ("persona", "page", "still_in", "out"),
    [
        ("tara", "intake:review_queue", 14, 16),
        ("adam", "intake:review_queue", 14, 16),
        ("alice", "intake:client_home", 29, 31),
    ],
)
def test_idle_timeout_by_role(client, request, persona, page, still_in, out):
    client.force_login(request.getfixturevalue(persona))
    age(client, idle_minutes=still_in)
    assert client.get(reverse(page)).status_code == 200
    age(client, idle_minutes=out)
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse(page)}"
    assert "_auth_user_id" not in client.session
    page_after = client.get(response.url).content.decode()
    assert "without activity" in page_after


def test_activity_keeps_the_session_going(client, tara):
    client.force_login(tara)
    for _ in range(3):
        age(client, idle_minutes=10, signed_in_hours=1)
        assert client.get(reverse("intake:review_queue")).status_code == 200


def test_twelve_hours_after_signing_in_the_session_ends_however_active(client, alice):
    client.force_login(alice)
    age(client, idle_minutes=1, signed_in_hours=12)
    response = client.get(reverse("intake:client_home"))
    assert response.url.startswith(reverse("login"))
    assert "12 hours" in client.get(response.url).content.decode()


def test_the_status_endpoint_reads_the_clock_and_a_post_winds_it(client, tara):
    client.force_login(tara)
    age(client, idle_minutes=14)
    status = client.get(reverse("session_status")).json()
    assert status["signed_in"] and 50 <= status["seconds_left"] <= 60
    # Reading did not count as activity.
    assert client.get(reverse("session_status")).json()["seconds_left"] <= 60
    status = client.post(reverse("session_status")).json()
    assert status["seconds_left"] >= 15 * 60 - 2
    assert client.get(reverse("intake:review_queue")).status_code == 200


def test_the_status_endpoint_says_when_the_session_has_ended(client, tara):
    client.force_login(tara)
    age(client, idle_minutes=16)
    assert client.get(reverse("session_status")).json() == {"signed_in": False, "seconds_left": 0}
    assert client.get(reverse("intake:review_queue")).status_code == 302


def test_pages_carry_the_time_left_for_the_warning_script(client, tara):
    client.force_login(tara)
    page = client.get(reverse("intake:review_queue")).content.decode()
    left = int(re.search(r'data-session-seconds-left="(\d+)"', page).group(1))
    assert 15 * 60 - 10 <= left <= 15 * 60
    assert f'data-session-url="{reverse("session_status")}"' in page
    assert "js/session_timeout.js" in page


def test_signed_out_pages_have_no_timer(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "data-session-seconds-left" not in page and "session_timeout.js" not in page


def test_the_status_endpoint_refuses_other_methods(client, alice):
    client.force_login(alice)
    assert client.put(reverse("session_status")).status_code == 405
