"""The 2020 data set (fixtures/demo_2020.json) for tests: parsed once per test session, then
inserted into each test's transaction with one bulk INSERT per model.

It writes the same rows as ``manage.py load_demo`` (Django's loaddata: raw saves, no model
``save()``, many-to-many set after the rows, sequences reset), in about a twentieth of the time;
``tests/test_demo_loader.py`` checks that both give the same rows."""
from functools import lru_cache

from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction

from contracts import demo as contracts_demo
from portfolio.management.commands.load_demo import FIXTURE


@lru_cache(maxsize=None)
def _parsed():
    """[(model, [field values by attname], {m2m name: [pks]})] in the fixture's order."""
    with open(FIXTURE, encoding="utf-8") as handle:
        rows = []
        for item in serializers.deserialize("json", handle):
            obj = item.object
            values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
            rows.append((type(obj), values, dict(item.m2m_data or {})))
        return tuple(rows)


def load_demo_data():
    """Insert the 2020 data set into the current test database."""
    by_model, with_m2m = {}, []
    for model, values, m2m in _parsed():
        obj = model(**values)
        by_model.setdefault(model, []).append(obj)
        if m2m:
            with_m2m.append((obj, m2m))
    with transaction.atomic():
        for model, objects in by_model.items():
            model.objects.bulk_create(objects)
        for obj, m2m in with_m2m:
            for name, pks in m2m.items():
                getattr(obj, name).set(pks)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(by_model)):
                cursor.execute(sql)
        contracts_demo.bulk_load()  # what load_demo adds through contracts.demo.load
