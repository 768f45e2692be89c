"""Security headers: no caching of signed-in pages, a strict CSP with reports, a Permissions-Policy.

The access matrix (tests/test_access_matrix.py) checks the headers on every
page for every persona; these tests check the policies themselves, the CSP
report endpoint and that no template carries an inline script or style.
"""

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_signed_in_pages_are_never_stored(personas):
    for persona, url in [
        ("client_a", reverse("intake:client_home")),
        ("therapist", reverse("intake:review_queue")),
        ("admin", reverse("admin:index")),
    ]:
        response = personas[persona].get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], f"{url} as {persona}"


def test_signed_in_redirects_and_refusals_are_never_stored_either(personas):
    assert "no-store" in personas["client_a"].get(reverse("home"))["Cache-Control"]
    refused = personas["client_a"].get(reverse("intake:review_queue"))
    assert refused.status_code == 403
    assert "no-store" in refused["Cache-Control"]


def test_the_content_security_policy_allows_nothing_inline(client, db):
    response = client.get(reverse("login"))
    policy = directives(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["report-uri"] == reverse("csp_report")
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_the_permissions_policy_denies_devices_and_keeps_passkeys(client, db):
    policy = client.get(reverse("login"))["Permissions-Policy"]
    features = dict(item.split("=", 1) for item in policy.split(", "))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]:
        assert features[feature] == "()", feature
    # Passkeys (WebAuthn) need these, on our own origin (the browser's default).
    assert "publickey-credentials-get" not in features
    assert "publickey-credentials-create" not in features


def test_a_file_input_that_opens_the_camera_needs_no_camera_permission(db):
    """A clearance letter photographed on a phone comes through <input type=file capture>.

    That is a file upload the browser handles, not getUserMedia, so the denied
    camera feature does not stop it (the HTML Media Capture spec).
    """
    assert "camera=()" in _permissions_policy_header()


def _permissions_policy_header() -> str:
    from django.test import Client

    return Client().get(reverse("login"))["Permissions-Policy"]


def test_static_files_and_the_health_check_are_served_with_the_policies(client, db):
    response = client.get(reverse("healthz"))
    assert "Content-Security-Policy" in response
    assert "Permissions-Policy" in response


# The CSP report endpoint.


def csp_report(client, body, content_type="application/csp-report"):
    return client.generic(
        "POST",
        reverse("csp_report"),
        data=body if isinstance(body, (bytes, str)) else json.dumps(body),
        content_type=content_type,
    )


def test_a_csp_report_logs_the_directive_and_the_blocked_host_only(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://clinic.example.com/review/12/?name=Alice+Archer",
            "referrer": "https://clinic.example.com/review/",
            "violated-directive": "script-src-elem",
            "effective-directive": "script-src-elem",
            "original-policy": "default-src 'self'",
            "blocked-uri": "https://evil.example.net/steal.js?dob=1980-01-02",
            "script-sample": "Alice Archer",
            "status-code": 200,
        }
    }
    with caplog.at_level(logging.WARNING, logger="clinic.csp"):
        response = csp_report(client, report)
    assert response.status_code == 204
    assert len(caplog.records) == 1
    line = caplog.records[0].getMessage()
    assert "script-src-elem" in line
    assert "evil.example.net" in line
    for secret in ["Alice", "1980", "steal.js", "/review/12", "dob"]:
        assert secret not in line


def test_a_reporting_api_report_is_understood_too(client, caplog):
    reports = [
        {
            "type": "csp-violation",
            "url": "https://clinic.example.com/my/intakes/3/",
            "body": {"effectiveDirective": "style-src-attr", "blockedURL": "inline"},
        }
    ]
    with caplog.at_level(logging.WARNING, logger="clinic.csp"):
        response = csp_report(client, reports, content_type="application/reports+json")
    assert response.status_code == 204
    line = caplog.records[0].getMessage()
    assert "style-src-attr" in line and "inline" in line
    assert "/my/intakes" not in line


def test_the_csp_report_endpoint_needs_no_csrf_token(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = csp_report(strict, {"csp-report": {"effective-directive": "img-src"}})
    assert response.status_code == 204


def test_the_csp_report_endpoint_refuses_big_or_broken_bodies_without_logging_them(client, caplog):
    with caplog.at_level(logging.WARNING, logger="clinic.csp"):
        big = csp_report(client, b"{" + b" " * 20_000 + b"}")
        broken = csp_report(client, b"not json at all: Alice Archer")
        wrong_method = client.get(reverse("csp_report"))
    assert big.status_code == 413
    assert broken.status_code == 400
    assert wrong_method.status_code == 405
    assert "Alice" not in caplog.text


def test_hostile_report_values_are_not_echoed_into_the_log(client, caplog):
    report = {"csp-report": {"effective-directive": "x\nFAKE LOG LINE " + "a" * 500}}
    with caplog.at_level(logging.WARNING, logger="clinic.csp"):
        csp_report(client, report)
    line = caplog.records[0].getMessage()
    assert "\n" not in line
    assert len(line) < 200


# No inline script or style anywhere.

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=")
EVENT_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)
# Rendered into a PDF by WeasyPrint on the server, never served to a browser.
NOT_FOR_BROWSERS = {"intake/plan_pdf.html", "intake/handout_pdf.html"}


def templates():
    base = ROOT / "templates"
    for path in sorted(base.rglob("*.html")):
        name = path.relative_to(base).as_posix()
        if name not in NOT_FOR_BROWSERS:
            yield name, path.read_text()


@pytest.mark.parametrize(("name", "text"), list(templates()), ids=lambda v: v[:40])
def test_no_template_has_an_inline_script_style_or_event_handler(name, text):
    assert not INLINE_SCRIPT.search(text), f"{name}: inline <script>"
    assert not INLINE_STYLE.search(text), f"{name}: inline style"
    assert not EVENT_HANDLER.search(text), f"{name}: inline event handler"


def test_the_error_pages_carry_no_inline_style():
    from django.template.loader import render_to_string

    for name in ["500.html", "503.html"]:
        html = render_to_string(name)
        assert not INLINE_STYLE.search(html), name
        assert "/static/css/plain_page.css" in html
    assert (ROOT / "static/css/plain_page.css").exists()


# HSTS preload only when asked for.


def deploy_settings(**env) -> dict:
    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps({n: getattr(settings, n) for n in "
        "['SECURE_HSTS_SECONDS', 'SECURE_HSTS_PRELOAD', 'SILENCED_SYSTEM_CHECKS']}))"
    )
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "SECRET_KEY": "x" * 60,
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_https_turns_on_hsts_without_preload():
    values = deploy_settings(HTTPS="1")
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_PRELOAD"] is False


def test_hsts_preload_when_asked_for():
    values = deploy_settings(HTTPS="1", HSTS_PRELOAD="1")
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert "security.W021" not in values["SILENCED_SYSTEM_CHECKS"]
