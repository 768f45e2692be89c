"""``python manage.py suggest``: JSON out and exit 0, or exit 2 with one line on stderr.

Run as a real process with a database that cannot be reached: the command
must not need one.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from intake.rules import suggest

ROOT = Path(__file__).resolve().parents[2]
CASE = {
    "pain": [
        {"region": "buttock", "side": "left", "intensity": 6},
        {"region": "low_back", "side": "center"},
    ],
    "duration_weeks": 20,
    "symptoms": ["worse_upright", "braces_with_arms"],
    "red_flags": [],
    "precautions": ["anticoagulants"],
    "age": 58,
}


def manage(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "SECRET_KEY": "suggest-command-test",
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "suggest", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        timeout=60,
    )


def expected_output(case) -> bytes:
    return (json.dumps(suggest(case).to_dict(), indent=2, sort_keys=False) + "\n").encode()


def test_prints_the_result_as_json_without_a_database(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE))
    first = manage(str(path))
    assert (first.returncode, first.stderr) == (0, b"")
    assert first.stdout == expected_output(CASE)
    assert json.loads(first.stdout)["suggestions"][0]["muscle"] == "quadratus_lumborum"
    assert manage(str(path)).stdout == first.stdout


def test_reads_standard_input_with_a_dash():
    done = manage("-", stdin=json.dumps(CASE).encode())
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout == expected_output(CASE)


@pytest.mark.parametrize(
    ("stdin", "named"),
    [
        (b"{not json", b"standard input: not valid JSON"),
        (b'{"pain": [{"region": "knee", "side": "left"}]}', b"pain[0].region: 'knee'"),
        (b'{"pain": [{"region": "hip", "side": "left", "intensity": 12}]}', b"intensity: 12"),
        (b'{"pain": [], "age": 130}', b"age: 130 is not a whole number of years 0-120"),
        (b'{"pain": [], "age": "forty"}', b"age: 'forty'"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_field_and_value(stdin, named):
    done = manage("-", stdin=stdin)
    assert done.returncode == 2
    assert done.stdout == b""
    assert named in done.stderr
    assert done.stderr.count(b"\n") == 1
    assert b"Traceback" not in done.stderr


def test_an_unreadable_file_exits_2(tmp_path):
    missing = tmp_path / "missing.json"
    done = manage(str(missing))
    assert (done.returncode, done.stdout) == (2, b"")
    assert str(missing).encode() in done.stderr
    assert done.stderr.count(b"\n") == 1


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"\xff\xfe\xff", "standard input: not valid JSON"),
        (b"[" * 100_000, "standard input: not valid JSON"),
        (b'{"pain": [], "duration_weeks": "long"}', "duration_weeks: 'long' is not"),
        (b'{"pain": [{"region": "buttock", "side": "center"}]}', "pain[0].side: 'center' is not"),
        (b'{"pain": [], "symptoms": ["worse_upright", "worse_upright"]}', "symptoms[1]: "),
        (b"[]", "case: [] is not an object"),
    ],
)
def test_bad_input_in_process_raises_a_command_error_with_status_2(monkeypatch, stdin, message):
    monkeypatch.setattr(sys, "stdin", _Stdin(stdin))
    with pytest.raises(CommandError) as caught:
        call_command("suggest", "-")
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_a_clinician_tries_an_edited_knowledge_file(tmp_path):
    from intake.rules.knowledge import DEFAULT_PATH

    edited = tmp_path / "knowledge.toml"
    edited.write_text(
        DEFAULT_PATH.read_text().replace(
            'grade = "occasional", sources = ["monclus', 'grade = "common", sources = ["monclus'
        )
    )
    done = manage("-", "--knowledge", str(edited), stdin=json.dumps(CASE).encode())
    assert (done.returncode, done.stderr) == (0, b"")
    assert json.loads(done.stdout)["ruleset"] != json.loads(expected_output(CASE))["ruleset"]


def test_a_broken_knowledge_file_exits_2_naming_the_fact(tmp_path):
    from intake.rules.knowledge import DEFAULT_PATH

    broken = tmp_path / "knowledge.toml"
    broken.write_text(DEFAULT_PATH.read_text().replace('primary = ["groin"]', 'primary = ["knee"]'))
    done = manage("-", "--knowledge", str(broken), stdin=json.dumps(CASE).encode())
    assert (done.returncode, done.stdout) == (2, b"")
    assert b"knowledge: pectineus.referral: primary: 'knee' is not a region" in done.stderr
    assert done.stderr.count(b"\n") == 1
