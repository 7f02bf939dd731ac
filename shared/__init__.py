"""The library every Pendamping service is built on: settings, the database session, auth
and tenancy, problem+json errors and their codes, the shared vocabulary, personal-data
encryption, logs and metrics, and the event catalogue with the Celery, outbox/inbox and
beat plumbing that carries it. It owns no table and no rule of any one service, and it
imports neither ``services`` nor ``ops`` (tests/unit/test_layering.py checks).
"""
