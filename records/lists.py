"""A record type's list page, built from its registry entry: the app's ``<records>_in_period``
selector, FilterSet and Table on the generic ``portfolio.generic.ObjectListView``, at the URL (and
URL name) the list has always had. A new record type's list is one ``RecordList`` — no view class,
no line in a ``urls.py``.

    RecordList(selector=procurement_selectors.tenders_in_period, filterset=TenderFilterSet,
               table=TenderTable, title=_("招标采购"), path="tenders/", name="procurement:tenders")

``name`` is ``"<namespace>:<name>"`` (mounted under the namespace's prefix by the root URLconf,
``records.lists.urlpatterns(namespace)``) or a bare name mounted at the root.
"""
from dataclasses import dataclass, field
from typing import Callable

from django.urls import path as url_path

from portfolio.generic import ObjectListView


@dataclass
class RecordList:
    selector: Callable
    filterset: type
    table: type
    title: str
    path: str
    name: str
    description: str = ""
    template_name: str = "generic/object_list.html"
    table_kwargs: Callable | None = None
    """``table_kwargs(view)``: more keyword arguments for the table (节点计划: ``as_of``)."""
    context: Callable | None = None
    """``context(view)``: more template context (许可证: the lead times against the previous year)."""
    extra: dict = field(default_factory=dict)

    @property
    def namespace(self):
        return self.name.split(":")[0] if ":" in self.name else None

    @property
    def local_name(self):
        return self.name.split(":")[-1]


class RecordListView(ObjectListView):
    """The list page of one record type (``record_list`` set by ``view_for``)."""

    record_list: RecordList = None

    def get_table_kwargs(self):
        kwargs = super().get_table_kwargs()
        if self.record_list.table_kwargs:
            kwargs.update(self.record_list.table_kwargs(self))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.record_list.context:
            context.update(self.record_list.context(self))
        return context


def view_for(record_type):
    """The list view class of a record type; a subclass with ``model`` set, so URL walkers and
    tests see the model."""
    spec = record_type.list
    attrs = {
        "record_list": spec, "model": record_type.model, "record_type": record_type.slug,
        "selector": staticmethod(spec.selector), "filterset_class": spec.filterset,
        "table_class": spec.table, "title": spec.title, "description": spec.description,
        "template_name": spec.template_name, **spec.extra,
    }
    return type(f"{record_type.model.__name__}ListView", (RecordListView,), attrs)


def urlpatterns(namespace=None):
    """The list pages of the registered record types in ``namespace`` (None: names at the root)."""
    from .registry import REGISTRY

    return [url_path(rt.list.path, view_for(rt).as_view(), name=rt.list.local_name)
            for rt in REGISTRY if rt.list is not None and rt.list.namespace == namespace]


def included(namespace, patterns=()):
    """``include()``'s argument for an app namespace: its own pages plus its record lists."""
    return [*patterns, *urlpatterns(namespace)], namespace
