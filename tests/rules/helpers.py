"""Small helpers shared by the rules tests."""

from intake.rules import Suggestion, suggest


def pain(region: str, side: str, intensity: int | None = None) -> dict[str, object]:
    entry: dict[str, object] = {"region": region, "side": side}
    if intensity is not None:
        entry["intensity"] = intensity
    return entry


def run(*pains: dict[str, object], **fields: object) -> Suggestion:
    return suggest({"pain": list(pains), **fields})


def codes(result: Suggestion) -> list[str]:
    return [s.muscle for s in result.suggestions]


def by_code(result: Suggestion) -> dict[str, object]:
    return {s.muscle: s for s in result.suggestions}


def rank_of(result: Suggestion, muscle: str) -> int:
    return by_code(result)[muscle].rank


def reasons_text(suggestion) -> str:
    return " ".join(reason.text for reason in suggestion.reasons)
