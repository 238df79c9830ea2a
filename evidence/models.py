"""Site evidence and after-award supervision (标后监管): progress photos (形象进度照片), the key
personnel of contractors and supervisors with their monthly attendance, quality/safety/文明施工
inspections with findings to rectify, and awards (芙蓉奖 …).

Every file is a ``Photo``: a progress photo of a project's month, or the evidence of a finding's
rectification. Files are written only by ``evidence.services`` after ``evidence.images`` has
checked and re-encoded them, and are read only through the login-checked file view.
"""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.validators import month_constraint, refuse_future_dates
from projects.models import Organisation, Project


class PhotoKind(models.TextChoices):
    PROGRESS = "progress", _("形象进度")
    RECTIFICATION = "rectification", _("整改证据")


def _photo_path(instance, filename):
    # a random name: the user's file name never reaches the storage
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"evidence/{instance.project_id}/{instance.year}-{instance.month:02d}/{uuid.uuid4().hex}.{ext}"


def _thumb_path(instance, filename):
    return f"evidence/{instance.project_id}/{instance.year}-{instance.month:02d}/thumbs/{uuid.uuid4().hex}.jpg"


class Photo(models.Model):
    """One re-encoded image (nothing but its pixels survives) and its thumbnail. ``taken_at`` and
    ``latitude``/``longitude`` are read from the upload's EXIF before it is stripped."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="photos", verbose_name=_("项目"))
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    kind = models.CharField(_("类型"), max_length=20, choices=PhotoKind.choices, default=PhotoKind.PROGRESS)
    image = models.FileField(_("图片"), upload_to=_photo_path, max_length=200)
    thumbnail = models.FileField(_("缩略图"), upload_to=_thumb_path, max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=20)
    width = models.PositiveIntegerField(_("宽"))
    height = models.PositiveIntegerField(_("高"))
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month", "taken_at", "id"]
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        indexes = [models.Index(fields=["project", "year", "month", "kind"], name="photo_project_month")]
        constraints = [
            month_constraint("photo_month_valid"),
            models.CheckConstraint(condition=Q(latitude__gte=-90, latitude__lte=90) | Q(latitude__isnull=True),
                                   name="photo_latitude_valid", violation_error_message=_("纬度无效。")),
            models.CheckConstraint(condition=Q(longitude__gte=-180, longitude__lte=180) | Q(longitude__isnull=True),
                                   name="photo_longitude_valid", violation_error_message=_("经度无效。")),
        ]

    def __str__(self):
        return f"{self.project} {self.year}年{self.month}月 {self.get_kind_display()}"


class Post(models.TextChoices):
    """Key posts (关键岗位): the contractor's three and the supervisor's two."""

    PROJECT_MANAGER = "project_manager", _("项目经理")
    TECHNICAL_LEAD = "technical_lead", _("技术负责人")
    SAFETY_OFFICER = "safety_officer", _("安全员")
    CHIEF_SUPERVISOR = "chief_supervisor", _("总监理工程师")
    SUPERVISING_ENGINEER = "supervising_engineer", _("专业监理工程师")

    @classmethod
    def side(cls, post):
        """施工 or 监理: who employs the post."""
        return "supervisor" if post in (cls.CHIEF_SUPERVISOR, cls.SUPERVISING_ENGINEER) else "contractor"


class KeyPerson(models.Model):
    """A person in a key post of a project's contractor or supervisor."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="key_people", verbose_name=_("项目"))
    organisation = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("单位"))
    post = models.CharField(_("岗位"), max_length=30, choices=Post.choices)
    name = models.CharField(_("姓名"), max_length=50)
    certificate_no = models.CharField(_("证书编号"), max_length=60, blank=True)

    class Meta:
        ordering = ["project", "post", "name"]
        verbose_name = _("关键岗位人员")
        verbose_name_plural = _("关键岗位人员")
        constraints = [
            models.UniqueConstraint(fields=["project", "post", "name"], name="one_key_person_per_post_and_name",
                                    violation_error_message=_("该项目该岗位已有同名人员。")),
        ]

    def __str__(self):
        return f"{self.get_post_display()} {self.name}"


