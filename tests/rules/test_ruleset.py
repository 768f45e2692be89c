"""The ruleset version changes whenever the knowledge base changes."""

import dataclasses
import doctest
import re

import pytest

from intake.rules import RULESET, codes, engine, knowledge, suggest
from intake.rules import case as case_module


def test_ruleset_looks_like_a_year_series_and_a_hash():
    assert re.fullmatch(r"2026\.1-[0-9a-f]{8}", RULESET)
    assert engine.ruleset_version(engine.RULE_TABLES) == RULESET


def test_every_result_carries_the_ruleset():
    assert suggest({"pain": []}).ruleset == RULESET
    assert suggest({"pain": []}).to_dict()["ruleset"] == RULESET


def changed(name, value):
    return engine.ruleset_version({**engine.RULE_TABLES, name: value})


def test_changing_a_referral_changes_the_ruleset():
    muscles = dict(knowledge.MUSCLES)
    piriformis = muscles["piriformis"]
    muscles["piriformis"] = dataclasses.replace(piriformis, referrals=piriformis.referrals[:-1])
    assert changed("muscles", muscles) != RULESET


def test_changing_a_source_changes_the_ruleset():
    muscles = dict(knowledge.MUSCLES)
    soleus = muscles["soleus"]
    muscles["soleus"] = dataclasses.replace(
        soleus, commonness=dataclasses.replace(soleus.commonness, sources=("ts2_ch22",))
    )
    assert changed("muscles", muscles) != RULESET


def test_reordering_the_muscles_changes_the_ruleset():
    # The order of the knowledge base is the last tie-break.
    assert changed("muscles", dict(reversed(knowledge.MUSCLES.items()))) != RULESET


def test_changing_a_label_or_a_message_changes_the_ruleset():
    regions = {**codes.REGIONS, "calf": dataclasses.replace(codes.REGIONS["calf"], label="Calf!")}
    assert changed("regions", regions) != RULESET
    advice = dataclasses.replace(codes.PRECAUTIONS["pregnancy"], message="Take care.")
    assert changed("precautions", {**codes.PRECAUTIONS, "pregnancy": advice}) != RULESET


def test_changing_the_scoring_changes_the_ruleset():
    assert changed("scoring", {**engine.SCORING, "zone_points": 11}) != RULESET


def test_an_equal_copy_keeps_the_ruleset():
    copy = {
        name: (dict(table) if isinstance(table, dict) else table)
        for name, table in engine.RULE_TABLES.items()
    }
    assert engine.ruleset_version(copy) == RULESET


@pytest.mark.parametrize("module", [codes, knowledge, case_module, engine])
def test_worked_examples_in_docstrings_hold(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed
