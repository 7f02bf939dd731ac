"""The console's forms, one module per area: what a page accepts, checked before any API is
called.

:mod:`.base` holds what they are made of (the base form, date and number fields, a
vocabulary's choices); then :mod:`.auth` (signing in), :mod:`.clients` (intake, admission),
:mod:`.family` (family contacts, consent), :mod:`.conversation` (an answer to a family
contact), :mod:`.screening` (DAST-10, ASSIST), :mod:`.care` (assessment, goals, placement,
discharge, follow-ups), :mod:`.sessions` (sessions, attendance, notes), :mod:`.outreach`
(reaching out to a client the early warning points at), :mod:`.programmes`, :mod:`.staff`
and :mod:`.reports`.
"""
