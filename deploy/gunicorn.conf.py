"""gunicorn settings for a 2-core host: (2 x cores) + 1 sync workers, recycled now and then."""

import multiprocessing
import os

# Loopback by default: only the proxy on this host reaches gunicorn, so only it can set
# the forwarded-for header that rate limits read. DSAR_BIND (or GUNICORN_BIND) changes it;
# a container binds all its interfaces and publishes the port on the host's loopback.
bind = os.environ.get("DSAR_BIND") or os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycling bounds the memory a long-lived worker can gather.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Access lines without the secret part of status, confirmation and acknowledgement links.
logger_class = "dsar.gunicorn_logging.RedactingLogger"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
