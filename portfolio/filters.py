"""The base of every FilterSet: Bootstrap widgets, and the report period (``year`` + ``month`` =
months 1..N of the year, the same "1-N月" every figure of the dashboard is computed for)."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.numbers import Period

ALL = _("全部")
MONTH_CHOICES = [(m, f"1-{m}月") for m in range(1, 13)]


def year_choices():
    from investment.selectors import plan_years

    return [(y, f"{y}年") for y in plan_years()]


class BaseFilterSet(django_filters.FilterSet):
    """Gives every widget its Bootstrap class; the template renders the form as one compact row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            # "no filter" reads 全部 rather than "---------" or 未知
            if getattr(field, "empty_label", None) is not None:  # model and django-filter choice fields
                field.empty_label = ALL
                field.widget.choices = field.choices  # the widget's copy still reads the class's field
            elif isinstance(field, forms.ChoiceField):
                field.choices = [(v, ALL if v in ("", None) else label) for v, label in field.choices]
            elif isinstance(field, forms.NullBooleanField):
                widget.choices = [(v, ALL if v == "unknown" else label) for v, label in widget.choices]
            if isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


class PeriodFilterSet(BaseFilterSet):
    """Adds ``year`` and ``month``: records dated (``period_field``) within months 1..N of the
    year; the year alone means the whole year. Subclasses with another notion of "in the period"
    override ``filter_period``."""

    year = django_filters.TypedChoiceFilter(label=_("年度"), choices=year_choices, coerce=int, method="noop")
    month = django_filters.TypedChoiceFilter(label=_("截至月份"), choices=MONTH_CHOICES, coerce=int, method="noop")

    period_field = None

    def noop(self, queryset, name, value):
        return queryset

    @property
    def period(self):
        data = getattr(self.form, "cleaned_data", {}) or {}
        year = data.get("year")
        return Period(int(year), int(data.get("month") or 12)) if year else None

    def filter_period(self, queryset, period):
        if not self.period_field:
            return queryset
        return queryset.filter(**{f"{self.period_field}__range": (period.start, period.end)})

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.period is not None:
            queryset = self.filter_period(queryset, self.period)
        return queryset
