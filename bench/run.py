"""The load benchmark behind `make bench` (README.md, "Performance").

1. Makes sure a generated clinic is in the benchmark's own PostgreSQL database
   (`clinic_bench` unless DATABASE_URL says otherwise): creates the database if missing,
   migrates it, and runs `manage.py generate_clinic` unless the database already holds a
   clinic generated with the same parameters (recorded as the database's comment). A
   database with other parameters is dropped and generated again, but only one this
   script made; any other database is refused.
2. Signs in a few generated clients, a therapist and an admin (Django sessions made as
   sign-in makes them) and counts the queries of one request of each page, in process.
3. Starts gunicorn (gunicorn.conf.py with 2 workers, DEBUG off) on a free port and runs
   wrk against each page with 8 connections, in a few rounds of a few seconds, each
   followed by /healthz, then prints requests/s, p50, p95 and the ratio to /healthz's
   throughput just before and just after it, of the round with the median ratio (so a
   machine whose speed drifts during the run moves both alike, and a round slowed by
   something else moves only the range printed beside it), the queries, and the Python
   function calls of one request (the same on a busy machine as on a quiet one).
   Gunicorn is stopped whatever happens.

Settings (environment): BENCH_CLIENTS (10000), BENCH_INTAKES (5), BENCH_THERAPISTS (20),
BENCH_SEED (1), BENCH_JOBS (generate_clinic's processes, 2; not one of the clinic's
parameters: any number gives the same clinic but for row ids), BENCH_ROUNDS (3 a page),
BENCH_SECONDS (4 a round; a round that completes fewer than 20 requests runs again for
three times as long), BENCH_CONNECTIONS (8), BENCH_PAGES (only the pages whose names
contain one of these comma-separated words), DATABASE_URL.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/clinic_bench"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
# A page that completes fewer requests than this in its time is run again three times longer.
MIN_REQUESTS = 20
# /healthz is measured this long between pages, for each page's ratio.
HEALTHZ_SECONDS = 3


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def main() -> int:
    clients = int(setting("BENCH_CLIENTS", "10000"))
    intakes = int(setting("BENCH_INTAKES", "5"))
    therapists = int(setting("BENCH_THERAPISTS", "20"))
    seed = int(setting("BENCH_SEED", "1"))
    jobs = int(setting("BENCH_JOBS", "2"))
    seconds = int(setting("BENCH_SECONDS", "4"))
    rounds = int(setting("BENCH_ROUNDS", "3"))
    connections = int(setting("BENCH_CONNECTIONS", "8"))
    only = [word for word in setting("BENCH_PAGES", "").split(",") if word]
    database_url = setting("DATABASE_URL", DEFAULT_DATABASE)
    if not shutil.which("wrk"):
        print("wrk is missing: install Debian's wrk (make bench installs it as root).")
        return 2

    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(environment)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    generate = [
        f"--clients={clients}",
        f"--intakes-per-client={intakes}",
        f"--therapists={therapists}",
        f"--seed={seed}",
    ]
    fingerprint = "generate_clinic " + " ".join(generate)
    prepare_database(database_url, fingerprint, [*generate, f"--jobs={jobs}"])
    manage("collectstatic", "--no-input", "-v0")

    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the in-process test client's host, and response.context
    from bench.pages import bench_pages, choose_cast

    pages = bench_pages(choose_cast())
    if only:
        pages = [p for p in pages if p.name == "/healthz" or any(w in p.name for w in only)]
    print(f"Counting queries and function calls of one request of each of {len(pages)} pages...")
    queries, calls = {}, {}
    for page in pages:
        status, count = page.measure_queries()
        check_status(page, status)
        queries[page.name] = count
        calls[page.name] = page.measure_calls()
    from django.db import connections as django_connections

    django_connections.close_all()

    results, around = {}, {}
    healthz_page = pages[0]
    with gunicorn(environment) as base:
        for page in pages:
            check_over_http(base, page)
        print(
            f"Load: wrk, {connections} connections, {rounds} rounds of {seconds} s a page, "
            "gunicorn 2 workers"
        )
        results["/healthz"] = before = run_wrk(base, healthz_page, seconds, connections)
        drain(base)
        for page in pages[1:]:
            measured = []
            for _ in range(rounds):
                result = run_wrk(base, page, seconds, connections)
                if result["requests"] < MIN_REQUESTS:  # a slow page: give it longer
                    drain(base)
                    result = run_wrk(base, page, seconds * 3, connections)
                drain(base)
                # /healthz just before and just after each round: a machine whose speed
                # drifts during the run moves both alike.
                after = run_wrk(base, healthz_page, HEALTHZ_SECONDS, connections)
                drain(base)
                measured.append(Round(result, statistics.mean([before["rps"], after["rps"]])))
                before = after
            results[page.name], around[page.name] = median_round(measured)
            print(f"  {page.name:<28} {around[page.name].summary()}", flush=True)
        results["/healthz (again)"] = run_wrk(base, healthz_page, seconds, connections)
    print()
    print(table(pages, results, around, queries, calls, clients, intakes, connections))
    return 0


@dataclass
class Round:
    """One round of a page: wrk's result, and /healthz's throughput around it."""

    result: dict
    healthz: float

    @property
    def ratio(self) -> float:
        return self.result["rps"] / self.healthz


@dataclass
class Ratios:
    """A page's ratio to /healthz over its rounds: the median round's, and the range."""

    median: float
    low: float
    high: float
    healthz: float  # /healthz around the median round
    rounds: int

    def summary(self) -> str:
        return f"{self.median:.3f} ({self.low:.3f}-{self.high:.3f})"


def median_round(rounds: list[Round]) -> tuple[dict, Ratios]:
    """The round with the median ratio (the lower middle of an even number), whose req/s,
    p50 and p95 the table shows, and the ratios' range: a round slowed by something else on
    the machine moves the range, not the figure."""
    ordered = sorted(rounds, key=lambda r: r.ratio)
    middle = ordered[(len(ordered) - 1) // 2]
    ratios = Ratios(middle.ratio, ordered[0].ratio, ordered[-1].ratio, middle.healthz, len(rounds))
    return middle.result, ratios


def prepare_database(url: str, fingerprint: str, generate: list[str]) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as server:
        row = server.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
        if row is not None and row[0] == fingerprint:
            print(f"Reusing the clinic in {name} ({fingerprint}).")
            manage("migrate", "--no-input", "-v0")
            analyse(url)
            return
        if row is not None:
            if not (row[0] or "").startswith("generate_clinic ") and has_tables(url):
                raise SystemExit(
                    f"{name} is not a database make bench made (no generate_clinic comment); "
                    "refusing to touch it. Point DATABASE_URL at a new database name."
                )
            print(f"Dropping {name} ({row[0] or 'unfinished'}) to generate it again.")
            server.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--no-input", "-v0")
    print(f"Generating: manage.py generate_clinic {' '.join(generate)}")
    began = time.monotonic()
    manage("generate_clinic", *generate)
    print(f"Generation took {time.monotonic() - began:.0f} s.")
    analyse(url)
    with psycopg.connect(maintenance, autocommit=True) as server:
        quoted = fingerprint.replace("'", "''")
        server.execute(f"COMMENT ON DATABASE \"{name}\" IS '{quoted}'")


def analyse(url: str) -> None:
    """Table statistics, as autovacuum keeps them on a live server: without them (autovacuum
    off, or not yet run after the bulk inserts) the planner guesses, and the queue's key
    query took 30 ms instead of 1 ms."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as database:
        database.execute("ANALYZE")


