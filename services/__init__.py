"""The services, one package each: ``intake``, ``assessment`` and ``notifications`` (each a
Flask API with its own database, Celery worker and beat entries) and the staff ``console``
(browser pages in front of the three APIs). Each owns its tables, migrations, rules and
event handlers; they never import one another or ``ops`` and meet only through events
named in ``shared.events.catalogue`` (tests/unit/test_layering.py checks).
"""
