import csv
import io
import json
import zipfile
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clearances.models import Clearance
from intake.exports import client_record, client_record_json, clients_csv_zip
from intake.models import Client, Finding, Invitation, Resuggestion, TreatmentPlan
from tests.factories import make_client, make_draft, make_submitted

TABLES = {
    "clients.csv",
    "intakes.csv",
    "pain_locations.csv",
    "plans.csv",
    "plan_muscles.csv",
    "findings.csv",
}


def make_record(client: Client, therapist) -> Client:
    """Two submitted intakes, an approved plan and its second version with findings."""
    make_submitted(client, pain=[("thigh_back", "right", 3)], symptoms=[])
    intake = make_submitted(
        client,
        pain=[("buttock", "left", 6), ("low_back", "center", 5), ("hip", "both", 4)],
        symptoms=["worse_upright", "hip_stiffness"],
        red_flags=["night_pain"],
        treatment_areas=["buttocks", "abdomen"],
    )
    plan = TreatmentPlan.start_for(intake, by=therapist)
    plan.muscles.filter(suggested_rank__lte=2).update(included=True)
    # The red flag puts massage on hold until a clearance is recorded (clearances/).
    Clearance.objects.create(
        intake=intake, doctor_name="Dr Rivera", cleared_on=intake.submitted_at.date()
    )
    plan.approve(by=therapist)
    second = plan.new_version(by=therapist)
    for muscle in second.muscles.filter(included=True):
        Finding.objects.create(
            plan_muscle=muscle,
            trigger_point=Finding.TriggerPoint.ACTIVE,
            referral_reproduced=True,
            treated=True,
            recorded_by=therapist,
        )
    Resuggestion.objects.create(
        intake=intake, ruleset="2099.1-test", result={"b": 1, "a": 2}, created_by=therapist
    )
    Invitation.issue(client, by=therapist)
    return client


@pytest.fixture
def ann(db, alice, tara):
    return make_record(make_client(alice, legal_name="Ann Archer", email="ann@example.com"), tara)


@pytest.fixture
def ben(db, bob, tara):
    return make_record(make_client(bob, legal_name="Ben Baker", email="ben@example.com"), tara)


def test_the_record_holds_every_intake_and_plan_of_the_client_and_nothing_of_another(ann, ben):
    make_draft(ann)
    record = client_record(ann)

    assert record["client"]["id"] == ann.pk
    assert [i["id"] for i in record["intakes"]] == list(
        ann.intakes.order_by("started_at", "pk").values_list("pk", flat=True)
    )
    plan_ids = {plan["id"] for intake in record["intakes"] for plan in intake["plans"]}
    assert plan_ids == set(
        TreatmentPlan.objects.filter(intake__client=ann).values_list("pk", flat=True)
    )
    assert len(plan_ids) == 2
    text = client_record_json(ann).decode()
    assert "Ben Baker" not in text
    assert "ben@example.com" not in text
    others = set(ben.intakes.values_list("pk", flat=True))
    assert not others & {intake["id"] for intake in record["intakes"]}


def test_answers_come_with_codes_and_labels(ann):
    intake = client_record(ann)["intakes"][1]
    answers = intake["answers"]

    assert answers["symptoms"] == [
        {"code": "worse_upright", "label": "Severe pain with the trunk upright"},
        {"code": "hip_stiffness", "label": "Stiff hip"},
    ]
    assert answers["red_flags"] == [
        {"code": "night_pain", "label": "Constant night pain", "urgency": "refer"}
    ]
    assert answers["treatment_areas"][1] == {"code": "abdomen", "label": "Abdomen"}
    assert answers["current_pain"] == 6
    assert intake["pain_locations"][0]["region"] == {"code": "buttock", "label": "Buttock"}
    assert intake["pain_locations"][1]["side"] == {"code": "center", "label": "Middle"}
    assert intake["status"] == {"code": "reviewed", "label": "Reviewed"}
    assert intake["consent"]["agreed"] is True
    assert intake["consent"]["name"] == "Ann Archer"
    assert intake["ruleset"] == intake["suggestion"]["ruleset"]
    assert intake["resuggestions"][0]["result"] == {"a": 2, "b": 1}


def test_plan_versions_carry_their_muscles_and_findings(ann):
    first, second = client_record(ann)["intakes"][1]["plans"]

    assert (first["version"], first["status"]["code"]) == (1, "approved")
    assert (second["version"], second["status"]["code"]) == (2, "draft")
    assert first["approved_by"]["name"] == "Tara Therapist"
    included = [m for m in second["muscles"] if m["included"]]
    assert len(included) == 2
    assert all(len(m["findings"]) == 1 for m in included)
    assert included[0]["findings"][0]["trigger_point"] == {"code": "active", "label": "Active"}
    assert included[0]["muscle"]["label"]


def test_invitations_leave_out_their_token_digest(ann):
    invitation = ann.invitations.get()
    text = client_record_json(ann).decode()

    assert "token_digest" not in text
    assert invitation.token_digest not in text
    assert client_record(ann)["invitations"][0]["email"] == "ann@example.com"


def test_dates_are_iso_8601(ann):
    record = client_record(ann)
    intake = record["intakes"][1]

    assert date.fromisoformat(record["client"]["date_of_birth"]) == date(1980, 5, 17)
    assert datetime.fromisoformat(intake["submitted_at"]).tzinfo is not None
    assert date.fromisoformat(intake["answers"]["pain_started_on"])
    assert datetime.fromisoformat(intake["plans"][0]["approved_at"])


