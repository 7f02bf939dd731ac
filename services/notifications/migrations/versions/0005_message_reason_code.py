"""messages carry a reason_code beside their English reason

Existing rows get the code whose English text their reason is (the texts as they were
written when codes came, frozen here: the registry may grow, this history must not change);
a reason no text matches keeps a NULL code.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (code, SQL LIKE pattern of its English reason), most specific first: the first pattern
# that matches a row's reason gives its code.
REASONS = (
    ("client_unknown", "client unknown"),
    ("consent_withdrawn", "consent to contact family withdrawn"),
    ("contact_removed", "family contact removed or may not be contacted"),
    ("share_progress_withdrawn", "consent to share progress withdrawn"),
    ("staff_inactive", "staff member unknown or inactive"),
    ("recipient_opted_out", "recipient opted out"),
    ("session_cancelled", "session cancelled"),
    ("assessment_completed", "assessment completed"),
    ("client_discharged", "client discharged"),
    ("client_readmitted", "client readmitted"),
    ("deferred_past_quiet_hours", "deferred past quiet hours"),
    ("held_for_consent_data", "held: waiting for current consent data from intake"),
    (
        "reminder_too_late_at_booking",
        "reminder time had already passed when the session was booked",
    ),
    ("reminder_after_session_start", "the reminder would arrive after the session starts"),
    ("retrying", "retrying: %"),
    ("channel_not_configured", "the % channel is not configured"),
    ("channel_settings_incomplete", "% channel is missing %"),
    ("no_such_channel", "no such channel: %"),
    ("no_address", "no % address for this recipient"),
    ("whatsapp_template_unmapped", "no WhatsApp template id is mapped for %"),
    ("smtp_recipient_deferred", "SMTP recipient deferred (%)"),
    ("smtp_recipient_refused", "SMTP recipient refused (%)"),
    ("smtp_server_deferred", "SMTP server deferred (%)"),
    ("smtp_server_refused", "SMTP server refused (%)"),
    ("smtp_unsupported", "SMTP server does not support STARTTLS or login"),
    ("smtp_certificate_untrusted", "SMTP server certificate is not trusted"),
    ("smtp_connection_failed", "SMTP connection failed (%)"),
    ("webhook_unreachable", "webhook unreachable (%)"),
    ("webhook_request_impossible", "webhook request not possible (%)"),
    ("webhook_answered", "webhook answered %"),
    ("provider_unreachable", "% provider unreachable (%)"),
    ("provider_request_impossible", "% provider request not possible (%)"),
    ("provider_answered", "% provider answered %"),
)


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch_op:
        batch_op.add_column(sa.Column("reason_code", sa.String(length=48), nullable=True))
    messages = sa.table(
        "messages", sa.column("reason", sa.String), sa.column("reason_code", sa.String)
    )
    for code, pattern in REASONS:
        op.execute(
            messages.update()
            .where(messages.c.reason_code.is_(None), messages.c.reason.like(pattern))
            .values(reason_code=code)
        )


def downgrade() -> None:
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_column("reason_code")
