"""Suggest muscles to assess from what a client reported: pure Python, no Django.

``suggest(case)`` is the one entry point; ``intake.rules.codes`` holds the
codes, labels and client advice the forms and screens use, and
``knowledge.toml`` the reviewed knowledge (read by ``intake.rules.knowledge``).
See README.md in this folder.
"""

from .case import Case, Pain, RulesInputError, read_case
from .codes import ClientAdvice, client_advice, safety_net
from .engine import (
    GROUPS,
    RULESET,
    CautionAdvice,
    PrecautionAdvice,
    RedFlagAdvice,
    SuggestedMuscle,
    Suggestion,
    flag_label,
    muscle_cautions,
    suggest,
)
from .knowledge import Knowledge, KnowledgeError, load_knowledge

__all__ = [
    "GROUPS",
    "RULESET",
    "Case",
    "CautionAdvice",
    "ClientAdvice",
    "Knowledge",
    "KnowledgeError",
    "Pain",
    "PrecautionAdvice",
    "RedFlagAdvice",
    "RulesInputError",
    "SuggestedMuscle",
    "Suggestion",
    "client_advice",
    "flag_label",
    "load_knowledge",
    "muscle_cautions",
    "read_case",
    "safety_net",
    "suggest",
]
