"""The demo's site evidence (``manage.py load_demo``): progress photos drawn with Pillow (a sketch
of a site with its date; nothing downloaded) for six projects under construction in October to
December 2020, key personnel with attendance (one 项目经理 below the threshold), two inspections
with findings open, waiting for acceptance and closed, and the 芙蓉奖 the report names
(湖南师大附中星城实验中学二小, 2020). Files go through the product's checked upload
(``evidence.services``) into the default storage (MEDIA_ROOT). Safe to run again: what exists is
kept."""
import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from portfolio.numbers import Period
from projects.models import Project, Role

from . import services
from .models import (Attendance, Award, Finding, FindingStatus, Inspection, InspectionKind, KeyPerson, Photo, Post,
                     Severity)
from .selectors import construction_entries

PHOTO_MONTHS = (10, 11, 12)
AWARD_PROJECT = "湖南师大附中星城实验中学二小"
AWARD = "湖南省建设工程芙蓉奖"
INSPECTOR = "jiancha"


def sketch(day, seed, storeys=None):
    """An 800×600 JPEG: sky, ground, a building rising with the month, a crane, the date."""
    image = Image.new("RGB", (800, 600), (178, 208, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 800, 600), fill=(150, 125, 95))
    storeys = storeys if storeys is not None else 2 + day.month % 10
    left = 180 + (seed % 5) * 30
    for s in range(storeys):
        top = 420 - (s + 1) * 28
        draw.rectangle((left, top, left + 300, top + 26), fill=(190, 190, 185), outline=(90, 90, 90))
        for w in range(6):
            draw.rectangle((left + 15 + w * 48, top + 7, left + 35 + w * 48, top + 19), fill=(70, 90, 110))
    draw.line((620, 420, 620, 90), fill=(230, 170, 20), width=8)
    draw.line((520, 100, 760, 100), fill=(230, 170, 20), width=6)
    draw.line((700, 100, 700, 220), fill=(60, 60, 60), width=2)
    draw.rectangle((20, 20, 300, 76), fill=(255, 255, 255))
    try:
        font = ImageFont.load_default(size=36)  # Pillow's built-in font, scalable with FreeType
    except (TypeError, OSError):
        font = ImageFont.load_default()
    draw.text((32, 28), day.isoformat(), fill=(200, 0, 0), font=font)
    exif = Image.Exif()  # as a phone writes it: the time, and a position near 望城 (invented)
    exif.get_ifd(0x8769)[0x9003] = f"{day:%Y:%m:%d} 10:{seed % 60:02d}:00"
    exif.get_ifd(0x8825).update({1: "N", 2: (28.0, 20.0 + seed % 7, 10.0), 3: "E", 4: (112.0, 48.0 + seed % 5, 30.0)})
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80, exif=exif)
    return buf.getvalue()


def _photos(projects):
    for i, project in enumerate(projects):
        for month in PHOTO_MONTHS:
            if i == len(projects) - 1 and month == 12:
                continue  # one project without a December photo: the coverage card shows it
            if Photo.objects.filter(project=project, year=2020, month=month, original_name__startswith="demo-").exists():
                continue
            uploads = [SimpleUploadedFile(f"demo-{project.pk}-{month}-{n}.jpg",
                                          sketch(dt.date(2020, month, 10 + n * 8), project.pk + n, storeys=month - 7 + n),
                                          content_type="image/jpeg") for n in range(2)]
            services.photos_add(project=project, year=2020, month=month, uploads=uploads, user=None,
                                caption="形象进度")


PEOPLE = [
    (Post.PROJECT_MANAGER, "周立新", "湘1432015201603"), (Post.TECHNICAL_LEAD, "吴海波", "湘1432016203118"),
    (Post.SAFETY_OFFICER, "郑安平", "湘建安C(2017)0102356"), (Post.CHIEF_SUPERVISOR, "冯志远", "43008123"),
    (Post.SUPERVISING_ENGINEER, "陈思远", "43011457"),
]
DAYS = {10: 15, 11: 19, 12: 21}  # of 17, 21, 23 working days