def has_tables(url: str) -> bool:
    import psycopg

    with psycopg.connect(url) as database:
        return bool(
            database.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' LIMIT 1"
            ).fetchone()
        )


def manage(*args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


class gunicorn:
    """gunicorn serving the app on a free port; stopped (its whole group) on the way out."""

    def __init__(self, environment: dict):
        self.environment = environment
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log")
        # The production settings, with two workers, and no worker recycled after its 2,000
        # requests: at benchmark rates that would restart one every few seconds.
        command = [
            str(Path(PYTHON).parent / "gunicorn"),
            "--config=gunicorn.conf.py",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--timeout=60",
            "--max-requests=0",
        ]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn stopped:\n" + Path(self.log.name).read_text())
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    return base
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer /healthz within 30 s")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_over_http(base: str, page) -> None:
    """One request of each of the page's variants answers as expected (and warms up)."""
    opener = urllib.request.build_opener(NoRedirect)
    for request in page.requests:
        http = urllib.request.Request(
            base + request.path,
            data=request.body.encode() if request.method == "POST" else None,
            headers={"Cookie": request.visitor.cookie},
            method=request.method,
        )
        if request.method == "POST":
            http.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with opener.open(http, timeout=120) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        check_status(page, status, request.path)


def drain(base: str, limit: float = 120) -> None:
    """Wait until the requests wrk left behind are served: /healthz answers quickly again."""
    deadline, quick = time.monotonic() + limit, 0
    while time.monotonic() < deadline and quick < 3:
        began = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=limit):
                pass
        except (OSError, urllib.error.URLError):
            time.sleep(0.5)
            continue
        quick = quick + 1 if time.monotonic() - began < 0.25 else 0


