"""gunicorn settings of the embedded suite's one web process (:mod:`ops.embedded_web`).

As :mod:`ops.gunicorn_conf` for logs, but with no shared metrics directory: the process has
one worker, so each app's ``/metrics`` reads its own registry in memory. A directory shared
by the four apps would show each app's scrape the other three's requests too.
"""

logger_class = "shared.logs.GunicornLogger"
accesslog = None
control_socket_disable = True