class Attendance(models.Model):
    """Days a key person was on site in a month (entered or imported from the attendance system)."""

    person = models.ForeignKey(KeyPerson, models.CASCADE, related_name="attendance", verbose_name=_("人员"))
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    days_present = models.PositiveSmallIntegerField(_("出勤天数"), validators=[MaxValueValidator(31)])

    class Meta:
        ordering = ["year", "month"]
        verbose_name = _("考勤")
        verbose_name_plural = _("考勤")
        constraints = [
            models.UniqueConstraint(fields=["person", "year", "month"], name="one_attendance_per_person_month",
                                    violation_error_message=_("该人员本月已有考勤记录。")),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12, days_present__lte=31),
                                   name="attendance_values_valid",
                                   violation_error_message=_("月份或出勤天数无效。")),
        ]


class PostThreshold(models.Model):
    """The administrator's minimum on-site rate per post (a post without a row uses
    ``evidence.selectors.DEFAULT_THRESHOLD``)."""

    post = models.CharField(_("岗位"), max_length=30, choices=Post.choices, unique=True)
    minimum_percent = models.PositiveSmallIntegerField(_("最低到岗率（%）"),
                                                       validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        verbose_name = _("到岗率要求")
        verbose_name_plural = _("到岗率要求")
        constraints = [models.CheckConstraint(condition=Q(minimum_percent__lte=100), name="threshold_percent_valid",
                                              violation_error_message=_("到岗率要求须在0到100之间。"))]

    def __str__(self):
        return f"{self.get_post_display()} ≥ {self.minimum_percent}%"


class InspectionKind(models.TextChoices):
    QUALITY = "quality", _("质量")
    SAFETY = "safety", _("安全")
    CIVILISED = "civilised", _("文明施工")


class Inspection(models.Model):
    project = models.ForeignKey(Project, models.CASCADE, related_name="inspections", verbose_name=_("项目"))
    kind = models.CharField(_("检查类型"), max_length=20, choices=InspectionKind.choices)
    inspected_on = models.DateField(_("检查日期"))
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="inspections",
                                        verbose_name=_("检查人"))
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("检查")
        verbose_name_plural = _("检查")

    def __str__(self):
        return f"{self.project} {self.inspected_on} {self.get_kind_display()}检查"


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    MAJOR = "major", _("较重")
    SEVERE = "severe", _("严重")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    SUBMITTED = "submitted", _("待验收")
    CLOSED = "closed", _("已销项")


class Finding(models.Model):
    """A problem found by an inspection, to be rectified by its deadline. The contractor side
    submits a photo of the fix (``evidence``); it closes only when an inspector accepts it."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="findings", verbose_name=_("检查"))
    description = models.CharField(_("问题"), max_length=500)
    severity = models.CharField(_("严重程度"), max_length=20, choices=Severity.choices, default=Severity.MINOR)
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    # RESTRICT, not SET_NULL: a closed finding must keep its photo and its acceptor (the constraint
    # below), so deleting either alone is refused instead of failing inside the database (deleting
    # the whole project still takes its findings and photos together)
    evidence = models.ForeignKey(Photo, models.RESTRICT, null=True, blank=True, related_name="+",
                                 verbose_name=_("整改照片"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("提交人"))
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.RESTRICT, null=True, blank=True,
                                    related_name="+", verbose_name=_("验收人"))
    closed_on = models.DateField(_("销项日期"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("检查问题")
        verbose_name_plural = _("检查问题")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=FindingStatus.CLOSED)
                | Q(evidence__isnull=False, accepted_by__isnull=False, closed_on__isnull=False),
                name="finding_closed_with_accepted_evidence",
                violation_error_message=_("问题须有整改照片并经检查人验收后才能销项。")),
        ]

    def __str__(self):
        return self.description


class Award(models.Model):
    """An award a project won (芙蓉奖 …)."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="awards", verbose_name=_("项目"))
    name = models.CharField(_("奖项"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))
    awarded_on = models.DateField(_("获奖日期"), null=True, blank=True)
    issuer = models.CharField(_("颁发单位"), max_length=100, blank=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("获奖")
        verbose_name_plural = _("获奖")
        constraints = [models.UniqueConstraint(fields=["project", "name", "year"], name="one_award_per_project_year",
                                               violation_error_message=_("该项目该年度已登记此奖项。"))]

    def __str__(self):
        return f"{self.year}年度{self.name}"

    def clean(self):
        refuse_future_dates(self, "awarded_on")
        this_year = timezone.localdate().year
        if self.year is not None and not 2000 <= self.year <= this_year:
            raise ValidationError({"year": _("年度应在2000年至%(y)s年之间。") % {"y": this_year}})
        if self.year is not None and self.awarded_on is not None and self.awarded_on.year != self.year:
            raise ValidationError({"awarded_on": _("获奖日期应在%(y)s年度内。") % {"y": self.year}})
