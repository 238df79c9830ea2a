"""The base of every FilterSet: Bootstrap widgets, and the report period (``year`` + ``month`` =
months 1..N of the year, the same "1-N月" every figure of the dashboard is computed for)."""
from typing import NamedTuple

import django_filters
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext_lazy as _

from portfolio.templating import template_text


ALL = _("全部")
MONTH_CHOICES = [(m, f"1-{m}月") for m in range(1, 13)]


def narrow(queryset, filterset_path, filters):
    """``queryset`` narrowed by a FilterSet (dotted path, imported when used: a FilterSet imports
    its app's selectors) with ``filters`` (a dict or QueryDict); unchanged without filters."""
    if not filters:
        return queryset
    from django.utils.module_loading import import_string

    return import_string(filterset_path)(filters, queryset=queryset).qs


def yes_or_no(queryset, value, condition):
    """A 是/否 filter's rows: 是 keeps those meeting ``condition`` (a Q), 否 the others, no answer
    (None) every row."""
    if value is None:
        return queryset
    return queryset.filter(condition) if value else queryset.exclude(condition)


def year_choices():
    from investment.selectors import plan_years

    return [(y, f"{y}年") for y in plan_years()]


SELECT, OPTION = "django/forms/widgets/select.html", "django/forms/widgets/select_option.html"


class FilterFormRenderer(DjangoTemplates):
    """Django's form renderer, with a ``<select>`` written in Python: a list page's dropdowns (片区,
    年度, 类别, 项目 … one template include per option and per option's attributes) were about a
    tenth of its time. The same HTML as ``select.html`` / ``select_option.html`` render
    (tests/test_lists_render.py compares them); any other template as Django renders it."""

    def render(self, template_name, context, request=None):
        if template_name != SELECT:
            return super().render(template_name, context, request)
        widget = context["widget"]
        out = [f'<select name="{self._text(widget["name"])}"{self._attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{self._text(group_name)}">')
            for option in group_choices:
                if option["template_name"] != OPTION:  # a widget of its own options: Django's templates
                    return super().render(template_name, context, request)
                out.append(f'\n  <option value="{self._string(option["value"])}"{self._attrs(option["attrs"])}>'
                           f'{self._text(option["label"])}</option>\n')
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return "".join(out)

    _text = staticmethod(template_text)  # ``{{ value }}``

    @classmethod
    def _string(cls, value):
        """``{{ value|stringformat:'s' }}`` (which writes a tuple as ``str(tuple)``)."""
        text = str(value) if isinstance(value, tuple) else "%s" % value
        return cls._text(mark_safe(text) if isinstance(value, SafeData) else text)

    @classmethod
    def _attrs(cls, attrs):
        """``attrs.html``."""
        out = []
        for name, value in attrs.items():
            if value is not False:
                out.append(f" {cls._text(name)}" if value is True else f' {cls._text(name)}="{cls._string(value)}"')
        return "".join(out)


FILTER_FORM_RENDERER = FilterFormRenderer()


class BaseFilterSet(django_filters.FilterSet):
    """Gives every widget its Bootstrap class; the template renders the form as one compact row."""

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.default_renderer = FILTER_FORM_RENDERER
        return form_class

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
    """Shows ``year`` and ``month`` — the period the list is for — beside the other filters.

    They do not filter: the list's selector (``<records>_in_period(period=…)``) owns its date rule,
    and ``portfolio.generic.ObjectListView`` parses the period (``portfolio.period``) and fills these
    two fields with it, so the form always shows the period the rows are for and submitting it
    unchanged gives the same rows. The FilterSet only narrows what the selector returns."""

    year = django_filters.TypedChoiceFilter(label=_("年度"), choices=year_choices, coerce=int, method="noop",
                                            empty_value=None)
    month = django_filters.TypedChoiceFilter(label=_("截至月份"), choices=MONTH_CHOICES, coerce=int, method="noop",
                                             empty_value=None)

    def __init__(self, *args, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        if period is not None:
            year = self.form.fields["year"]
            if str(period.year) not in {str(v) for v, _label in year.choices}:
                year.choices = [(period.year, f"{period.year}年"), *year.choices]
            for name in ("year", "month"):  # no "全部": a list is always for a period
                field = self.form.fields[name]
                field.choices = [(v, label) for v, label in field.choices if v not in ("", None)]
                field.widget.choices = field.choices

    def noop(self, queryset, name, value):
        return queryset


class AppliedFilter(NamedTuple):
    label: str
    value: str
    """The value as the form shows it (南片, 续建, 是/否, the search text)."""
    names_itself: bool
    """A choice whose value is clear without its label (南片), unlike 是/否, a number or a text."""

    @property
    def short(self):
        """For a file name: 南片, 市重大-否, 代码-名称-金峰 (the writer replaces the "/")."""
        return self.value if self.names_itself else f"{self.label}-{self.value}"


def applied_filters(filterset, skip=("year", "month")):
    """The filters that narrow the list (``AppliedFilter``s, in the form's order) — e.g. 片区 南片,
    当前类别 续建, 市重大 否 — for an export's title row and file name. Empty values, an invalid
    form and the period fields (``skip``: the title says the period by itself) are left out."""
    if filterset is None or not filterset.is_bound or not filterset.is_valid():
        return []
    applied = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if name in skip or value in (None, "", [], ()):
            continue
        names_itself = False
        if isinstance(value, bool):
            shown = _("是") if value else _("否")
        elif isinstance(field, forms.ModelChoiceField):
            shown, names_itself = str(value), True
        elif isinstance(field, forms.ChoiceField):
            labels = {str(v): label for v, label in field.choices}
            shown, names_itself = labels.get(str(value), value), True
        else:
            shown = value
        text = str(shown).strip()
        if text:
            applied.append(AppliedFilter(str(field.label), text, names_itself))
    return applied

