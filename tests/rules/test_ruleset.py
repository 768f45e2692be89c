"""The ruleset version changes whenever the knowledge data or the engine's code changes."""

import copy
import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from intake.rules import RULESET, codes, engine, knowledge, load_knowledge, suggest
from intake.rules import case as case_module
from intake.rules.knowledge import read_data

DATA = read_data()
ROOT = Path(__file__).resolve().parents[2]


def ruleset_of(data) -> str:
    return suggest({"pain": []}, knowledge=load_knowledge(data)).ruleset


def test_ruleset_looks_like_a_series_and_a_hash():
    # Version 2 of the contract: the series moved from 2026.1 to 2026.2.
    assert re.fullmatch(r"2026\.2-[0-9a-f]{8}", RULESET)


def test_every_result_carries_the_ruleset():
    assert suggest({"pain": []}).ruleset == RULESET
    assert suggest({"pain": []}).to_dict()["ruleset"] == RULESET


def test_an_equal_copy_of_the_data_keeps_the_ruleset():
    assert ruleset_of(copy.deepcopy(DATA)) == RULESET


def changed(edit) -> str:
    data = copy.deepcopy(DATA)
    edit(data)
    return ruleset_of(data)


def muscle(data, code):
    return next(m for m in data["muscle"] if m["code"] == code)


def test_changing_a_referral_changes_the_ruleset():
    assert changed(lambda d: muscle(d, "piriformis")["referral"][0]["spillover"].clear()) != RULESET


def test_changing_a_source_changes_the_ruleset():
    def edit(data):
        muscle(data, "soleus")["commonness"]["sources"] = ["ts2_ch22"]

    assert changed(edit) != RULESET


def test_changing_a_reviewer_or_a_caution_changes_the_ruleset():
    assert changed(lambda d: d["review"].update(reviewed_by="Someone else")) != RULESET
    assert changed(lambda d: d["caution"][0].update(forbids=False)) != RULESET


def test_reordering_the_muscles_changes_the_ruleset():
    # The order of the knowledge file is the last tie-break.
    assert changed(lambda d: d["muscle"].reverse()) != RULESET


def copy_of_the_package(folder):
    for path in engine._PACKAGE.glob("*.py"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_an_unchanged_copy_of_the_package_keeps_the_ruleset(tmp_path):
    copy = copy_of_the_package(tmp_path)
    assert engine.ruleset_version(knowledge.KNOWLEDGE.digest, engine.code_digest(copy)) == RULESET


@pytest.mark.parametrize("module", ["engine.py", "case.py", "codes.py", "knowledge.py"])
def test_one_byte_changed_in_any_module_changes_the_ruleset(tmp_path, module):
    copy = copy_of_the_package(tmp_path)
    source = (copy / module).read_bytes()
    middle = len(source) // 2
    (copy / module).write_bytes(
        source[:middle] + bytes([source[middle] ^ 1]) + source[middle + 1 :]
    )
    changed_code = engine.code_digest(copy)
    assert engine.ruleset_version(knowledge.KNOWLEDGE.digest, changed_code) != RULESET


def test_a_module_added_to_the_package_changes_the_ruleset(tmp_path):
    copy = copy_of_the_package(tmp_path)
    (copy / "extra.py").write_text("SCORE = 1\n")
    assert engine.ruleset_version(knowledge.KNOWLEDGE.digest, engine.code_digest(copy)) != RULESET


@pytest.mark.processes
def test_the_ruleset_is_the_same_in_every_process():
    program = (
        "from intake.rules import RULESET, suggest; print(RULESET, suggest({'pain': []}).ruleset)"
    )
    seen = set()
    for seed in ("0", "1", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", program],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seen.add(done.stdout)
    assert seen == {f"{RULESET} {RULESET}\n"}


def test_a_label_or_message_in_codes_is_covered_by_the_code_digest(tmp_path):
    source = (engine._PACKAGE / "codes.py").read_text()
    (tmp_path / "codes.py").write_text(source.replace("Calf", "Calf!"))
    (tmp_path / "engine.py").write_text((engine._PACKAGE / "engine.py").read_text())
    same = tmp_path / "same"
    same.mkdir()
    (same / "codes.py").write_text(source)
    (same / "engine.py").write_text((engine._PACKAGE / "engine.py").read_text())
    assert engine.code_digest(tmp_path) != engine.code_digest(same)


def test_comments_and_layout_of_the_data_do_not_change_the_ruleset(tmp_path):
    text = knowledge.DEFAULT_PATH.read_text()
    path = tmp_path / "knowledge.toml"
    path.write_text("# a new comment at the top\n\n" + text)
    assert suggest({"pain": []}, knowledge=load_knowledge(path)).ruleset == RULESET


@pytest.mark.parametrize("module", [codes, knowledge, case_module, engine])
def test_worked_examples_in_docstrings_hold(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed
