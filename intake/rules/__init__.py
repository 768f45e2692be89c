"""Suggest muscles to assess from what a client reported: pure Python, no Django.

``suggest(case)`` is the one entry point; ``intake.rules.codes`` holds the
codes and labels the forms and the body map use. See README.md in this folder.
"""

from .case import Case, Pain, RulesInputError, read_case
from .engine import (
    RULESET,
    PrecautionAdvice,
    RedFlagAdvice,
    SuggestedMuscle,
    Suggestion,
    suggest,
)

__all__ = [
    "RULESET",
    "Case",
    "Pain",
    "PrecautionAdvice",
    "RedFlagAdvice",
    "RulesInputError",
    "SuggestedMuscle",
    "Suggestion",
    "read_case",
    "suggest",
]
