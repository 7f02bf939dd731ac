"""Intake: foundations, staff, clients and their family contacts, screening (DAST-10,
ASSIST), consent with its history, admission into an episode of care, the IPWL report and
the audit log of who read or changed a client. It publishes what becomes of a client
(``client.*``, ``consent.changed``, ``family_contact.*``, ``foundation.saved``,
``staff.saved``) and mirrors the treatment status that assessment's events report.
"""