def check_status(page, status: int, path: str = "") -> None:
    """Stop on an answer that means the benchmark is wrong (a redirect to sign in, a 403,
    a form error); a server's 5xx (a timeout, say) is a result, counted by wrk as an error."""
    if status == page.status:
        return
    message = f"{page.name} {path}: answered {status}, expected {page.status}"
    if status >= 500:
        print(f"  warning: {message}")
    else:
        raise SystemExit(message)


def run_wrk(base: str, page, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".tsv") as requests:
        for request in page.requests:
            requests.write(
                "\t".join([request.method, request.path, request.visitor.cookie, request.body])
                + "\n"
            )
        requests.flush()
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout=60s"]
        command += ["-s", str(WRK_SCRIPT), base, "--", requests.name]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    result = json.loads(line)
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result["errors"].values())
    return result


def table(
    pages,
    results: dict,
    around: dict,
    queries: dict,
    calls: dict,
    clients: int,
    intakes: int,
    connections: int = 8,
) -> str:
    healthz = statistics.mean([results["/healthz"]["rps"], results["/healthz (again)"]["rps"]])
    rounds = max((r.rounds for r in around.values()), default=1)
    lines = [
        f"{clients:,} clients, {clients * intakes:,} submitted intakes; gunicorn 2 workers, "
        f"wrk {connections} connections; /healthz {healthz:.0f} req/s (mean of first and last). "
        f"Each page ran {rounds} rounds, each followed by {HEALTHZ_SECONDS} s of /healthz; a "
        "round's ratio is to /healthz just before and just after it. The table shows the round "
        "with the median ratio (its /healthz in the last column) and the lowest and highest.",
        "",
        "| page | req/s | p50 | p95 | ratio to /healthz | lowest-highest | queries | calls "
        "| errors | /healthz around |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in pages:
        r = results[page.name]
        ratios = around.get(page.name)
        local = ratios.healthz if ratios else healthz
        spread = f"{ratios.low:.3f}-{ratios.high:.3f}" if ratios else "-"
        lines.append(
            f"| {page.name} | {r['rps']:.1f} | {ms(r['p50_us'])} | {ms(r['p95_us'])} "
            f"| {r['rps'] / local:.3f} | {spread} | {queries[page.name]} "
            f"| {calls[page.name]:,} | {r['errors']} | {local:.0f} |"
        )
    return "\n".join(lines)


def ms(microseconds: float) -> str:
    if microseconds >= 1e6:
        return f"{microseconds / 1e6:.2f} s"
    return f"{microseconds / 1e3:.0f} ms" if microseconds >= 1e4 else f"{microseconds / 1e3:.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
