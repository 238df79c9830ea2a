"""Writing evidence: photos (checked and re-encoded by ``evidence.images`` first, all files of an
upload or none), key personnel and attendance, inspections and their findings, awards. Every
service validates (``full_clean``), runs in a transaction and raises ``ValidationError`` with a
Chinese message."""
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio.period import MAX_YEAR, MIN_YEAR
from projects.permissions import can_edit_project, can_inspect, is_admin

from .images import RefusedImage, clean_image
from .models import Attendance, Finding, FindingStatus, Inspection, Photo, PhotoKind

MAX_FILES = 20


def check_period(year, month):
    """A photo or attendance month exists and is not in the future."""
    today = timezone.localdate()
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError(_("年度或月份无效。"))
    if (year, month) > (today.year, today.month):
        raise ValidationError(_("不能为未来月份（%(y)s年%(m)s月）录入。") % {"y": year, "m": month})


def _store(photo, clean):
    photo.content_type, photo.width, photo.height = clean.content_type, clean.width, clean.height
    photo.taken_at, photo.latitude, photo.longitude = clean.taken_at, clean.latitude, clean.longitude
    photo.image.save(f"photo.{clean.extension}", ContentFile(clean.content), save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(clean.thumbnail), save=False)
    photo.full_clean()
    photo.save()
    return photo


def photos_add(*, project, year, month, uploads, user, kind=PhotoKind.PROGRESS, caption="", taken_from=None):
    """Adds the uploaded files as photos of the project's month: every file is checked first (a
    photo taken before ``taken_from`` — (day, why), by default the month's first day — is refused:
    it shows an earlier site); if any is refused nothing is stored and ``ValidationError`` lists
    each refused file by name."""
    check_period(year, month)
    if not uploads:
        raise ValidationError(_("请选择要上传的照片。"))
    if len(uploads) > MAX_FILES:
        raise ValidationError(_("一次最多上传 %(n)s 张照片。") % {"n": MAX_FILES})
    cleaned, errors = [], []
    earliest, why = taken_from or (dt.date(year, month, 1), _("早于%(y)s年%(m)s月，不能作为本月的形象进度照片")
                                   % {"y": year, "m": month})
    for upload in uploads:
        name = (upload.name or "")[:100]
        try:
            clean = clean_image(upload)
        except RefusedImage as refused:
            errors.append(_("%(name)s：%(message)s") % {"name": name, "message": refused.message})
            continue
        taken = timezone.localtime(clean.taken_at).date() if clean.taken_at else None
        if taken and taken < earliest:
            # last month's photo shows last month's site: it does not back this month's progress
            errors.append(_("%(name)s：拍摄于%(taken)s，%(why)s。") % {"name": name, "taken": taken.isoformat(), "why": why})
            continue
        cleaned.append((name, clean))
    if errors:
        raise ValidationError(errors)
    written = []
    try:
        with transaction.atomic():
            for name, clean in cleaned:
                photo = Photo(project=project, year=year, month=month, kind=kind, original_name=name,
                              caption=caption[:200], uploaded_by=user)
                written.append(photo)
                _store(photo, clean)
    except Exception:
        for photo in written:  # the rows rolled back: their files go too
            for f in (photo.image, photo.thumbnail):
                if f.name:
                    f.storage.delete(f.name)
        raise
    return written


def photo_delete(*, photo, user):
    if not can_edit_project(user, photo.project):
        raise PermissionDenied
    finding = Finding.objects.filter(evidence=photo).first()
    if finding is not None:  # the record of a fix (accepted or awaiting acceptance) stays with its photo
        raise ValidationError(_("该照片是检查问题“%(f)s”（%(s)s）的整改照片，不能删除。")
                              % {"f": finding.description[:40], "s": finding.get_status_display()})
    names = [(f.storage, f.name) for f in (photo.image, photo.thumbnail) if f.name]
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


# --- key personnel and attendance ---------------------------------------------------------------

def key_person_save(*, person):
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def attendance_set(*, year, month, days_by_person):
    """Sets the month's days present for each person (``{KeyPerson: days}``; None removes the
    month's row). Checked all first: days cannot exceed the month's calendar days."""
    import calendar

    check_period(year, month)
    last_day = calendar.monthrange(year, month)[1]
    errors = {}
    for person, days in days_by_person.items():
        if days is not None and not 0 <= days <= last_day:
            errors[person.pk] = _("出勤天数须在0到%(n)s之间。") % {"n": last_day}
    if errors:
        raise ValidationError(errors)
    for person, days in days_by_person.items():
        if days is None:
            Attendance.objects.filter(person=person, year=year, month=month).delete()
        else:
            Attendance.objects.update_or_create(person=person, year=year, month=month,
                                                defaults={"days_present": days})


# --- inspections and findings --------------------------------------------------------------------

