import time

from django.core.management.base import BaseCommand, CommandError

from intake.generate import (
    DOMAIN,
    GenerationRefused,
    Params,
    check_database,
    plan_clinic,
    write_clinic,
)


class Command(BaseCommand):
    help = (
        "Generate a whole clinic for load tests: therapists, admins, clients with sign-in "
        "accounts in the Clients role, submitted intakes with their pain locations, treatment "
        "plans (some approved) with findings, access events and the audit trail. Intakes are "
        "made by the app's own model code (Client.start_intake, Intake.save, Intake.submit); "
        "people, clients, pain locations, plans, findings and access events are inserted in "
        "bulk. The audit entries (about 26 an intake, as the real path leaves them) are "
        "written in bulk straight into auditlog's LogEntry table, auditlog being off while "
        "intakes are written. The same --seed gives the same clinic. Generated people have "
        f"emails at {DOMAIN} and no usable password. It refuses a database that holds real "
        "clients (unless --force) or a generated clinic already: never generate into a real "
        "clinic's database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, required=True, help="how many clients")
        parser.add_argument(
            "--intakes-per-client",
            type=int,
            default=5,
            help="submitted intakes per client (default 5); about 3%% of clients also have "
            "a draft in progress",
        )
        parser.add_argument("--therapists", type=int, default=20, help="default 20")
        parser.add_argument("--admins", type=int, default=2, help="default 2")
        parser.add_argument("--seed", type=int, default=1, help="default 1")
        parser.add_argument(
            "--jobs",
            type=int,
            default=2,
            help="processes writing intakes at once, on PostgreSQL (default 2)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="generate even though the database holds real clients: only ever for a "
            "throwaway copy, since generated data is then mixed with real records",
        )

    def handle(self, *args, **options):
        params = Params(
            clients=options["clients"],
            intakes_per_client=options["intakes_per_client"],
            therapists=options["therapists"],
            admins=options["admins"],
            seed=options["seed"],
        )
        if params.clients < 1 or params.intakes_per_client < 0:
            raise CommandError("--clients must be at least 1 and --intakes-per-client 0 or more.")
        if params.therapists < 1 or params.admins < 1:
            raise CommandError("--therapists and --admins must be at least 1.")
        try:
            check_database(force=options["force"])
        except GenerationRefused as refusal:
            raise CommandError(str(refusal)) from None
        began = time.monotonic()
        self.stdout.write(f"Planning a clinic: {params.describe()}")
        plan = plan_clinic(params)
        self.stdout.write("Writing it...")
        written = write_clinic(plan, progress=self.stdout.write, jobs=options["jobs"])
        elapsed = time.monotonic() - began
        for name, count in written.counts.items():
            self.stdout.write(f"  {name:<18} {count:>10,}")
        steps = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in written.seconds.items())
        self.stdout.write(f"  ({steps})")
        self.stdout.write(self.style.SUCCESS(f"Generated in {elapsed:.0f} s."))
