"""manage.py export_oc4ids YEAR [-o FILE] [--validate]: the year's OC4IDS project package
(opendata.package) as JSON, to a file or standard output; with --validate it is checked offline
against the repository's schema and codelists (opendata.validation) and the command exits with
status 1 when there is any error, listing each in Chinese."""
import json
import sys

from django.core.management import BaseCommand, CommandError

from opendata.package import build_package
from opendata.selectors import publishable_years
from opendata.validation import validate_package


class Command(BaseCommand):
    help = "导出某年度的 OC4IDS 项目数据包（JSON），可离线校验"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="年度，如 2020")
        parser.add_argument("-o", "--output", help="写入的文件（默认输出到屏幕）")
        parser.add_argument("--validate", action="store_true", help="按仓库内的 OC4IDS 模式和代码表离线校验")
        parser.add_argument("--package", help="校验这个现有的 JSON 文件，而不是导出（与 --validate 一起用）")

    def handle(self, *args, year, output, validate, package, **options):
        if package:
            try:
                with open(package, encoding="utf-8") as handle:
                    data = json.load(handle)
            except (OSError, ValueError) as exc:
                raise CommandError(f"无法读取 {package}：{exc}") from exc
        else:
            years = publishable_years()
            if year not in years:
                raise CommandError(f"没有{year}年度的计划，可选年度：{'、'.join(map(str, years)) or '无'}。")
            data = build_package(year)
            text = json.dumps(data, ensure_ascii=False, indent=1)
            if output:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(text + "\n")
                self.stderr.write(f"已写入 {output}：{len(data['projects'])} 个项目")
            else:
                self.stdout.write(text)
        if not validate:
            return
        result = validate_package(data)
        for problem in result.errors:
            self.stderr.write(f"错误 {problem}")
        for problem in result.warnings:
            self.stderr.write(f"提示 {problem}")
        summary = f"校验（OC4IDS 0.9.5，离线）：{len(result.errors)} 个错误，{len(result.warnings)} 个提示"
        if result.errors:
            self.stderr.write(self.style.ERROR(summary))
            sys.exit(1)
        self.stderr.write(self.style.SUCCESS(summary))
