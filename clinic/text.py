"""Free text that reads as typed: no bidirectional control characters.

Characters such as U+202E (RIGHT-TO-LEFT OVERRIDE) make text shown to staff
read in another order than it was typed ("Trojan Source"). They are never
needed in names or notes, so:

- forms strip them from what was submitted, before any field sees it
  (`BidiSafeFormMixin`, on every form of the app that takes free text);
- model fields refuse them (`validate_no_bidi_controls`), which covers the
  admin and any other form that does not strip them first.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

# Embeddings and overrides, isolates, the left-to-right and right-to-left marks, and the
# Arabic letter mark.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\u200e\u200f"  # LRM, RLM
    "\u061c"  # ALM
)
_REMOVE = dict.fromkeys(map(ord, BIDI_CONTROLS))


def strip_bidi_controls(value: str) -> str:
    return value.translate(_REMOVE)


def has_bidi_controls(value: str) -> bool:
    return not BIDI_CONTROLS.isdisjoint(value)


def validate_no_bidi_controls(value) -> None:
    if isinstance(value, str) and has_bidi_controls(value):
        raise ValidationError(
            "This text contains invisible characters that change the direction of the text. "
            "Please type it again without them.",
            code="bidi_control",
        )


def _strip_value(value):
    if isinstance(value, str):
        return strip_bidi_controls(value)
    if isinstance(value, (list, tuple)):
        return [_strip_value(item) for item in value]
    return value


class BidiSafeFormMixin:
    """Strips bidirectional control characters from every submitted value of the form."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(_stripped(data), *args, **kwargs)


def _stripped(data):
    if data is None:
        return None
    if isinstance(data, QueryDict) or hasattr(data, "lists"):
        # A new dict rather than data.copy(), which deep-copies every value only to replace it.
        stripped = QueryDict(mutable=True)
        for key, values in data.lists():
            stripped.setlist(key, [_strip_value(value) for value in values])
        return stripped
    return {key: _strip_value(value) for key, value in data.items()}


class BidiSafeCharField(forms.CharField):
    """A form field that strips the controls itself, for forms that cannot take the mixin."""

    def to_python(self, value):
        return _strip_value(super().to_python(value))
