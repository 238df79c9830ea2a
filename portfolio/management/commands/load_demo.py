"""Load the 2020 data set (fixtures/demo_2020.json), then build 2021 on it through the product's
services (portfolio/demo_2021.py). Safe to run again: the 2020 rows are keyed by pk, and the 2021
steps skip what is done. ``--year 2020`` loads the 2020 data set alone."""
from django.conf import settings
from django.core.management import BaseCommand, call_command

from contracts import demo as contracts_demo
from evidence import demo as evidence_demo
from investment.rollups import deferred_rollups
from opendata import demo as opendata_demo
from ranking import demo as ranking_demo
from django.db import transaction

FIXTURE = settings.BASE_DIR / "fixtures" / "demo_2020.json"


class Command(BaseCommand):
    help = "载入2020年演示数据并生成2021年计划及1-3月进度（可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, choices=[2020, 2021], default=2021,
                            help="载入到哪一年（2020：只载入2020年数据）")

    def handle(self, *args, year, **options):
        with transaction.atomic():
            with deferred_rollups():  # the monthly sums' rows written once, not per record saved
                call_command("loaddata", str(FIXTURE), verbosity=0)
            contracts_demo.load()  # 2020's contracts, payments and statistics ledger (contracts.demo)
            ranking_demo.load()  # the 红黑榜's one exemption (ranking.demo); the rankings are computed
            evidence_demo.load()  # photos, key personnel, inspections, the 芙蓉奖 (evidence.demo; files in MEDIA_ROOT)
            opendata_demo.load()  # the 2020 plan's projects marked publishable as open data (opendata.demo)
        self.stdout.write(self.style.SUCCESS(f"已载入 {FIXTURE.name}"))
        if year >= 2021:
            from portfolio.demo_2021 import load_2021

            load_2021(stdout=self.stdout)
