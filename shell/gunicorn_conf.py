"""gunicorn settings for `make serve`. Sync workers: on two cores they
served database pages with about half the p99 latency of gthread."""

import gc
import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
keepalive = 5
# gunicorn's default, stated because the API schema documents it (a longer
# request line gets gunicorn's own 414; api.views.MAX_REQUEST_LINE).
limit_request_line = 4094
# The application is imported once, in the master, and the workers are
# forked from it: a worker that is replaced starts serving at once instead
# of spending a second importing Django (which shows as p99 spikes under
# load), and the imported code is
# shared between the workers' memory. Nothing at import time opens a
# database or Redis connection, so no socket is shared across the fork.
preload_app = True
# A safety valve against leaks, not a routine: a worker restarts after
# about this many requests (at 5,000 a busy worker restarted every few
# seconds).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", None)
errorlog = "-"


def pre_fork(server, worker):
    # What the master has loaded (modules, settings, URL patterns) lives as
    # long as the worker: freezing it keeps the garbage collector from
    # walking it on every full collection, and from touching (and so
    # copying) the pages the workers share.
    gc.freeze()
