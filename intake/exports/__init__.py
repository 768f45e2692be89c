"""Exports of client records: JSON, CSV tables in a ZIP, and FHIR R4 resources.

Pure functions over the models, for the admin and the audit trail to call.
"""

from intake.exports.fhir import (
    fhir_bundle,
    intakes_fhir_zip,
    questionnaire,
    questionnaire_response,
    write_intakes_fhir_zip,
)
from intake.exports.record import (
    client_record,
    client_record_json,
    clients_csv_zip,
    write_clients_csv_zip,
)

__all__ = [
    "client_record",
    "client_record_json",
    "clients_csv_zip",
    "fhir_bundle",
    "intakes_fhir_zip",
    "questionnaire",
    "questionnaire_response",
    "write_clients_csv_zip",
    "write_intakes_fhir_zip",
]
