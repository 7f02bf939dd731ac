"""Plumbing shared by the Pendamping services: settings, database, auth and tenancy,
problem responses, personal-data encryption and the event catalogue with its outbox/inbox.

Nothing service-specific lives here; services never import each other.
"""
