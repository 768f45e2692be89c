"""Form controls' edges reach 3:1 against white (WCAG 1.4.11), in our own CSS on top of
Bootstrap's variables."""

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[1] / "static" / "css" / "clinic.css"


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_bootstraps_default_border_fails_and_ours_passes():
    assert contrast("#dee2e6", "#ffffff") < 3
    css = CSS.read_text()
    rule = re.search(r"\.form-control,\s*\.form-select,\s*\.form-check-input\s*\{([^}]*)\}", css)
    assert rule, "no border rule for the form controls"
    colour = re.search(r"--bs-border-color:\s*(#[0-9a-fA-F]{6})", rule.group(1)).group(1)
    assert contrast(colour, "#ffffff") >= 3
    unticked = re.search(r"\.form-check-input:not\(:checked\)[^{]*\{([^}]*)\}", css).group(1)
    assert contrast(re.search(r"#[0-9a-fA-F]{6}", unticked).group(0), "#ffffff") >= 3
