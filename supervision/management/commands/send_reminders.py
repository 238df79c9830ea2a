"""Send the day's reminders (月报未填报, 节点临期/逾期, 督办临期/超期) to the inbox and by e-mail.
Run daily from cron or a systemd timer (README); running it twice in a day sends nothing twice."""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from supervision import reminders
from supervision.models import NotificationKind


class Command(BaseCommand):
    help = "发送当日提醒（月报未填报、节点临期/逾期、督办临期/超期）；同一天重复运行不会重复发送。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期发送（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"日期“{date}”无效，应为 YYYY-MM-DD。")
            if not dt.date(2000, 1, 1) <= today <= dt.date(2100, 12, 31):  # the horizons add days to it
                raise CommandError(f"日期“{date}”超出范围，应在2000年至2100年之间。")
        else:
            today = timezone.localdate()
        sent = reminders.run(today)
        labels = dict(NotificationKind.choices)
        for kind, n in sorted(sent.items()):
            self.stdout.write(f"{labels[kind]}：{n}")
        self.stdout.write(f"{today.isoformat()} 共发送 {sum(sent.values())} 条提醒。")
