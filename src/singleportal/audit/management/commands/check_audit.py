from django.core.management.base import BaseCommand, CommandError

from singleportal.audit.chain import verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and name the first broken entry."

    def handle(self, *args: object, **options: object) -> None:
        report = verify()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at entry #{report.broken_at}: {report.reason} "
                f"({report.checked} entries before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} entries."))
