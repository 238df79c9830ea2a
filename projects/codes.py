"""项目代码: the code of the national online approval platform (全国投资项目在线审批监管平台),
and the provisional code of a project that has none yet.

National form ``YYYY-XXXXXX-XX-XX-XXXXXX``: year of filing, the 6-digit administrative division
(望城区 430112, ``settings.DIVISION_CODE``), industry, type, serial. 预备 and 储备 projects are often
not filed yet; they carry a provisional code ``临-YYYY-NNNN`` — visibly not a national code — until
the national one is issued; replacing it is an ordinary edit, so the project's history keeps the
old code.
"""
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NATIONAL = re.compile(r"(?P<year>\d{4})-(?P<division>\d{6})-(?P<industry>\d{2})-(?P<type>\d{2})-(?P<serial>\d{6})")
PROVISIONAL = re.compile(r"临-(?P<year>\d{4})-(?P<serial>\d{4})")
PROVISIONAL_PREFIX = "临-"


def division_code():
    return str(getattr(settings, "DIVISION_CODE", "430112"))


def is_provisional(code):
    return bool(PROVISIONAL.fullmatch(code or ""))


def validate_project_code(value):
    """A national code of this division, or a provisional code; Chinese messages otherwise."""
    value = value or ""
    if PROVISIONAL.fullmatch(value):
        return
    match = NATIONAL.fullmatch(value)
    if match is None:
        raise ValidationError(
            _("项目代码“%(code)s”格式不正确：应为全国投资项目在线审批监管平台的代码"
              "“年份-行政区划-行业-类型-流水号”（如 2021-%(division)s-48-01-100001），"
              "尚未赋码的预备、储备项目用临时代码（如 临-2021-0001）。")
            % {"code": value[:60], "division": division_code()}, code="form")
    if match["division"] != division_code():
        raise ValidationError(
            _("项目代码“%(code)s”的行政区划代码为%(found)s，不是本区的%(division)s。")
            % {"code": value, "found": match["division"], "division": division_code()}, code="division")


def next_provisional_code(year, taken=()):
    """The next free provisional code of ``year`` (``taken``: codes already handed out in the
    same operation but not saved yet)."""
    from .models import Project

    prefix = f"{PROVISIONAL_PREFIX}{year}-"
    used = set(Project.objects.filter(code__startswith=prefix).values_list("code", flat=True)) | set(taken)
    serial = 1 + max((int(c[len(prefix):]) for c in used if PROVISIONAL.fullmatch(c)), default=0)
    return f"{prefix}{serial:04d}"
