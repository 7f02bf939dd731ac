"""The codes intake answers with beyond the common ones: refusals (problem ``code``) and
field errors (``error_codes``), each with its English text."""

from __future__ import annotations

#: A refusal's code → its English text (the problem's ``detail`` unless it says more).
PROBLEMS: dict[str, str] = {
    # a path id that is unknown or another foundation's (404)
    "foundation_not_found": "No such foundation.",
    "staff_not_found": "No such staff member.",
    "client_not_found": "No such client.",
    "family_contact_not_found": "No such family contact.",
    # clashes with what exists (409); the body carries the members named in braces
    "foundation_slug_taken": "A foundation with slug {foundation_slug!r} exists.",
    "nik_taken": "A client with this NIK exists.",
    "too_many_family_contacts": "A client has at most {limit} family contacts.",
    "client_already_admitted": "The client is {client_status}; discharge them before readmitting.",
    "erasure_in_progress": "The client's data is being erased; they cannot be admitted.",
    # personal-data rights (UU PDP)
    "data_request_not_found": "No such data request.",
    "client_erased": "This client's personal data was erased.",
    "client_admitted": (
        "The client is {client_status}: discharge them before their data can be erased."
    ),
    "data_request_open": "A {kind} request for this client is already open.",
    "export_not_ready": "Not every service has answered this request yet.",
    "not_an_access_request": "Only an access request has an export.",
    "nothing_to_confirm": "This request does not wait for a confirmation.",
    "confirmation_mismatch": "Type the client's code exactly to confirm the erasure.",
    # referral and partners
    "partner_not_found": "No such partner.",
    "referral_not_found": "No such referral.",
    "consent_required": (
        "Without the client's consent only an admin refers, giving an override_reason."
    ),
    "invalid_transition": (
        "A referral that is {referral_status} cannot become {target_status} from your side."
    ),
    "referral_open": "This client already has an open referral to this partner.",
    "not_compulsory": "This client was not referred compulsorily: there is no referrer report.",
}

#: A field error's code → its English message.
FIELDS: dict[str, str] = {
    # any PATCH body
    "nothing_to_change": "Send at least one field to change.",
    # foundations
    "retention_years_range": "Between 1 and 30 years.",
    # data requests: the client's code typed to confirm an erasure
    "confirmation_mismatch": "Type the client's code exactly to confirm the erasure.",
    "slug_format": "Lower-case letters, digits and dashes; 1-40 characters.",
    # partners and referrals
    "consent_required": (
        "Without the client's consent only an admin refers, giving an override_reason."
    ),
    "partner_not_found": "No such partner.",
    "partner_inactive": "This partner is no longer active.",
    "foundation_unknown": "No foundation of this deployment has this slug.",
    "own_foundation": "A foundation is not its own partner.",
    "foundation_slug_not_foundation": "Only a partner of kind foundation names a foundation_slug.",
    # phones
    "phone_too_long": "Too long for a phone number.",
    "not_a_phone_number": "Not a phone number.",
    "invalid_phone_number": "Not a valid phone number.",
    "phone_has_extension": "Give the number without an extension.",
    # identity and dates
    "nik_format": "A NIK is exactly 16 digits.",
    "not_a_past_date": "Must be a past date (after 1900).",
    "date_in_future": "May not be in the future.",
    "estimated_birth_date_missing": (
        "Give the estimated date_of_birth with it (e.g. 1 July of the year)."
    ),
    # ``{id}`` is literal text here (the path's placeholder), never filled in
    "birth_date_makes_minor": (
        "With this date the client is a minor: record a guardian's consent first "
        "(PUT /clients/{id}/consent)."
    ),
    "staff_not_found": "No such staff member.",
    # consent and family contacts
    "guardian_name_required": "Name the guardian who gave consent.",
    "minor_consent_by_guardian": "A minor's consent is given by a guardian.",
    "phone_required_for_channel": "A phone is needed for {channel}.",
    "email_required_for_channel": "An email is needed for the email channel.",
    # admission
    "readmission_before_discharge": (
        "A readmission starts on or after the last discharge ({last_discharge})."
    ),
    # reports
    "before_from": "Must not be before 'from'.",
    # screening: DAST-10
    "dast10_answers_shape": "DAST-10 takes a list of 10 true/false answers.",
    "dast10_not_a_list": "Expected a list of {count} yes/no answers.",
    "dast10_answer_count": "Expected exactly {count} answers, got {given}.",
    "dast10_not_boolean": "Expected true or false.",
    # screening: WHO ASSIST (the shape below is literal text, not fields)
    "assist_answers_shape": "ASSIST takes {substance: {q2..q7: option}}.",
    "assist_not_per_substance": "Expected answers per substance.",
    "assist_no_substance": "Answer the questions for at least one substance.",
    "assist_unknown_substance": "Unknown substance {substance!r}.",
    "assist_not_per_question": "Expected answers per question.",
    "assist_unknown_question": "Unknown question {question!r}.",
    "assist_question_not_asked": "Question {question} is not asked about {substance}.",
    "assist_unknown_option": "Unknown option {option!r}; expected one of {options}.",
    "assist_answered_though_not_used": (
        "Answered {answer!r} although {substance} was not used (q2 never)."
    ),
    "assist_question_unanswered": "This question must be answered.",
    "assist_score_not_integer": "Expected an integer score.",
    "assist_score_out_of_range": "Score for {substance} must be 0–{maximum}, got {score}.",
}
