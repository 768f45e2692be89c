from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from intake import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database (SQLite or PostgreSQL) into a file readable only by its "
        "owner, and print the file's path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=settings.BASE_DIR / "backups",
            help="Where to write the backup (default: backups/ in the project).",
        )

    def handle(self, *args, output_dir: Path, **options):
        try:
            path = backups.backup(Path(output_dir))
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
