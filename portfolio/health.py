"""``/healthz`` for monitoring: 200 when the app answers and the database runs a query,
503 otherwise. No login, no data, no session.

It answers within ``settings.HEALTHZ_TIMEOUT`` seconds even when the database accepts connections
and never replies (issue 14: the page hung for gunicorn's 120 s): the query runs on a small pool
of threads, each with its own connection, and the page waits for it only that long. A hung check
keeps its thread until the database timeouts in settings end it; with every thread hung, further
checks wait in the queue and answer 503 on time.
"""
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as CheckTimedOut

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

DATABASE_ALIAS = DEFAULT_DB_ALIAS
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


def database_answers(alias):
    """Runs ``SELECT 1`` on this thread's connection, which is closed afterwards (a check every
    few seconds does not keep a connection of its own open)."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


@never_cache
@require_GET
def healthz(request):
    check = _checks.submit(database_answers, DATABASE_ALIAS)
    try:
        check.result(timeout=settings.HEALTHZ_TIMEOUT)
    except (DatabaseError, CheckTimedOut):
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
