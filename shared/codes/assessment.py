"""The codes assessment answers with beyond the common ones: refusals (problem ``code``) and
field errors (``error_codes``), each with its English text."""

from __future__ import annotations

#: A refusal's code → its English text (the problem's ``detail`` unless it says more).
PROBLEMS: dict[str, str] = {
    # an id in the path that this foundation does not have (404)
    "client_not_found": "No such client.",
    "assessment_not_found": "No such assessment.",
    # the model's name as the lookup has always worded it
    "session_not_found": "No such counsellingsession.",
    "followup_not_found": "No such followup.",
    "goal_not_found": "No such goal.",
    # assessments (409)
    "client_not_in_care": "The client is {client_status}; only clients in care are reassessed.",
    "assessment_already_due": "An assessment is already due for this episode.",
    "assessment_completed": "This assessment is completed; request a reassessment instead.",
    "assessment_closed": "This assessment was closed when the client was discharged.",
    # placements (409)
    "already_placed": "The client already has an active placement.",
    "client_not_admitted": "The client is {client_status}; only admitted clients are placed.",
    "programme_full": "The programme is at capacity.",
    # sessions (409)
    "session_cancelled": "The session is cancelled.",
    "session_started": "The session has already started.",
    "attendance_before_start": "Attendance is recorded once the session has started.",
    # discharge (409)
    "client_not_dischargeable": (
        "The client is {client_status}; only admitted or placed clients are discharged."
    ),
}

#: A field error's code → its English message.
FIELDS: dict[str, str] = {
    # ids in a body (422 naming the field)
    "record_not_in_foundation": "No such record in this foundation.",
    "client_unknown_here": "No such client in this foundation.",
    # the six ratings and the counsellor's override (level_of_care.py)
    "ratings_expected": "Expected a rating for each dimension.",
    "unknown_dimension": "Unknown dimension {dimension!r}.",
    "dimension_unrated": "This dimension must be rated.",
    "rating_not_whole": "Expected a whole number {min}–{max}.",
    "rating_out_of_range": "Rating must be {min}–{max}, got {rating}.",
    "unknown_level": "Unknown level of care {level!r}.",
    "override_reason_not_text": "Expected the reason as text.",
    "override_reason_without_override": "Give a reason only with an override.",
    "override_reason_required": "An override needs a reason.",
    # dates of the foundation's calendar
    "date_in_future": "May not be in the future.",
    "before_admission": "May not be before admission.",
    "start_before_admission": "May not be before admission ({admitted_on}).",
    "before_from": "Must not be before 'from'.",
    # sessions
    "individual_session_one_client": "An individual session has one client.",
    "client_not_in_session": "This client is not in the session.",
    "family_sessions_only": "Only for family sessions.",
    "moved_into_the_past": "A session may be moved only to a time still to come.",
    # a PATCH with nothing in it
    "nothing_to_change": "Send at least one field to change.",
    # the early warning's thresholds (PUT /risk/settings)
    "more_than_window": "May not be more than missed_sessions_last.",
}
