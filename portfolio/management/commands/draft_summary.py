"""Print (or write to a file) the figures part of the year's summary for months 1..MONTH."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portfolio.numbers import Period
from portfolio.summary import draft_summary_text


class Command(BaseCommand):
    help = "起草年度工作总结的数据部分：manage.py draft_summary 2020 12 [--output 文件.txt]"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("month", type=int)
        parser.add_argument("--output", "-o", help="写入该文件（UTF-8），而不是输出到屏幕")

    def handle(self, *args, year, month, output=None, **options):
        try:
            period = Period(year, month)
        except ValueError:
            raise CommandError("月份必须在1到12之间。")
        text = draft_summary_text(period=period)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"已写入 {output}"))
        else:
            self.stdout.write(text, ending="")
