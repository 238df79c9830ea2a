"""FilterSets of the project list and the milestone list."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.filters import PeriodFilterSet, yes_or_no
from portfolio.rag import Rag

from .models import Area, Milestone, Phase, PlanCategory
from .selectors import (early_start_kind_q, early_starts, land_batch_projects, overdue_q,
                        preliminary_done)

EARLY_START_CHOICES = [("all", _("全部提前开工")), ("new", _("新建")), ("to_implementation", _("预备转实施")),
                       ("unplanned", _("计划外"))]


def project_search_q(prefix, value, also=()):
    """The project's code or name (through ``prefix``), or one of the fields ``also``, contains ``value``."""
    q = Q(**{f"{prefix}code__icontains": value}) | Q(**{f"{prefix}name__icontains": value})
    for name in also:
        q |= Q(**{f"{name}__icontains": value})
    return q


class ProjectSearchFilter(django_filters.CharFilter):
    """The ``q`` box of every list: text search on the project's code or name (``prefix``: the path
    from the listed record to its project), or one of the record's own fields ``also`` (标段, 合同号).
    ``many``: the record has many projects; it is matched in a subquery, so it is listed once."""

    def __init__(self, *, prefix="project__", also=(), many=False, label=_("项目代码/名称"), **kwargs):
        super().__init__(label=label, **kwargs)
        self.prefix, self.also, self.many = prefix, tuple(also), many

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        matching = project_search_q(self.prefix, value, self.also)
        if self.many:
            return qs.filter(pk__in=qs.model._default_manager.filter(matching).values("pk"))
        return qs.filter(matching)


def area_filter(prefix="project__", **kwargs):
    """The 片区 choice of a list (``prefix``: the path from the listed record to its project)."""
    return django_filters.ModelChoiceFilter(label=_("片区"), field_name=f"{prefix}area", queryset=Area.objects.all(),
                                            **kwargs)


def finish_year_filter():
    """Projects due to finish in a year (e.g. the 23 projects to complete in 2021 and their node plans)."""
    return django_filters.NumberFilter(label=_("计划完工年度"), field_name="project__planned_finish__year",
                                       min_value=2000, max_value=2100)


class ProjectFilterSet(PeriodFilterSet):
    """Filters the year's plan entries (``portfolio.selectors.project_rows``). ``year`` and
    ``month`` choose the period the rows are computed for (the view reads them), so they do not
    filter here."""

    q = ProjectSearchFilter(label=_("代码/名称"))
    area = area_filter()
    category = django_filters.ChoiceFilter(label=_("年初类别"), choices=PlanCategory.choices)
    current_category = django_filters.ChoiceFilter(label=_("当前类别"), choices=PlanCategory.choices)
    municipal_key = django_filters.BooleanFilter(label=_("市重大"), field_name="is_municipal_key")
    phase = django_filters.ChoiceFilter(label=_("阶段"), field_name="current_phase", choices=Phase.choices)
    rag = django_filters.ChoiceFilter(label=_("亮灯"), choices=Rag.choices)
    unplanned = django_filters.BooleanFilter(label=_("计划外"))
    finish_year = finish_year_filter()
    # the records behind the report's figures (portfolio.figures links to them)
    early_start = django_filters.ChoiceFilter(label=_("提前开工"), choices=EARLY_START_CHOICES, method="filter_early_start")
    land_batch = django_filters.BooleanFilter(label=_("已用地报批"), method="filter_land_batch")
    preliminary_done = django_filters.BooleanFilter(label=_("本年完成前期"), method="filter_preliminary_done")

    class Meta:
        fields = []

    def filter_early_start(self, queryset, name, value):
        """Early starts of the period (``early_starts``), all or one kind (``early_start_kind``)."""
        if not value or self.period is None:
            return queryset
        queryset = queryset.filter(pk__in=early_starts(period=self.period).values("pk"))
        return queryset if value == "all" else queryset.filter(early_start_kind_q(value))

    def filter_land_batch(self, queryset, name, value):
        if value is None or self.period is None:
            return queryset
        return yes_or_no(queryset, value, Q(project__in=land_batch_projects(period=self.period).values("pk")))

    def filter_preliminary_done(self, queryset, name, value):
        if value is None or self.period is None:
            return queryset
        return yes_or_no(queryset, value, Q(project__in=preliminary_done(period=self.period).values("pk")))


class MilestoneFilterSet(PeriodFilterSet):
    """Narrows ``projects.selectors.milestones_in_period``; ``overdue`` keeps those overdue at the
    period's end (``projects.selectors.overdue_q``)."""

    q = ProjectSearchFilter()
    area = area_filter()
    overdue = django_filters.BooleanFilter(label=_("期末逾期"), method="filter_overdue")
    done = django_filters.BooleanFilter(label=_("已完成"), field_name="done_on", lookup_expr="isnull", exclude=True)
    finish_year = finish_year_filter()

    class Meta:
        model = Milestone
        fields = []

    def filter_overdue(self, queryset, name, value):
        if value is None or self.period is None:
            return queryset
        return yes_or_no(queryset, value, overdue_q(self.period.end))
