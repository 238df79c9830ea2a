"""Several one-row aggregates in one SQL statement.

A selector that reads one row of aggregates (``qs.aggregate(**aggregates)``) can describe it as an
``Aggregate`` — the queryset, the aggregates and what it makes of the row — and ``run`` it alone or
``run_together`` with others: each becomes a one-row SELECT of its aggregates (one pass over its
rows) and one statement cross-joins them, so a page reading a dozen small summaries pays one round
trip instead of a dozen. The definitions stay in the
selectors; only how many statements carry them changes. ``Combine`` joins several of them into one
figure (``finish`` gets ``{name: result}``).
"""
from dataclasses import dataclass
from typing import Any, Callable

import json

from django.core.signals import setting_changed
from django.db import models
from django.db.models import IntegerField, Value


def _same(row):
    return row


class ValueArray(models.Aggregate):
    """The values of an expression over the rows, as a JSON array in text (SQLite's
    ``json_group_array``, PostgreSQL's ``json_agg``; NULL over no rows on PostgreSQL):
    a small list read as one aggregate of a fused statement. ``values_of`` reads it back."""

    function = "JSON_GROUP_ARRAY"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_AGG",
                           template="CAST(%(function)s(%(distinct)s%(expressions)s) AS TEXT)", **extra_context)


def values_of(text):
    """The list of a ``ValueArray`` (JSON text, or None over no rows)."""
    return json.loads(text) if text else []


@dataclass
class Aggregate:
    """``finish(queryset.aggregate(**aggregates))``, runnable alone or with others."""

    queryset: Any
    aggregates: dict
    finish: Callable = _same

    def run(self):
        return self.finish(self.queryset.order_by().aggregate(**self.aggregates))

    def assemble(self, values, prefix):
        return self.finish({alias: values[(*prefix, alias)] for alias in self.aggregates})

    def leaves(self, prefix):
        yield prefix, self

    def selects(self, using):
        """The aggregates as one-row SELECTs over the queryset's rows (no GROUP BY: one row, also
        over no rows), those that join the same tables in one SELECT (one pass over the rows); an
        aggregate over a multi-valued relation (``Count("projects", distinct=True)``) gets its own,
        so that its join does not repeat the rows the others count. Each: its compiler, SQL,
        parameters, aggregate names and converters."""
        base = self.queryset.order_by().annotate(_one=Value(1, output_field=IntegerField())).values("_one")
        groups = {}
        for alias, expression in self.aggregates.items():
            compiler = base.annotate(a0=expression).values("a0").query.get_compiler(using)
            compiler.as_sql()
            from_sql, from_params = compiler.get_from_clause()
            groups.setdefault((tuple(from_sql), tuple(from_params)), []).append(alias)
        selects = []
        for names in groups.values():
            aliases = {f"a{i}": alias for i, alias in enumerate(names)}  # no clash with a field's name
            qs = base.annotate(**{a: self.aggregates[alias] for a, alias in aliases.items()}).values(*aliases)
            compiler = qs.query.get_compiler(using)
            sql, params = compiler.as_sql()
            columns = [aliases[alias] for _expr, _sql, alias in compiler.select]
            selects.append((compiler, sql, params, columns,
                            compiler.get_converters([expr for expr, _sql, _a in compiler.select])))
        return selects


@dataclass
class Combine:
    """``finish({name: part result})`` of several specs (``Aggregate`` or ``Combine``)."""

    parts: dict
    finish: Callable = _same

    def run(self):
        return run_together({"x": self})["x"]

    def assemble(self, values, prefix):
        return self.finish({name: spec.assemble(values, (*prefix, name)) for name, spec in self.parts.items()})

    def leaves(self, prefix):
        for name, spec in self.parts.items():
            yield from spec.leaves((*prefix, name))


_COMPILED = {}
"""``run_together``'s compiled statements by key: the database, its SQL and parameters, its parts
(compilers and converters) and the specs."""
_COMPILED_MAX = 256


def _clear_compiled(**kwargs):
    _COMPILED.clear()


setting_changed.connect(_clear_compiled)  # a test's settings may enter a statement


def run_together(specs, key=None):
    """``{name: spec.run()}`` for ``{name: spec}`` in one SQL statement: each ``Aggregate`` is one
    one-row SELECT of all its aggregates (one pass over its rows), and the statement is their cross
    join, ``SELECT * FROM (…) f0 CROSS JOIN (…) f1 …`` (one row).

    ``key``: a hashable that determines the statement entirely (which specs, with which
    parameters — e.g. the figure set and the period; never data read from the database): the
    statement is then built and compiled once per key and process and run again with the same
    parameters, its values converted as the ORM converts them. Building and compiling it costs
    about as much as running it. ``specs`` may then be a function returning them, called only
    when the key is new (building a dozen querysets costs ~4 ms a request): the specs kept with
    the statement must be functions of the key alone, their ``finish`` included."""
    from django.db import connections, router

    compiled = _COMPILED.get(key) if key is not None else None
    if compiled is None:
        if callable(specs):
            specs = specs()
        leaves = [leaf for name, spec in specs.items() for leaf in spec.leaves((name,))]
        if not leaves:
            return {name: spec.run() for name, spec in specs.items()}
        using = router.db_for_read(leaves[0][1].queryset.model)
        parts = [(prefix, *select) for prefix, aggregate in leaves for select in aggregate.selects(using)]
        sql = "SELECT * FROM " + " CROSS JOIN ".join(f"({part[2]}) f{i}" for i, part in enumerate(parts))
        params = tuple(p for part in parts for p in part[3])
        compiled = (using, sql, params, parts, specs)
        if key is not None:
            if len(_COMPILED) >= _COMPILED_MAX:
                _COMPILED.clear()
            _COMPILED[key] = compiled
    using, sql, params, parts, specs = compiled
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    values, start = {}, 0
    for prefix, compiler, _sql, _params, names, converters in parts:
        part = list(row[start:start + len(names)])
        start += len(names)
        if converters:
            part = next(iter(compiler.apply_converters([part], converters)))
        values.update({(*prefix, name): value for name, value in zip(names, part)})
    return {name: spec.assemble(values, (name,)) for name, spec in specs.items()}
