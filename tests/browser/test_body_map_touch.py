"""The body map on a 375 px phone: every place is a fingertip wide and can be marked by tap."""

import pytest
from django.urls import reverse

from intake.body_map import SHAPES
from intake.demo import seed_demo_people
from intake.models import Intake
from intake.templatetags import body_map as body_map_tags
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser

MIN_TARGET = 24  # CSS px, WCAG 2.2 target size (minimum)


@pytest.fixture
def phone(browser, live_server, transactional_db):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        has_touch=True,
        is_mobile=True,
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def open_where_step(page):
    seed_demo_people()
    sign_in(page, "client@example.com", "/my/intakes/")
    page.get_by_role("button", name="Start a new intake").click()
    page.get_by_role("heading", name="About you", level=1).wait_for()
    for heading in ["Health history", "Where it hurts"]:
        page.get_by_role("button", name="Save and continue").click()
        page.get_by_role("heading", name=heading, level=1).wait_for()
    page.wait_for_load_state("load")  # the stylesheet hides the wide map's copy of each place


def test_every_place_on_the_map_is_at_least_24_px_each_way(phone):
    open_where_step(phone)
    small = {}
    for key in SHAPES:
        target = phone.locator(f'[data-key="{key}"]:visible')
        assert target.count() == 1, key
        box = target.bounding_box()
        if box["width"] < MIN_TARGET or box["height"] < MIN_TARGET:
            small[key] = (round(box["width"], 1), round(box["height"], 1))
    assert small == {}
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def tap(page, key):
    target = page.locator(f'[data-key="{key}"]:visible')
    target.scroll_into_view_if_needed()
    target.tap()
    return target


def saved_places():
    intake = Intake.objects.drafts().get(client__user__email="client@example.com")
    return intake, {(p.region, p.side) for p in intake.pain_locations.all()}


def test_the_client_marks_every_place_by_tap(phone):
    """A region's middle and its sides cannot be saved together, so two rounds: first every
    side, then every middle (untapping the sides of those regions)."""
    open_where_step(phone)
    keys = [tuple(key.split("-")) for key in SHAPES]
    with_middle = {region for region, side in keys if side == "center"}
    first = [(r, s) for r, s in keys if s != "center"]
    second = [(r, s) for r, s in keys if r in with_middle]

    for region, side in first:
        target = tap(phone, f"{region}-{side}")
        assert phone.locator(f'input[data-body-key="{region}-{side}"]').is_checked()
        assert "selected" in target.get_attribute("class")
    phone.get_by_role("button", name="Save and continue").click()
    phone.get_by_role("heading", name="Your pain", level=1).wait_for()
    intake, saved = saved_places()
    assert saved == set(first)

    phone.goto(reverse("intake:intake_step", args=[intake.pk, "where"]))
    for region, side in second:
        target = tap(phone, f"{region}-{side}")
        expected = side == "center"
        assert phone.locator(f'input[data-body-key="{region}-{side}"]').is_checked() is expected
        assert ("selected" in target.get_attribute("class")) is expected
    phone.get_by_role("button", name="Save and continue").click()
    phone.get_by_role("heading", name="Your pain", level=1).wait_for()
    _intake, saved_second = saved_places()
    assert saved_second == {(r, s) for r, s in keys if s == "center" or r not in with_middle}
    assert saved | saved_second == set(keys)


@pytest.fixture
def fresh_map_frame():
    """The map's frame is drawn once a process: drawn afresh here, as after a restart, and
    again after the test, so no other test sees this one's."""
    body_map_tags._frame.cache_clear()
    yield
    body_map_tags._frame.cache_clear()


def test_a_place_marked_without_a_number_is_drawn_at_the_rules_default(
    phone, monkeypatch, fresh_map_frame
):
    """The script reads the default from the page: change it on the server and the map follows."""
    monkeypatch.setattr(body_map_tags, "DEFAULT_INTENSITY", 3)
    open_where_step(phone)
    target = tap(phone, "calf-left")
    phone.locator('[data-intensity-for="calf-left"]:visible input').fill("")
    assert target.get_attribute("data-intensity") == "3"
    phone.locator('[data-intensity-for="calf-left"]:visible input').fill("8")
    assert target.get_attribute("data-intensity") == "8"