def _personnel(projects):
    for i, project in enumerate(projects):
        for post, name, certificate in PEOPLE:
            # the names are invented; the suffix keeps each project's people apart
            person, _created = KeyPerson.objects.get_or_create(
                project=project, post=post, name=f"{name[:2]}{'甲乙丙丁'[i]}" if i else name,
                defaults={"certificate_no": certificate,
                          "organisation": project.supervisor if Post.side(post) == "supervisor" else project.contractor})
            for month, days in DAYS.items():
                if i == 0 and post == Post.PROJECT_MANAGER and month == 11:
                    days = 12  # 12 of 21 working days: below the 80 % of a 项目经理
                Attendance.objects.get_or_create(person=person, year=2020, month=month, defaults={"days_present": days})


def _inspector():
    user, created = get_user_model().objects.get_or_create(
        username=INSPECTOR, defaults={"first_name": "检查组", "is_active": True})
    if created:
        user.set_unusable_password()  # `ensure_demo_users` or an administrator gives it a password
        user.save()
        user.groups.add(Group.objects.get_or_create(name=Role.STAFF)[0])
    return user


def _inspections(projects, inspector):
    project = projects[0]
    if Inspection.objects.filter(project=project, note__startswith="演示").exists():
        return
    quality = services.inspection_create(
        project=project, kind=InspectionKind.QUALITY, inspected_on=dt.date(2020, 11, 12), inspectors=[inspector],
        note="演示：主体结构质量检查", findings=[
            {"description": "二层楼板钢筋保护层垫块缺失", "severity": Severity.MAJOR, "deadline": dt.date(2020, 11, 20)},
            {"description": "进场钢筋未见复试报告", "severity": Severity.MINOR, "deadline": dt.date(2020, 11, 25)}])
    safety = services.inspection_create(
        project=project, kind=InspectionKind.SAFETY, inspected_on=dt.date(2020, 12, 8), inspectors=[inspector],
        note="演示：安全文明施工检查", findings=[
            {"description": "基坑临边防护栏杆缺失", "severity": Severity.SEVERE, "deadline": dt.date(2020, 12, 12)},
            {"description": "施工现场裸土未覆盖", "severity": Severity.MINOR, "deadline": dt.date(2021, 1, 10)}])
    fixed, waiting = quality.findings.order_by("deadline")
    for finding, day in ((fixed, dt.date(2020, 11, 18)), (waiting, dt.date(2020, 12, 2))):
        upload = SimpleUploadedFile(f"demo-fix-{finding.pk}.jpg", sketch(day, finding.pk), content_type="image/jpeg")
        services.finding_submit_evidence(finding=finding, upload=upload, user=_admin_or(inspector), today=day)
    services.finding_accept(finding=fixed, user=inspector, today=dt.date(2020, 11, 19))
    # the safety findings stay open: one overdue at the end of December
    assert Finding.objects.filter(inspection=safety, status=FindingStatus.OPEN).count() == 2


def _admin_or(inspector):
    """Who submits the demo's fixes: an administrator (may edit every project)."""
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if admin is None:
        admin, _created = get_user_model().objects.get_or_create(username="demo_contractor",
                                                                 defaults={"is_superuser": False})
        admin.set_unusable_password()
        admin.save()
        admin.groups.add(Group.objects.get_or_create(name=Role.ADMIN)[0])
    return admin


def load():
    entries = construction_entries(period=Period(2020, 12)).select_related("project").order_by("project__code")
    projects = [e.project for e in entries[:6]]
    if projects:
        _photos(projects)
        _personnel(projects[:3])
        _inspections(projects, _inspector())
    school = Project.objects.filter(name=AWARD_PROJECT).first()
    if school:
        Award.objects.get_or_create(project=school, name=AWARD, year=2020, defaults={"issuer": "湖南省住房和城乡建设厅"})
