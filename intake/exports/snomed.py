"""Our body map regions and sides as SNOMED CT concepts, for the FHIR export.

Only concepts we could confirm are mapped; a wrong code is worse than none,
so a region without a confirmed concept keeps our own code and label.

Where the codes were checked (no terminology server is reachable from the
clinic's machines, so against published tables that list code and term):

- DICOM PS3.16 CID 4031 "Common Anatomic Regions" (body part to SNOMED CT):
  46862004 Buttock, 39723000 Sacroiliac joint, 54735007 Sacrum,
  64688005 Coccyx, 53840002 Calf of leg.
- The FHIR R4 body-site value set expansion (hl7.org/fhir/R4/valueset-body-site):
  6989001 Thoracolumbar region of back.
- HL7 implementation-guide examples and value sets: 29836001 Hip region
  structure, 26893007 Inguinal region structure, 27033000 Lower abdomen
  structure (HL7 AU Base MedicationAdministration example), and
  37822005 Lower back structure (the finding site of 279039007 Low back pain).
- Laterality qualifiers: 7771000 Left, 24028007 Right, 51440002 Right and left.

Text only (our code, no SNOMED CT code): ``thigh_back``, ``thigh_side``,
``thigh_front`` and ``leg_side``. SNOMED CT has concepts for the surfaces and
regions of the thigh and lower leg, but we could not confirm their codes, and
the parents (thigh structure, lower leg structure) would make three regions
one code. ``sacral`` uses the sacrum itself (the bone structure), the closest
confirmed concept to "over the sacrum".
"""

from dataclasses import dataclass

from intake.labels import label_for

SNOMED_CT = "http://snomed.info/sct"
CODE_SYSTEM_BASE = "https://clinic-intake.example/fhir/CodeSystem"


@dataclass(frozen=True, slots=True)
class Concept:
    code: str
    display: str


REGION_CONCEPTS: dict[str, Concept] = {
    "thoracolumbar": Concept("6989001", "Thoracolumbar region of back"),
    "low_back": Concept("37822005", "Lower back structure"),
    "sacral": Concept("54735007", "Sacrum"),
    "sacroiliac": Concept("39723000", "Sacroiliac joint structure"),
    "buttock": Concept("46862004", "Buttock structure"),
    "coccyx": Concept("64688005", "Coccyx"),
    "hip": Concept("29836001", "Hip region structure"),
    "groin": Concept("26893007", "Inguinal region structure"),
    "lower_abdomen": Concept("27033000", "Lower abdomen structure"),
    "calf": Concept("53840002", "Calf of leg"),
}

# The midline ("center") has no laterality.
LATERALITY_CONCEPTS: dict[str, Concept] = {
    "left": Concept("7771000", "Left"),
    "right": Concept("24028007", "Right"),
    "both": Concept("51440002", "Right and left"),
}


def local_coding(table: str, code: str, display: str) -> dict:
    """A coding in one of our own code systems (``region``, ``symptom``, ...)."""
    return {"system": f"{CODE_SYSTEM_BASE}/{table}", "code": code, "display": display}


def region_coding(region: str) -> dict:
    """The SNOMED CT coding of a region where we have one, else our own code."""
    concept = REGION_CONCEPTS.get(region)
    if concept is None:
        return local_coding("region", region, label_for("region", region))
    return {"system": SNOMED_CT, "code": concept.code, "display": concept.display}


def laterality_coding(side: str) -> dict | None:
    """The SNOMED CT laterality of a side, or None for the midline."""
    concept = LATERALITY_CONCEPTS.get(side)
    if concept is None:
        return None
    return {"system": SNOMED_CT, "code": concept.code, "display": concept.display}