@transaction.atomic
def inspection_create(*, project, kind, inspected_on, inspectors, note="", findings=()):
    """An inspection with its findings (dicts of description, severity, deadline)."""
    inspection = Inspection(project=project, kind=kind, inspected_on=inspected_on, note=note)
    inspection.full_clean()
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("检查日期不能晚于今天。")})
    if inspected_on.year < MIN_YEAR:
        raise ValidationError({"inspected_on": _("检查日期不能早于%(y)s年。") % {"y": MIN_YEAR}})
    if not inspectors:
        raise ValidationError({"inspectors": _("请至少选择一名检查人。")})
    not_inspectors = [str(user) for user in inspectors if not can_inspect(user)]
    if not_inspectors:
        raise ValidationError({"inspectors": _("%(names)s不能作为检查人：检查人须为录入员或管理员（检查人负责验收整改）。")
                                             % {"names": "、".join(not_inspectors)}})
    same = _same_inspection(project, kind, inspected_on, note, [f["description"] for f in findings])
    if same:  # a double click, a second tab, the browser's resend: the findings would count twice in the scores
        raise ValidationError(_("该项目%(date)s已登记相同的检查（#%(pk)s），未重复登记。")
                              % {"date": inspected_on.isoformat(), "pk": same})
    inspection.save()
    inspection.inspectors.set(inspectors)
    for data in findings:
        finding_add(inspection=inspection, **data)
    return inspection


def _same_inspection(project, kind, inspected_on, note, descriptions):
    """The id of an inspection of the project of that kind and day with the same note and findings."""
    candidates = (Inspection.objects.filter(project=project, kind=kind, inspected_on=inspected_on, note=note)
                  .prefetch_related("findings"))
    for candidate in candidates:
        if sorted(f.description for f in candidate.findings.all()) == sorted(descriptions):
            return candidate.pk
    return None


def finding_add(*, inspection, description, severity, deadline):
    finding = Finding(inspection=inspection, description=description, severity=severity, deadline=deadline)
    finding.full_clean()
    if deadline < inspection.inspected_on:
        raise ValidationError({"deadline": _("整改期限不能早于检查日期。")})
    if deadline.year > MAX_YEAR:
        raise ValidationError({"deadline": _("整改期限不能晚于%(y)s年。") % {"y": MAX_YEAR}})
    finding.save()
    return finding


def is_inspector(user, inspection):
    """The inspector side: an inspector of this inspection who may still inspect (a user named
    before losing the role accepts nothing), or an administrator."""
    return is_admin(user) or (can_inspect(user) and inspection.inspectors.filter(pk=user.pk).exists())


def finding_submit_evidence(*, finding, upload, user, today=None):
    """The contractor side (a 录入员 of the project, or an administrator) submits a photo of the
    fix; the finding then waits for an inspector's acceptance."""
    inspection = finding.inspection
    if not can_edit_project(user, inspection.project):
        raise PermissionDenied
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError(_("该问题已销项，不能再提交整改照片。"))
    today = today or timezone.localdate()
    with transaction.atomic():
        day = inspection.inspected_on  # a photo from before the inspection shows the site before the finding
        photo = photos_add(project=inspection.project, year=today.year, month=today.month, uploads=[upload],
                           user=user, kind=PhotoKind.RECTIFICATION, caption=finding.description,
                           taken_from=(day, _("早于检查日期%(d)s，不能证明已整改") % {"d": day.isoformat()}))[0]
        finding.evidence, finding.status, finding.submitted_by = photo, FindingStatus.SUBMITTED, user
        finding.full_clean()
        finding.save()
    return finding


def _finding_for_inspector(finding, user):
    """The finding, locked, for an inspector of its inspection to accept or reject its fix; else 403."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if not is_inspector(user, finding.inspection):
        raise PermissionDenied(_("只有该次检查的检查人才能验收整改。"))
    return finding


SELF_ACCEPT = _("整改照片是您本人提交的，须由该次检查的其他检查人验收。")


def _refuse_closed(finding):
    """A second tab's (or a double click's) decision on a finding already accepted says so."""
    if finding.status == FindingStatus.CLOSED:
        raise ValidationError(_("该问题已于%(date)s验收销项，不能重复验收或退回。")
                              % {"date": finding.closed_on.isoformat() if finding.closed_on else ""})


@transaction.atomic
def finding_accept(*, finding, user, today=None):
    """Closes the finding: only an inspector of its inspection other than who submitted the fix,
    only with evidence submitted."""
    finding = _finding_for_inspector(finding, user)
    _refuse_closed(finding)
    if finding.status != FindingStatus.SUBMITTED or finding.evidence_id is None:
        raise ValidationError(_("尚未提交整改照片，不能验收销项。"))
    if finding.submitted_by_id == user.pk:  # four eyes: whoever sent the fix does not accept it
        raise PermissionDenied(SELF_ACCEPT)
    finding.status, finding.accepted_by = FindingStatus.CLOSED, user
    finding.closed_on = today or timezone.localdate()
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def finding_reject(*, finding, user):
    """The inspector sends the evidence back: the finding is open again."""
    finding = _finding_for_inspector(finding, user)
    _refuse_closed(finding)
    if finding.status != FindingStatus.SUBMITTED:
        raise ValidationError(_("该问题没有待验收的整改照片。"))
    finding.status = FindingStatus.OPEN
    finding.save()
    return finding


def award_save(*, award):
    award.full_clean()
    award.save()
    return award

