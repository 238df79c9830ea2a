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

from django.core.signals import setting_changed
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


_COMPILED = {}
"""``run_together``'s compiled statements by (database, key): the compiler, its SQL and parameters."""
_COMPILED_MAX = 256


def _clear_compiled(**kwargs):
    _COMPILED.clear()


setting_changed.connect(_clear_compiled)  # a test's settings may enter a statement


def run_together(specs, key=None):
    """``{name: spec.run()}`` for ``{name: spec}`` in one SQL statement.

    ``key``: a hashable that determines the statement entirely (which specs, with which
    parameters — e.g. the figure set and the period; never data read from the database): the
    statement is then built and compiled once per key and process and run again with the same
    parameters, its values converted as the ORM converts them. Building and compiling its ~40
    subqueries costs more than running them."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections, router

    using = router.db_for_read(ContentType)
    compiled = _COMPILED.get((using, key)) if key is not None else None
    if compiled is None:
        columns = Combine(specs).columns(())
        if not columns:
            return {name: spec.run() for name, spec in specs.items()}
        keys = {f"c{i}": column for i, column in enumerate(columns)}
        # The host row: any table that always has rows once migrated (content types).
        qs = ContentType.objects.using(using).order_by("pk").values(
            **{alias: columns[column] for alias, column in keys.items()})[:1]
        compiler = qs.query.get_compiler(using)
        sql, params = compiler.as_sql()
        names = [keys[alias] for _expr, _sql, alias in compiler.select]
        converters = compiler.get_converters([expr for expr, _sql, _alias in compiler.select])
        compiled = (compiler, sql, params, names, converters)
        if key is not None:
            if len(_COMPILED) >= _COMPILED_MAX:
                _COMPILED.clear()
            _COMPILED[(using, key)] = compiled
    compiler, sql, params, names, converters = compiled
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return {name: (spec.run() if isinstance(spec, Aggregate) else spec.finish({n: s.run() for n, s in spec.parts.items()}))
                for name, spec in specs.items()}
    if converters:
        row = next(iter(compiler.apply_converters([row], converters)))
    values = dict(zip(names, row))
    return {name: spec.assemble(values, (name,)) for name, spec in specs.items()}
