"""Load the 2020 data set (fixtures/demo_2020.json). Safe to run again: rows are keyed by pk."""
from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction

FIXTURE = settings.BASE_DIR / "fixtures" / "demo_2020.json"


class Command(BaseCommand):
    help = "载入2020年演示数据（可重复执行）"

    def handle(self, *args, **options):
        with transaction.atomic():
            call_command("loaddata", str(FIXTURE), verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"已载入 {FIXTURE.name}"))
