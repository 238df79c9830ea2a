"""gunicorn's settings for `make serve` and for the load bench (bench/load_bench.py): one file, so
that what the bench measures is what production runs: ``gunicorn portfolio.wsgi:application -c
portfolio/gunicorn_conf.py --bind … --workers …``.

Sync workers: the pages are CPU work in Python and PostgreSQL on the same few cores, so threads
would only queue on the GIL; two workers per core keep the cores busy while one worker waits for
the database. ``preload_app``: Django is imported and warmed up once in the master
(portfolio.wsgi) and the workers are forked from it — a worker started again after
``max_requests`` serves at full speed at once. Code changes then need a restart, not a HUP.
"""
import os

workers = int(os.environ.get("WORKERS", "4"))
worker_class = "sync"
preload_app = True
timeout = 120
graceful_timeout = 30
# a slow leak cannot grow for ever; the jitter keeps the workers from restarting together
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
