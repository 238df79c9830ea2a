"""Several one-row aggregates in one SQL statement.

A selector that reads one row of aggregates (``qs.aggregate(**aggregates)``) can describe it as an
``Aggregate`` — the queryset, the aggregates and what it makes of the row — and ``run`` it alone or
``run_together`` with others: each aggregate becomes a scalar subquery of one SELECT, so a page
reading a dozen small summaries pays one round trip instead of a dozen. The definitions stay in the
selectors; only how many statements carry them changes. ``Combine`` joins several of them into one
figure (``finish`` gets ``{name: result}``).
"""
from dataclasses import dataclass
from typing import Any, Callable

from django.db.models import IntegerField, Subquery, Value


def _same(row):
    return row


@dataclass
class Aggregate:
    """``finish(queryset.aggregate(**aggregates))``, runnable alone or with others."""

    queryset: Any
    aggregates: dict
    finish: Callable = _same

    def run(self):
        return self.finish(self.queryset.order_by().aggregate(**self.aggregates))

    def columns(self, prefix):
        """Each aggregate as a scalar subquery (one row, also over no rows: no GROUP BY)."""
        qs = self.queryset.order_by().annotate(_one=Value(1, output_field=IntegerField())).values("_one")
        return {(*prefix, alias): Subquery(qs.annotate(v=expression).values("v"))
                for alias, expression in self.aggregates.items()}

    def assemble(self, values, prefix):
        return self.finish({alias: values[(*prefix, alias)] for alias in self.aggregates})


@dataclass
class Combine:
    """``finish({name: part result})`` of several specs (``Aggregate`` or ``Combine``)."""

    parts: dict
    finish: Callable = _same

    def run(self):
        return run_together({"x": self})["x"]

    def columns(self, prefix):
        return {key: column for name, spec in self.parts.items() for key, column in spec.columns((*prefix, name)).items()}

    def assemble(self, values, prefix):
        return self.finish({name: spec.assemble(values, (*prefix, name)) for name, spec in self.parts.items()})


def run_together(specs):
    """``{name: spec.run()}`` for ``{name: spec}`` in one SQL statement."""
    from django.contrib.contenttypes.models import ContentType

    columns = Combine(specs).columns(())
    if not columns:
        return {name: spec.run() for name, spec in specs.items()}
    keys = {f"c{i}": key for i, key in enumerate(columns)}
    # The host row: any table that always has rows once migrated (content types).
    row = ContentType.objects.order_by("pk").values(**{k: columns[key] for k, key in keys.items()})[:1].first()
    if row is None:
        return {name: (spec.run() if isinstance(spec, Aggregate) else spec.finish({n: s.run() for n, s in spec.parts.items()}))
                for name, spec in specs.items()}
    values = {keys[k]: v for k, v in row.items()}
    return {name: spec.assemble(values, (name,)) for name, spec in specs.items()}
