"""The words people read for a stored code, including codes that have left the code tables.

Intakes keep their codes for years, while the tables in ``intake.rules`` may
rename or retire one. Every page, export and print shows a code through
``label_for``, so a retired code reads as words rather than breaking the page::

    >>> label_for("region", "buttock")
    'Buttock'
    >>> label_for("precaution", "hip_resurfacing")
    'Hip resurfacing'
    >>> label_for("muscle", "piriformis", "name")
    'Piriformis'
"""

from collections.abc import Mapping

from intake.models import Intake
from intake.rules import codes
from intake.rules.knowledge import MUSCLES

TABLES: dict[str, Mapping[str, object]] = {
    "treatment_area": {area.value: area for area in Intake.TreatmentArea},
    "zone": codes.ZONES,
    "side": codes.SIDES,
    "region": codes.REGIONS,
    "symptom": codes.SYMPTOMS,
    "red_flag": codes.RED_FLAGS,
    "precaution": codes.PRECAUTIONS,
    "muscle": MUSCLES,
}


def readable(code: str) -> str:
    """A code as words, for a code no table holds: "hip_resurfacing" -> "Hip resurfacing"."""
    return str(code).replace("_", " ").strip().capitalize()


def label_for(kind: str, code: str, attr: str = "label") -> str:
    """The ``attr`` of ``code`` in the ``kind`` table, or the code in readable words."""
    row = TABLES[kind].get(code)
    value = getattr(row, attr, None) if row is not None else None
    return value if isinstance(value, str) and value else readable(code)
