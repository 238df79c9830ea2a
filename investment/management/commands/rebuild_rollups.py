"""Rebuild the monthly-progress read model (``investment.models.ProgressRollup``) from the monthly
records, for one plan year or for every year. Idempotent: running it again writes the same rows."""
from django.core.management import BaseCommand

from investment.rollups import rebuild_rollups


class Command(BaseCommand):
    help = "按月度填报记录重建投资完成累计汇总表（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="只重建该年度（默认：全部年度）")

    def handle(self, *args, year=None, **options):
        written = rebuild_rollups(year)
        scope = f"{year}年" if year else "全部年度"
        self.stdout.write(self.style.SUCCESS(f"已重建{scope}投资完成累计：{written} 个计划项目"))
