"""Assessment: programmes, assessment, placement, sessions, notes and discharge."""
