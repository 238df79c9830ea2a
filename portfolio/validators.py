"""Checks on values that every app uses (the ground floor: knows no app)."""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .period import MAX_YEAR, MIN_YEAR, in_years

MAX_ID = 2**31 - 1
"""The largest id a request may name: the top of a 32-bit integer column (the users' ids; the
other tables' 64-bit ids stay far below it). A larger id names no row, and past 64 bits SQLite
overflows inside the lookup (a 500); in an ``__in`` lookup PostgreSQL refuses past 32 bits."""


def parse_id(value):
    """The id of a row as a query or form parameter carries it (``?project=12``) → int, or None
    when the text cannot be one: "", "0", "-1", "1.0", " 1", "²" or "١" (digits to ``isdigit``
    or ``int``, not ASCII), or a number past ``MAX_ID``. Callers treat None as "no such row"."""
    value = "" if value is None else str(value)
    if not (value.isascii() and value.isdecimal()) or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def _years_message(instance, name):
    return _("%(label)s须在%(min)s年至%(max)s年之间。") % {
        "label": instance._meta.get_field(name).verbose_name, "min": MIN_YEAR, "max": MAX_YEAR}


def _outside_years(value):
    return value is not None and not in_years(value.year)


def refuse_dates_outside_years(instance, *field_names):
    """A date the product keeps lies in the years it reports, ``portfolio.period.MIN_YEAR`` to
    ``MAX_YEAR``: 0001-01-01 or 9999-12-31 is a slip (a node never overdue, a permit no period
    counts) — one Chinese message per such field."""
    errors = {name: _years_message(instance, name) for name in field_names
              if _outside_years(getattr(instance, name))}
    if errors:
        raise ValidationError(errors)


def refuse_future_dates(instance, *field_names):
    """A record of something that has happened cannot be dated after today (the local date), nor
    before the product's years (``refuse_dates_outside_years``): one Chinese message per such field."""
    today = timezone.localdate()
    errors = {}
    for name in field_names:
        value = getattr(instance, name)
        if _outside_years(value) and value < today:
            errors[name] = _years_message(instance, name)
        elif value is not None and value > today:
            label = instance._meta.get_field(name).verbose_name
            errors[name] = _("%(label)s不能晚于今天（%(today)s）：记录的是已经发生的事。") % {
                "label": label, "today": today.isoformat()}
    if errors:
        raise ValidationError(errors)


def month_constraint(name):
    """A ``month`` column holds 1..12: the database refuses anything else, with the message the
    forms give (``Model.validate_constraints`` shows it beside the field)."""
    return models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name=name,
                                  violation_error_message=gettext_lazy("月份必须在1到12之间。"))
