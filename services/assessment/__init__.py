"""Assessment: programmes and their capacity, the ASAM assessment and level of care,
placement, counselling sessions and attendance, progress notes, discharge and the
follow-ups after it, and the caseload, obstacle and outcome reports. It keeps its own view
of each client from intake's events and publishes what happens in care (``assessment.*``,
``placement.started``, ``session.*``, ``note.crisis_recorded``, ``client.discharged``,
``followup.due``).
"""
