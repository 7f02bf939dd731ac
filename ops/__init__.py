"""Operations: how the suite is run, migrated, scheduled and maintained.

The ``pendamping`` command (:mod:`ops.cli`), ``make run``'s process supervisor
(:mod:`ops.runner`), Celery beat merging each service's ``schedule.py`` (:mod:`ops.scheduler`),
the migrations driver, data-key rotation, the gunicorn settings and the development Redis.
This is the one layer that knows every service by name and may import them; ``shared/`` (the
library) and ``services/*`` never import it.
"""
