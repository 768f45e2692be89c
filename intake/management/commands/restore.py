from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake import backups


class Command(BaseCommand):
    help = "Replace every record in the database with a backup made by the backup command."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .sqlite3 or .dump file from `backup`.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_true",
            dest="no_input",
            help="Do not ask for confirmation (for scripts).",
        )

    def handle(self, *args, file: Path, no_input: bool, **options):
        path = Path(file)
        name = backups.database_name()
        try:
            backups.check_restorable(path)
            if backups.database_exists():
                question = f"This replaces every record in {name} with the backup."
            else:
                question = (
                    f"The database {name} does not exist yet; it will be created from the backup."
                )
            if not no_input:
                answer = input(f"{question} Type yes to continue: ")
                if answer.strip() != "yes":
                    self.stdout.write("Restore cancelled; nothing was changed.")
                    return
            backups.restore(path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {name} from {path}.")
