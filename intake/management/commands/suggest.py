"""``python manage.py suggest CASE.json`` (or ``-`` for standard input).

A thin wrapper over ``intake.rules.suggest``: prints the result as JSON and
exits 0; bad input exits 2 with one line on standard error. It needs no
database, so it skips the system checks. ``--knowledge FILE`` tries an edited
copy of the knowledge file (``intake/rules/knowledge.toml``) without
installing it; a mistake in it also exits 2 with one line naming the fact.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from intake.rules import KnowledgeError, RulesInputError, load_knowledge, suggest

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Suggest muscles to assess for a case (JSON, see rules-contract.md); - reads stdin."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("case", help="path of a JSON case, or - for standard input")
        parser.add_argument(
            "--knowledge",
            metavar="FILE",
            help="an edited copy of intake/rules/knowledge.toml to use instead",
        )

    def handle(self, *args, **options):
        knowledge = None
        if options.get("knowledge"):
            try:
                knowledge = load_knowledge(options["knowledge"])
            except OSError as error:
                raise CommandError(
                    f"{options['knowledge']}: cannot read the file ({error.strerror or error})",
                    returncode=BAD_INPUT,
                ) from None
            except KnowledgeError as error:
                raise CommandError(f"knowledge: {error}", returncode=BAD_INPUT) from None
        path = options["case"]
        source = "standard input" if path == "-" else path
        try:
            if path == "-":
                stdin = sys.stdin
                raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
            else:
                with open(path, "rb") as file:
                    raw = file.read()
        except OSError as error:
            raise CommandError(
                f"{source}: cannot read the file ({error.strerror or error})", returncode=BAD_INPUT
            ) from None
        try:
            case = json.loads(raw)
        except (ValueError, RecursionError) as error:
            # JSONDecodeError and UnicodeDecodeError are both ValueErrors.
            reason = " ".join(str(error).split())
            raise CommandError(
                f"{source}: not valid JSON ({reason})", returncode=BAD_INPUT
            ) from None
        try:
            result = suggest(case, knowledge=knowledge)
        except RulesInputError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        self.stdout.write(json.dumps(result.to_dict(), indent=2, sort_keys=False))
