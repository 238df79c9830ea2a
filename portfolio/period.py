"""The report period of a request — the one parser every page, export and list uses.

``?year=&month=`` selects months 1..N of a year ("1-N月"); every figure is "as of" the end of
month N. The year alone means the whole year (1-12月). Without a (valid) period the default is
the latest month with progress entered, else the current month (``empty``); the page says which it shows
(``RequestPeriod.defaulted``) and why (``RequestPeriod.errors``), and never fails on bad input.
"""
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .numbers import Period

MIN_YEAR, MAX_YEAR = 2000, 2100


def in_years(year):
    """A year the product reports on (``MIN_YEAR`` to ``MAX_YEAR``): a period's, a kept date's."""
    return MIN_YEAR <= year <= MAX_YEAR


@dataclass(frozen=True)
class RequestPeriod:
    period: Period
    defaulted: bool = False
    errors: tuple = field(default=())
    empty: bool = False
    """No progress entered at all: the period is the current month, and pages say there is no data."""


def default_period():
    """The latest month with progress entered, or None on an empty database."""
    from investment.selectors import latest_period  # the apps' floor: read lazily, knows no view

    return latest_period()


def _int(value):
    value = (value or "").strip()
    if not value or len(value) > 4 or not value.isdecimal():
        return None
    return int(value)


def parse_period(params, *, default=default_period):
    """``params`` (a QueryDict or dict) → RequestPeriod. ``default``: a Period or a callable
    giving one, computed only when the parameters do not name a valid period."""
    raw_year, raw_month = params.get("year"), params.get("month")
    year, month = _int(raw_year), _int(raw_month)
    errors = []
    if raw_year not in (None, "") and (year is None or not in_years(year)):
        errors.append(_("年度“%(value)s”无效，应为%(min)s–%(max)s之间的年份。")
                      % {"value": str(raw_year)[:20], "min": MIN_YEAR, "max": MAX_YEAR})
        year = None
    if raw_month not in (None, "") and (month is None or not 1 <= month <= 12):
        errors.append(_("月份必须在1到12之间（收到“%(value)s”）。") % {"value": str(raw_month)[:20]})
        month = None
    if year is not None:
        return RequestPeriod(Period(year, month or 12), errors=tuple(errors))
    chosen = default() if callable(default) else default
    if chosen is None:
        today = timezone.localdate()
        return RequestPeriod(Period(today.year, today.month), defaulted=True, errors=tuple(errors), empty=True)
    return RequestPeriod(chosen, defaulted=True, errors=tuple(errors))


def request_period(request, *, default=default_period):
    """The period a request asks for (see ``parse_period``)."""
    return parse_period(request.GET, default=default)
