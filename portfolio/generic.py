"""One generic list view for every browsable record list (NetBox style): a list page is pure
configuration — a selector for the queryset, a FilterSet, a Table — on ``ObjectListView``.

    class TenderListView(ObjectListView):
        selector = staticmethod(procurement_selectors.tenders_in_period)
        filterset_class = TenderFilterSet
        table_class = TenderTable
        title = _("招标采购")

With ``record_type`` (the slug of a record type of ``records.registry``, which builds the record
lists from its entries: ``records.lists``) the page also offers 新增 and, on each row the user may
change, 修改 — both returning to the list as it was filtered.

What the page shows — filtered by the FilterSet, sorted as the table is sorted — is
``get_filtered_queryset()`` (all pages), so an export of the list writes exactly what the user sees.
A table with ``total_columns`` gets a 合计 footer summed over that same queryset (all pages, one
aggregate: ``portfolio.tables.column_totals``); the export ends with the same 合计 row.
"""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseBadRequest, QueryDict
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from projects.permissions import editable_projects, is_admin

from .exports import ListExportMixin
from .period import request_period
from .tables import EditColumn, column_totals

PER_PAGE_CHOICES = (25, 50, 100, 200)


class ObjectListView(LoginRequiredMixin, ListExportMixin, SingleTableMixin, FilterView):
    """A filtered, sortable, paginated table of records with a column chooser.

    Configure: ``selector`` (callable returning the base QuerySet; receives
    ``get_selector_kwargs()``), ``filterset_class``, ``table_class``, ``title``, optionally
    ``description`` and ``template_name`` (a template extending ``generic/object_list.html``).
    URL parameters: the FilterSet's fields, ``sort`` (table column, ``-`` for descending),
    ``page``, ``per_page`` and ``columns`` (repeatable; the columns shown).
    """

    template_name = "generic/object_list.html"
    selector = None
    record_type = None
    title = ""
    description = ""
    table_pagination = {"per_page": 50}
    paginate_by = None  # the table paginates; ListView must not slice the queryset a second time

    uses_period = True
    """The selector takes ``period`` (``<records>_in_period``); the FilterSet shows it."""

    @cached_property
    def period_choice(self):
        return request_period(self.request)

    @property
    def period(self):
        return self.period_choice.period

    def get_selector_kwargs(self):
        return {"period": self.period} if self.uses_period else {}

    def get_queryset(self):
        return self.selector(**self.get_selector_kwargs())

    def get_table_pagination(self, table):
        per_page = self.request.GET.get("per_page", "")
        if per_page.isdecimal() and int(per_page) in PER_PAGE_CHOICES:
            return {**self.table_pagination, "per_page": int(per_page)}
        if "per_page" in self.request.GET:
            # django-tables2 would take any integer from the query itself (-5: a 500)
            query = self.request.GET.copy()
            del query["per_page"]
            self.request.GET = query
        return self.table_pagination

    def get_table_kwargs(self):
        return {"columns": self.request.GET.getlist("columns")}

    @cached_property
    def editable_project_ids(self):
        """None for an administrator (every record), else the ids of the user's projects."""
        if self.record_type is None or is_admin(self.request.user):
            return None
        return set(editable_projects(self.request.user).values_list("pk", flat=True))

    def may_add(self):
        return self.record_type is not None and (self.editable_project_ids is None or bool(self.editable_project_ids))

    def get_table(self, **kwargs):
        """The page's table; with a record type, a 修改 column on the rows the user may change."""
        if self.may_add():
            column = EditColumn(f"records:{self.record_type}_edit", self.request.get_full_path(),
                                self.editable_project_ids)
            kwargs["extra_columns"] = [*kwargs.get("extra_columns", []), ("edit", column)]
        table = super().get_table(**kwargs)
        if table.total_columns:
            table.set_totals(self.get_totals())
        return table

    def get_totals(self):
        """The 合计 of the table's ``total_columns`` over every row the filter keeps (all pages)."""
        return column_totals(self.filtered_object_list(), self.get_table_class())

    def get_filterset_kwargs(self, filterset_class):
        """The request's filters, with the period the rows are for in ``year`` and ``month``."""
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        if self.uses_period:
            data = kwargs["data"].copy() if kwargs["data"] is not None else QueryDict(mutable=True)
            data["year"], data["month"] = str(self.period.year), str(self.period.month)
            kwargs["data"] = data
            kwargs["period"] = self.period
        return kwargs

    def filtered_object_list(self):
        """The FilterSet's result (empty when the filter input is invalid)."""
        if not hasattr(self, "object_list"):
            self.filterset = self.get_filterset(self.get_filterset_class())
            valid = not self.filterset.is_bound or self.filterset.is_valid()
            self.object_list = self.filterset.qs if valid else self.filterset.queryset.none()
        return self.object_list

    def get_filtered_queryset(self):
        """All rows the page shows, filtered and sorted as on screen, across pages."""
        table = self.get_table_class()(self.filtered_object_list(), **self.get_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)
        return table.data.data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for key in ("page", "columns"):
            query.pop(key, None)
        context.update(
            title=self.title, description=self.description, per_page_choices=PER_PAGE_CHOICES,
            period=self.period if self.uses_period else None,
            period_choice=self.period_choice if self.uses_period else None,
            query_without_columns=query.urlencode(),
            add_url=reverse(f"records:{self.record_type}_add") if self.may_add() else None,
        )
        return context


class PeriodDownloadView(LoginRequiredMixin, View):
    """A document of the district for one month (``?year=&month=``, ``request_period``): a bad
    year or month answers 400 with the reason in Chinese, no month data at all 404; otherwise
    ``download(period)`` returns the response. Every signed-in user reads every figure
    (projects.permissions), so the document is the same for all of them."""

    def download(self, period):
        raise NotImplementedError

    def get(self, request):
        choice = request_period(request)
        if choice.errors:
            return HttpResponseBadRequest(f"{_('年度或月份有误')}：{''.join(choice.errors)}".encode(),
                                          content_type="text/plain; charset=utf-8")
        if choice.empty:
            raise Http404(_("尚无任何月度进度数据。"))
        return self.download(choice.period)
