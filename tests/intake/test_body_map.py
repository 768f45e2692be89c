import re
import xml.etree.ElementTree as ET
from collections import Counter, namedtuple

import pytest
from django.template import Context, Template

from intake.body_map import (
    BELT_LINE_Y,
    SELECTED_OUTLINE,
    SHADES,
    SHAPES,
    intensity_shade,
    map_keys,
    shape_label,
)
from intake.rules.case import DEFAULT_INTENSITY
from intake.rules.codes import REGIONS

SVG = "{http://www.w3.org/2000/svg}"
Location = namedtuple("Location", "region side intensity")

ALLOWED = {(code, side) for code, region in REGIONS.items() for side in region.sides}
DRAWN = {f"{code}-{side}" for code, side in ALLOWED if side != "both"}
BACK = [
    "thoracolumbar",
    "low_back",
    "sacral",
    "sacroiliac",
    "buttock",
    "coccyx",
    "hip",
    "thigh_back",
    "thigh_side",
    "calf",
    "leg_side",
]
FRONT = ["lower_abdomen", "groin", "thigh_front"]


def render(locations=(), interactive=False) -> str:
    template = Template("{% load body_map %}{% body_map locations interactive=interactive %}")
    return template.render(Context({"locations": locations, "interactive": interactive}))


def parse(html: str) -> ET.Element:
    return ET.fromstring(html.strip())


def shapes(svg: ET.Element) -> dict[str, ET.Element]:
    return {el.get("data-key"): el for el in svg.iter(f"{SVG}path") if el.get("data-key")}


