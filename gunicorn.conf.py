"""Gunicorn's settings, read by `gunicorn --config gunicorn.conf.py` (Dockerfile, compose).

gthread workers: a slow client holds a thread for a bounded time, never a whole
process, and Caddy in front reads slow requests before they reach us. Every
number can be changed from the environment.
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


wsgi_app = "clinic.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", 3)
threads = _int("GUNICORN_THREADS", 4)
# A worker takes no more connections than it has threads. A gthread worker accepts
# connections while it has room for them, free thread or not: with gunicorn's default room
# (1,000), one worker took a whole burst of requests while the others sat idle, and the app
# ran on one core. Such a worker cannot also hold idle connections open, so each request
# comes on a new connection from the proxy (cheap on the compose network).
worker_connections = threads
keepalive = 0
# A request that takes longer is cut off (the database's statement timeout is 30 s).
timeout = _int("GUNICORN_TIMEOUT", 35)
graceful_timeout = 30
# Recycle workers now and then, so no slow leak grows for ever.
max_requests = 2000
max_requests_jitter = 200

# Small request heads: long lines or many headers are refused before Django sees them.
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190

# Only Caddy, on the compose network, may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# The access log: method, path, status, size and time. Never the query string (%(q)s) or
# the request line (%(r)s, which holds it), the referrer (%(f)s) or any header: those may
# carry a token or a client's data. Paths hold numeric ids only.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_worker_init(worker):
    """Once a worker has loaded the app, set what it holds (Django's modules, models, URL
    patterns and settings, some 130,000 objects) aside from the garbage collector: a full
    collection then walks only what requests made. Measured in process on the clinic of
    `make bench`, collections took 0.6 ms a request on average before, 0.24 after, and a
    full one 65 ms, in the middle of some request."""
    import gc

    gc.freeze()
