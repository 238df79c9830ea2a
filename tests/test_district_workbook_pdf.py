"""The district workbook opens in LibreOffice: converted to PDF headless, its text has the
project names in Chinese and the report's figures as formatted in the sheet."""
import shutil
import subprocess

import pytest
from django.urls import reverse

from tests.xlsx import download

pytestmark = [pytest.mark.slow, pytest.mark.needs("soffice", "pdftotext"), pytest.mark.usefixtures("demo_2020")]

NAMES = ["区委党校（雷锋学院）", "高裕九年一贯制学校", "香桥小学", "长沙市一中金山桥学校", "对家塘路"]


def test_libreoffice_converts_the_workbook_to_pdf(leader_client, tmp_path):
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    response = leader_client.get(reverse("district_workbook"), {"year": 2020, "month": 12})
    xlsx = tmp_path / "district.xlsx"
    xlsx.write_bytes(download(response))
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
        check=True, timeout=180, capture_output=True,
    )
    pdf = tmp_path / "district.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")
    for name in NAMES:
        assert name in text, name
    assert "望城区重点项目投资进度（2020年1-12月）汇总" in text
    assert "147,900.00" in text and "120.4%" in text  # number formats as a reader sees them
    assert "第 1 页 共" in text  # footer page numbers