def points(d: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_map_keys_are_every_region_and_side_the_contract_allows_but_both():
    keys = map_keys()
    assert len(keys) == len(set(keys))
    assert {f"{region}-{side}" for region, side in keys} == DRAWN
    assert set(SHAPES) == DRAWN
    assert [region for region, _ in keys] == sorted(
        (region for region, _ in keys), key=list(REGIONS).index
    )
    assert ("coccyx", "center") in keys
    assert ("coccyx", "left") not in keys


def test_the_svg_has_exactly_one_shape_per_region_and_side():
    svg = parse(render())
    counts = Counter(el.get("data-key") for el in svg.iter() if el.get("data-key"))
    assert set(counts) == DRAWN
    assert set(counts.values()) == {1}
    assert not any(key.endswith("-both") for key in counts)


@pytest.mark.parametrize(("view", "regions"), [("back", BACK), ("front", FRONT)])
def test_each_region_is_drawn_on_its_view(view, regions):
    svg = parse(render())
    group = next(g for g in svg.iter(f"{SVG}g") if f"body-map-{view}" in g.get("class", ""))
    drawn = {el.get("data-key").split("-")[0] for el in group.iter() if el.get("data-key")}
    assert drawn == set(regions)


def test_every_shape_has_a_title_with_its_label():
    for key, shape in shapes(parse(render())).items():
        region, side = key.split("-")
        assert shape.find(f"{SVG}title").text == shape_label(region, side)


def test_labels_use_the_region_names_and_plain_side_words():
    assert shape_label("buttock", "left") == "Buttock, left side"
    assert shape_label("low_back", "center") == "Low back, middle"
    assert shape_label("hip", "both") == "Outside of the hip, both sides"


def test_a_selected_location_is_marked_shaded_and_named_with_its_intensity():
    found = shapes(parse(render([Location("buttock", "left", 6)])))
    buttock = found["buttock-left"]
    assert "selected" in buttock.get("class").split()
    assert buttock.get("fill") == intensity_shade(6)
    assert buttock.find(f"{SVG}title").text == "Buttock, left side, intensity 6 of 10"
    other = found["buttock-right"]
    assert "selected" not in other.get("class").split()
    assert other.get("fill") not in SHADES


def test_dicts_work_as_well_as_objects_and_missing_intensity_means_5():
    found = shapes(parse(render([{"region": "calf", "side": "right", "intensity": None}])))
    assert found["calf-right"].get("fill") == intensity_shade(5)


def test_both_sides_shade_the_left_and_the_right_shape():
    found = shapes(parse(render([Location("low_back", "both", 8)])))
    for key in ("low_back-left", "low_back-right"):
        assert "selected" in found[key].get("class").split()
        assert found[key].get("fill") == intensity_shade(8)
    assert "selected" not in found["low_back-center"].get("class").split()


def test_unknown_regions_and_sides_are_left_out():
    html = render([Location("spleen", "left", 5), Location("coccyx", "left", 5)])
    assert parse(html).get("aria-label") == "Body map: nothing marked"
    assert "selected" not in html


def test_the_label_summarises_what_is_marked_in_the_order_given():
    svg = parse(render([Location("buttock", "left", 6), Location("low_back", "center", 5)]))
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == (
        "Body map: Buttock, left side (6 of 10); Low back, middle (5 of 10)"
    )
    assert parse(render()).get("aria-label") == "Body map: nothing marked"


def test_interactive_maps_are_marked_for_the_script_and_never_hidden():
    svg = parse(render(interactive=True))
    assert "body-map-interactive" in svg.get("class").split()
    assert svg.get("aria-hidden") is None
    assert all(shape.get("tabindex") is None for shape in shapes(svg).values())
    assert "body-map-interactive" not in parse(render()).get("class")


@pytest.mark.parametrize("tag", ["body_map locations interactive=True", "body_map_phone locations"])
def test_the_map_tells_the_script_the_rules_default_intensity(tag):
    """body_map.js draws a place marked without a number at this value; it has no copy."""
    html = Template("{% load body_map %}{% " + tag + " %}").render(Context({"locations": []}))
    svgs = re.findall(r"<svg[^>]*>", html)
    assert svgs
    for svg in svgs:
        assert f'data-default-intensity="{DEFAULT_INTENSITY}"' in svg


def test_the_belt_line_is_drawn_dashed_and_labelled_on_the_back_view():
    svg = parse(render())
    back = next(g for g in svg.iter(f"{SVG}g") if "body-map-back" in g.get("class", ""))
    line = next(back.iter(f"{SVG}line"))
    assert line.get("stroke-dasharray")
    assert float(line.get("y1")) == float(line.get("y2")) == BELT_LINE_Y
    assert "Belt-line" in [text.text for text in back.iter(f"{SVG}text")]


@pytest.mark.parametrize("region", ["thoracolumbar", "low_back"])
def test_low_back_shapes_sit_at_or_above_the_belt_line(region):
    for key, shape in SHAPES.items():
        if key.startswith(f"{region}-"):
            assert max(y for _, y in points(shape.d)) <= BELT_LINE_Y


@pytest.mark.parametrize("region", ["sacral", "sacroiliac", "buttock", "coccyx"])
def test_gluteal_shapes_sit_below_the_belt_line(region):
    for key, shape in SHAPES.items():
        if key.startswith(f"{region}-"):
            assert min(y for _, y in points(shape.d)) > BELT_LINE_Y


def test_the_clients_left_is_on_the_viewers_left_from_behind_and_right_from_the_front():
    for key, shape in SHAPES.items():
        xs = [x for x, _ in points(shape.d)]
        middle = (min(xs) + max(xs)) / 2
        side = key.split("-")[1]
        if side == "center":
            assert abs(middle) < 1, key
            continue
        on_viewers_left = middle < 0
        assert on_viewers_left == ((side == "left") == (shape.view == "back")), key


def test_each_view_is_labelled_with_its_name_and_sides():
    svg = parse(render())
    for view, sides in (("back", ["L", "R"]), ("front", ["R", "L"])):
        group = next(g for g in svg.iter(f"{SVG}g") if f"body-map-{view}" in g.get("class", ""))
        texts = list(group.iter(f"{SVG}text"))
        assert view.capitalize() in [text.text for text in texts]
        marks = sorted((float(t.get("x")), t.text) for t in texts if t.text in ("L", "R"))
        assert [mark for _, mark in marks] == sides


def test_intensity_shades_go_from_light_to_strong_and_keep_the_outline_visible():
    shades = [intensity_shade(n) for n in range(11)]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", shade) for shade in shades)
    darkness = [luminance(shade) for shade in shades]
    assert darkness == sorted(darkness, reverse=True)
    assert len(set(darkness)) == 11
    outline = luminance(SELECTED_OUTLINE)
    assert all((lum + 0.05) / (outline + 0.05) >= 3 for lum in darkness)
    assert intensity_shade(-1) == shades[0]
    assert intensity_shade(12) == shades[10]


def test_two_maps_on_one_page_share_no_element_ids():
    page = render([Location("hip", "left", 4)]) + render(interactive=True)
    ids = re.findall(r'\sid="([^"]*)"', page)
    assert len(ids) == len(set(ids))


def test_the_svg_is_well_formed_xml():
    html = render([Location("sacral", "center", 3), Location("groin", "both", 10)], True)
    svg = parse(html)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("viewBox")
    assert svg.get("width") == "100%"


def test_the_maps_frame_is_drawn_once_and_each_map_from_its_own_places():
    from intake.templatetags.body_map import _frame

    _frame.cache_clear()
    first = render([Location("low_back", "left", 6)])
    again = render([{"region": "low_back", "side": "left", "intensity": 6}])  # as a dict
    other = render([Location("buttock", "right", 7)])
    assert again == first and other != first
    assert "Buttock, right side, intensity 7 of 10" in other and "intensity 7" not in first
    assert 'aria-label="Body map: Buttock, right side (7 of 10)"' in other
    assert _frame.cache_info().misses == 1 and _frame.cache_info().hits == 2
    assert "BODYMAP" not in first + other
