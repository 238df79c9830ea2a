"""The demo's site evidence (evidence.demo, run by load_demo): photos for the coverage card, one
项目经理 below the threshold, findings in every state, the 芙蓉奖; loading again adds nothing."""
import pytest
from PIL import Image

from evidence import demo
from evidence.models import Attendance, Award, Finding, KeyPerson, Photo
from evidence.selectors import evidence_coverage, personnel_month
from portfolio.numbers import Period

pytestmark = [pytest.mark.usefixtures("demo_2020"), pytest.mark.slow]  # draws and re-encodes 36 photos


def test_demo_evidence_is_complete_and_loads_once():
    demo.load()
    counts = [Photo.objects.count(), KeyPerson.objects.count(), Attendance.objects.count(), Finding.objects.count()]
    demo.load()
    assert [Photo.objects.count(), KeyPerson.objects.count(), Attendance.objects.count(),
            Finding.objects.count()] == counts == [36, 15, 45, 4]
    assert sorted(Finding.objects.values_list("status", flat=True)) == ["closed", "open", "open", "submitted"]
    december = evidence_coverage(period=Period(2020, 12))
    assert december["with_photo"] == 5 and december["missing"] >= 1
    warned = [p for p in personnel_month(period=Period(2020, 11)) if p.warning]
    assert [(p.get_post_display(), p.days_present) for p in warned] == [("项目经理", 12)]
    award = Award.objects.get()
    assert (award.project.name, award.name, award.year) == ("湖南师大附中星城实验中学二小", "湖南省建设工程芙蓉奖", 2020)
    drawn = Photo.objects.filter(kind="progress").first()
    assert Image.open(drawn.image.open("rb")).size == (800, 600) and drawn.taken_at is not None