def test_the_json_is_utf8_indented_and_the_same_every_time(ann):
    ann.preferred_name = "Anné"
    ann.save()
    first = client_record_json(ann)

    assert first == client_record_json(ann)
    assert "Anné".encode() in first
    assert first.startswith(b'{\n  "client": {\n    "id": ')
    assert json.loads(first) == client_record(ann)


def read_zip(data: bytes) -> dict[str, list[dict]]:
    tables = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            content = archive.read(name).decode()
            if name.endswith(".csv"):
                tables[name] = list(csv.DictReader(io.StringIO(content)))
            else:
                tables[name] = json.loads(content)
    return tables


def test_the_zip_has_one_csv_per_table_and_a_json_record_per_client(ann, ben):
    tables = read_zip(clients_csv_zip(Client.objects.filter(pk__in=[ann.pk, ben.pk])))

    assert set(tables) == TABLES | {f"client-{ann.pk}.json", f"client-{ben.pk}.json"}
    assert tables[f"client-{ann.pk}.json"] == client_record(ann)
    assert [row["id"] for row in tables["clients.csv"]] == [str(ann.pk), str(ben.pk)]
    assert len(tables["intakes.csv"]) == 4
    assert len(tables["pain_locations.csv"]) == 8
    assert len(tables["plans.csv"]) == 4
    first_plan = TreatmentPlan.objects.get(intake__client=ann, version=1)
    assert len(tables["plan_muscles.csv"]) == 2 * 2 * first_plan.muscles.count()
    assert len(tables["findings.csv"]) == 4


def test_the_csv_headers_ids_lists_and_codes(ann):
    data = clients_csv_zip([ann])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        headers = {
            name: next(csv.reader(io.StringIO(archive.read(name).decode()))) for name in TABLES
        }
    tables = read_zip(data)

    assert headers["pain_locations.csv"] == ["id", "intake_id", "region", "side", "intensity"]
    assert headers["findings.csv"][:2] == ["id", "plan_muscle_id"]
    assert "token_digest" not in str(headers)
    intake = next(row for row in tables["intakes.csv"] if row["symptoms"])
    assert intake["client_id"] == str(ann.pk)
    assert intake["symptoms"] == "worse_upright;hip_stiffness"
    assert intake["treatment_areas"] == "buttocks;abdomen"
    assert intake["consent_agreed"] == "true"
    assert datetime.fromisoformat(intake["submitted_at"])
    locations = [row for row in tables["pain_locations.csv"] if row["intake_id"] == intake["id"]]
    assert [(row["region"], row["side"]) for row in locations] == [
        ("buttock", "left"),
        ("low_back", "center"),
        ("hip", "both"),
    ]
    plan_ids = {row["id"] for row in tables["plans.csv"]}
    assert {row["plan_id"] for row in tables["plan_muscles.csv"]} == plan_ids


def test_text_a_spreadsheet_would_run_is_defused_in_the_csv_only(ann):
    ann.address = '=HYPERLINK("http://evil.example")'
    ann.save()
    tables = read_zip(clients_csv_zip([ann]))

    assert tables["clients.csv"][0]["address"] == "'" + ann.address
    assert tables[f"client-{ann.pk}.json"]["client"]["address"] == ann.address


def test_the_zip_is_the_same_bytes_for_the_same_records(ann):
    assert clients_csv_zip([ann]) == clients_csv_zip([ann])


def queries_for(clients) -> int:
    with CaptureQueriesContext(connection) as captured:
        clients_csv_zip(clients)
    return len(captured)


def test_the_zip_takes_the_same_few_queries_for_2_and_for_10_clients(db, tara):
    clients = [make_record(make_client(legal_name=f"Client {n}"), tara) for n in range(10)]

    few = queries_for(Client.objects.filter(pk__in=[c.pk for c in clients[:2]]))
    many = queries_for(Client.objects.filter(pk__in=[c.pk for c in clients]))

    # One query per kind of row: addenda, clearance letters and clearances included.
    assert few == many <= 11
    assert queries_for(clients) == many


def test_admin_exports_records_and_fhir_and_records_the_export(client, adam):
    import io
    import json
    import zipfile

    from django.urls import resolve, reverse

    from intake.models import AccessEvent
    from tests.factories import make_client, make_submitted

    def download(response):
        """The action started a job and showed its page; the job's file."""
        job = resolve(response.url).kwargs["pk"]
        return client.get(reverse("jobs:job_download", args=[job]))

    person = make_client(legal_name="Ann Archer")
    intake = make_submitted(person)
    client.force_login(adam)
    selected = {"_selected_action": [person.pk]}
    url = reverse("admin:intake_client_changelist")

    records = download(client.post(url, {**selected, "action": "export_records"}))
    assert records["Content-Type"] == "application/zip"
    assert "Archer" not in records["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(records.streaming_content))).namelist()
    assert "clients.csv" in names and f"client-{person.pk}.json" in names

    fhir = download(client.post(url, {**selected, "action": "export_client_fhir"}))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(fhir.streaming_content)))
    bundle = json.loads(archive.read(f"Bundle-intake-{intake.pk}.json"))
    assert bundle["resourceType"] == "Bundle"
    assert json.loads(archive.read("Questionnaire-intake.json"))["resourceType"] == "Questionnaire"

    exports = AccessEvent.objects.filter(actor=adam, action="export")
    assert {(e.object_type, e.object_id) for e in exports} == {
        ("client", person.pk),
        ("intake", intake.pk),
    }
