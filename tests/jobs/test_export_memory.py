"""The export job writes its ZIP a batch of clients at a time: the same bytes whatever the
batch, and memory that does not grow with the number of clients."""

import tracemalloc

from intake.exports import client_record, clients_csv_zip, record, write_clients_csv_zip
from intake.exports import fhir as fhir_export
from intake.exports.fhir import write_intakes_fhir_zip
from intake.models import Client, Intake
from tests.factories import make_client, make_submitted
from tests.records.test_exports import make_record, read_zip

TEXT = "Stiff after gardening, worse in the morning. " * 40


def many_clients(count: int, prefix: str = "c") -> list[Client]:
    """Clients with two submitted intakes of long answers, copies of a real one, in bulk."""
    model = make_submitted(make_client(legal_name="Model"), conditions=TEXT, goals=TEXT)
    answers = {
        field.attname: getattr(model, field.attname)
        for field in Intake._meta.concrete_fields
        if field.attname not in {"id", "client_id"}
    }
    clients = Client.objects.bulk_create(
        Client(legal_name=f"Client {n}", email=f"{prefix}{n}@example.com", address=TEXT)
        for n in range(count)
    )
    Intake.objects.bulk_create(
        Intake(client=client, **answers) for client in clients for _ in range(2)
    )
    return clients


def test_the_zip_is_the_same_bytes_whatever_the_batch(db, tara, monkeypatch):
    clients = [make_record(make_submitted_client(n), tara) for n in range(5)]
    clients += many_clients(300)
    selected = Client.objects.filter(pk__in=[client.pk for client in clients])

    monkeypatch.setattr(record, "BATCH_SIZE", 1000)
    whole = clients_csv_zip(selected)
    monkeypatch.setattr(record, "BATCH_SIZE", 7)
    assert clients_csv_zip(selected) == whole

    tables = read_zip(whole)
    assert len(tables["clients.csv"]) == 305
    assert tables[f"client-{clients[2].pk}.json"] == client_record(clients[2])


def make_submitted_client(n: int) -> Client:
    client = make_client(legal_name=f"Recorded {n}")
    make_submitted(client)
    return client


def peak_bytes(write, queryset, path) -> int:
    tracemalloc.start()
    try:
        with open(path, "wb") as out:
            write(queryset, out)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_number_of_clients(db, monkeypatch, tmp_path):
    monkeypatch.setattr(record, "BATCH_SIZE", 25)
    few = many_clients(50)
    many = few + many_clients(350, prefix="d")

    small = peak_bytes(
        write_clients_csv_zip, Client.objects.filter(pk__in=[c.pk for c in few]), tmp_path / "a"
    )
    large = peak_bytes(
        write_clients_csv_zip, Client.objects.filter(pk__in=[c.pk for c in many]), tmp_path / "b"
    )

    # Eight times the clients, the same peak (about 8 MB, mostly first-use imports and
    # caches); the export that held every client in memory peaked at 8 then 63 MB.
    assert large < 1.5 * small
    assert large < 16 * 1024 * 1024


def test_the_fhir_zip_memory_does_not_grow_with_the_number_of_intakes(db, monkeypatch, tmp_path):
    monkeypatch.setattr(fhir_export, "BATCH_SIZE", 25)
    clients = many_clients(200)
    few = Intake.objects.filter(client__in=clients[:25])
    assert few.count() == 50

    small = peak_bytes(write_intakes_fhir_zip, few, tmp_path / "a")
    large = peak_bytes(write_intakes_fhir_zip, Intake.objects.all(), tmp_path / "b")
    assert large < 1.5 * small
