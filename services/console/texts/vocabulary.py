"""The names of the suite's fixed vocabulary (:mod:`shared.vocabulary`): what a status, a role
or an option is called on a page, shown by :func:`services.console.i18n.label` as
``kind.value`` (``status.admitted`` → "Dirawat").

:data:`VOCABULARIES` says which vocabulary each kind names; a unit test fails when one of its
values has no text, so a value added to the vocabulary needs its name here too.
"""

from __future__ import annotations

from collections.abc import Iterable

from shared.vocabulary import (
    FOUNDATION_ROLES,
    AgeBand,
    AssessmentStatus,
    Attendance,
    Channel,
    CheckinAnswer,
    ClientStatus,
    ConsentGiver,
    Dimension,
    DischargeReason,
    FollowupOutcome,
    GoalStatus,
    LevelOfCare,
    Locale,
    MessageStatus,
    NoteKind,
    Obstacle,
    OutreachMethod,
    OutreachOutcome,
    PartnerKind,
    ProgramKind,
    RecipientKind,
    ReferralShare,
    ReferralSource,
    ReferralStatus,
    ReplyIntent,
    RiskLevel,
    RiskRule,
    Role,
    RouteOfUse,
    RsvpAnswer,
    SessionKind,
    Sex,
)

#: A label kind → the values it names (the console's accounts have the foundation roles).
VOCABULARIES: dict[str, Iterable[str]] = {
    "role": FOUNDATION_ROLES,
    "locale": Locale,
    "sex": Sex,
    "route": RouteOfUse,
    "referral": ReferralSource,
    "given_by": ConsentGiver,
    "channel": Channel,
    "status": ClientStatus,
    "assessment": AssessmentStatus,
    "dimension": Dimension,
    "level": LevelOfCare,
    "program_kind": ProgramKind,
    "session_kind": SessionKind,
    "attendance": Attendance,
    "note_kind": NoteKind,
    "obstacle": Obstacle,
    "goal_status": GoalStatus,
    "discharge": DischargeReason,
    "outcome": FollowupOutcome,
    "message": MessageStatus,
    "recipient": RecipientKind,
    "intent": ReplyIntent,
    "rsvp": RsvpAnswer,
    "checkin": CheckinAnswer,
    "risk_level": RiskLevel,
    "risk_rule": RiskRule,
    "outreach_method": OutreachMethod,
    "outreach_outcome": OutreachOutcome,
    # named in texts/referrals.py
    "partner_kind": PartnerKind,
    "referral_status": ReferralStatus,
    "referral_share": ReferralShare,
    "age_band": AgeBand,
}

_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "role": {
        Role.ADMIN: ("Admin", "Admin"),
        Role.SOCIAL_WORKER: ("Pekerja sosial", "Social worker"),
        Role.COUNSELOR: ("Konselor", "Counsellor"),
        Role.VIEWER: ("Hanya melihat", "Viewer"),
    },
    "locale": {
        Locale.ID: ("Bahasa Indonesia", "Indonesian"),
        Locale.EN: ("Bahasa Inggris", "English"),
    },
    "sex": {
        Sex.MALE: ("Laki-laki", "Male"),
        Sex.FEMALE: ("Perempuan", "Female"),
    },
    "route": {
        RouteOfUse.ORAL: ("Ditelan", "Oral"),
        RouteOfUse.SMOKED: ("Dihisap", "Smoked"),
        RouteOfUse.INHALED: ("Dihirup", "Inhaled"),
        RouteOfUse.INJECTED: ("Disuntik", "Injected"),
        RouteOfUse.OTHER: ("Lainnya", "Other"),
    },
    "referral": {
        ReferralSource.SELF: ("Datang sendiri", "Self"),
        ReferralSource.FAMILY: ("Keluarga", "Family"),
        ReferralSource.POLICE: ("Polisi", "Police"),
        ReferralSource.COURT: ("Pengadilan", "Court"),
        ReferralSource.BNN: ("BNN", "BNN"),
        ReferralSource.HOSPITAL: ("Rumah sakit", "Hospital"),
        ReferralSource.COMMUNITY: ("Masyarakat", "Community"),
        ReferralSource.OTHER: ("Lainnya", "Other"),
    },
    "given_by": {
        ConsentGiver.CLIENT: ("Klien sendiri", "The client"),
        ConsentGiver.GUARDIAN: ("Wali", "A guardian"),
    },
    "channel": {
        Channel.SMS: ("SMS", "SMS"),
        Channel.WHATSAPP: ("WhatsApp", "WhatsApp"),
        Channel.EMAIL: ("Email", "Email"),
        Channel.LOG: ("Log (pengembangan)", "Log (development)"),
        Channel.WEBHOOK: ("Webhook", "Webhook"),
    },
    "status": {
        ClientStatus.REGISTERED: ("Terdaftar", "Registered"),
        ClientStatus.ADMITTED: ("Dirawat", "Admitted"),
        ClientStatus.PLACED: ("Ditempatkan", "Placed"),
        ClientStatus.DISCHARGED: ("Selesai", "Discharged"),
    },
    "assessment": {
        # beside it the page says when it is due: "Not done yet · due 17 Aug"
        AssessmentStatus.DUE: ("Belum dilakukan", "Not done yet"),
        AssessmentStatus.COMPLETED: ("Selesai", "Completed"),
        AssessmentStatus.CLOSED: ("Ditutup (klien keluar)", "Closed (client discharged)"),
    },
    "dimension": {
        Dimension.WITHDRAWAL: (
            "1. Intoksikasi akut dan potensi putus zat",
            "1. Acute intoxication and withdrawal potential",
        ),
        Dimension.BIOMEDICAL: (
            "2. Kondisi dan komplikasi biomedis",
            "2. Biomedical conditions and complications",
        ),
        Dimension.EMOTIONAL_BEHAVIORAL: (
            "3. Kondisi emosi, perilaku atau kognitif",
            "3. Emotional, behavioural or cognitive conditions",
        ),
        Dimension.READINESS_TO_CHANGE: ("4. Kesiapan untuk berubah", "4. Readiness to change"),
        Dimension.RELAPSE_POTENTIAL: (
            "5. Potensi kambuh atau terus memakai",
            "5. Relapse or continued use potential",
        ),
        Dimension.RECOVERY_ENVIRONMENT: ("6. Lingkungan pemulihan", "6. Recovery environment"),
    },
    "level": {
        LevelOfCare.OUTPATIENT: ("Rawat jalan", "Outpatient"),
        LevelOfCare.INTENSIVE_OUTPATIENT: ("Rawat jalan intensif", "Intensive outpatient"),
        LevelOfCare.RESIDENTIAL: ("Rawat inap (residensial)", "Residential"),
        LevelOfCare.MEDICALLY_MANAGED: ("Penanganan medis", "Medically managed"),
    },
    "program_kind": {
        ProgramKind.RESIDENTIAL: ("Residensial", "Residential"),
        ProgramKind.OUTPATIENT: ("Rawat jalan", "Outpatient"),
        ProgramKind.AFTERCARE: ("Pasca-rawat", "Aftercare"),
        ProgramKind.VOCATIONAL: ("Vokasional", "Vocational"),
    },
    "session_kind": {
        SessionKind.INDIVIDUAL: ("Individu", "Individual"),
        SessionKind.GROUP: ("Kelompok", "Group"),
        SessionKind.FAMILY: ("Keluarga", "Family"),
    },
    "attendance": {
        Attendance.ATTENDED: ("Hadir", "Attended"),
        Attendance.ABSENT: ("Tidak hadir", "Absent"),
        Attendance.EXCUSED: ("Izin", "Excused"),
    },
    "note_kind": {
        NoteKind.PROGRESS: ("Perkembangan", "Progress"),
        NoteKind.BEHAVIOUR: ("Perilaku", "Behaviour"),
        NoteKind.MOTIVATION: ("Motivasi", "Motivation"),
        NoteKind.CRISIS: ("Krisis", "Crisis"),
    },
    "obstacle": {
        Obstacle.BEHAVIOUR_INCONSISTENCY: ("Perilaku tidak konsisten", "Inconsistent behaviour"),
        Obstacle.CLOSED_ATTITUDE: ("Sikap tertutup", "Closed attitude"),
        Obstacle.FAMILY_COMMUNICATION: ("Komunikasi keluarga", "Family communication"),
        Obstacle.STAFF_CAPACITY: ("Kapasitas staf", "Staff capacity"),
        Obstacle.OTHER: ("Lainnya", "Other"),
    },
    "goal_status": {
        GoalStatus.OPEN: ("Belum dimulai", "Open"),
        GoalStatus.IN_PROGRESS: ("Sedang dijalani", "In progress"),
        GoalStatus.ACHIEVED: ("Tercapai", "Achieved"),
        GoalStatus.DROPPED: ("Dihentikan", "Dropped"),
    },
    "discharge": {
        DischargeReason.COMPLETED: ("Menyelesaikan program", "Completed"),
        DischargeReason.DROPPED_OUT: ("Berhenti di tengah", "Dropped out"),
        DischargeReason.REFERRED: ("Dirujuk", "Referred"),
        DischargeReason.OTHER: ("Lainnya", "Other"),
    },
    "outcome": {
        FollowupOutcome.ABSTINENT: ("Bebas zat", "Abstinent"),
        FollowupOutcome.RELAPSED: ("Kambuh", "Relapsed"),
        FollowupOutcome.LOST_CONTACT: ("Hilang kontak", "Lost contact"),
        FollowupOutcome.OTHER: ("Lainnya", "Other"),
    },
    "message": {
        MessageStatus.SCHEDULED: ("Terjadwal", "Scheduled"),
        MessageStatus.QUEUED: ("Dalam antrean", "Queued"),
        MessageStatus.SENDING: ("Sedang dikirim", "Sending"),
        MessageStatus.SENT: ("Terkirim", "Sent"),
        MessageStatus.FAILED: ("Gagal", "Failed"),
        MessageStatus.CANCELLED: ("Dibatalkan", "Cancelled"),
        MessageStatus.SUPPRESSED: ("Tidak dikirim (berhenti)", "Suppressed (opted out)"),
    },
    "recipient": {
        RecipientKind.FAMILY: ("keluarga", "family"),
        RecipientKind.STAFF: ("staf", "staff"),
    },
    # a family's answer to a session invitation, and to a post-discharge check-in
    "rsvp": {
        RsvpAnswer.YES: ("Hadir", "Coming"),
        RsvpAnswer.NO: ("Tidak hadir", "Not coming"),
        RsvpAnswer.LATER: ("Minta jadwal lain", "Asks another time"),
    },
    "checkin": {
        CheckinAnswer.OK: ("Baik", "All well"),
        CheckinAnswer.HELP: ("Perlu bantuan", "Needs help"),
    },
    # the early warning: a flag's level, each rule's reason, and the outreach it leads to
    "risk_level": {
        RiskLevel.NONE: ("Tidak ada tanda", "No warning"),
        RiskLevel.WATCH: ("Perlu perhatian", "Watch"),
        RiskLevel.HIGH: ("Risiko tinggi", "High risk"),
    },
    "risk_rule": {
        RiskRule.CONSECUTIVE_ABSENCES: (
            "Tidak hadir di sesi-sesi terakhirnya berturut-turut",
            "Absent from the latest sessions in a row",
        ),
        RiskRule.MISSED_SESSIONS: (
            "Sering tidak hadir di sesi-sesi terakhirnya",
            "Missed several of the latest sessions",
        ),
        RiskRule.NO_RECENT_SESSION: (
            "Belum mengikuti sesi dalam beberapa minggu terakhir",
            "No session attended in the last weeks",
        ),
        RiskRule.BEHAVIOUR_NOTES: (
            "Beberapa catatan perilaku tidak konsisten atau sikap tertutup",
            "Several notes of inconsistent behaviour or a closed attitude",
        ),
        RiskRule.CRISIS_NOTE: ("Catatan krisis baru-baru ini", "A recent crisis note"),
        RiskRule.FAMILY_NEEDS_HELP: (
            "Keluarga meminta bantuan",
            "The family asked for help",
        ),
        RiskRule.RELAPSE_REPORTED: ("Kambuh dilaporkan", "Relapse reported"),
    },
    "outreach_method": {
        OutreachMethod.PHONE: ("Telepon", "Phone call"),
        OutreachMethod.VISIT: ("Kunjungan", "Visit"),
        OutreachMethod.MESSAGE: ("Pesan", "Message"),
        OutreachMethod.FAMILY: ("Lewat keluarga", "Through the family"),
    },
    "outreach_outcome": {
        OutreachOutcome.REACHED: ("Terhubungi", "Reached"),
        OutreachOutcome.NOT_REACHED: ("Tidak terhubungi", "Not reached"),
        OutreachOutcome.RETURNED: ("Kembali ikut sesi", "Came back"),
        OutreachOutcome.DECLINED: ("Menolak", "Declined"),
    },
    # what a family's reply means, shown beside it in the conversation
    "intent": {
        ReplyIntent.STOP: ("Berhenti", "Stop"),
        ReplyIntent.START: ("Mulai lagi", "Start again"),
        ReplyIntent.RSVP_YES: ("Hadir", "Coming"),
        ReplyIntent.RSVP_NO: ("Tidak hadir", "Not coming"),
        ReplyIntent.RSVP_LATER: ("Minta jadwal lain", "Asks another time"),
        ReplyIntent.CHECKIN_OK: ("Baik", "All well"),
        ReplyIntent.CHECKIN_HELP: ("Perlu bantuan", "Needs help"),
        ReplyIntent.TEXT: ("Pesan", "Message"),
    },
}

MESSAGES: dict[str, tuple[str, str]] = {
    f"{kind}.{value}": texts for kind, labels in _LABELS.items() for value, texts in labels.items()
}
# a session's own states (assessment's, not a shared vocabulary)
MESSAGES.update(
    {
        "session_status.scheduled": ("Terjadwal", "Scheduled"),
        "session_status.cancelled": ("Dibatalkan", "Cancelled"),
        "session_status.completed": ("Selesai", "Completed"),
    }
)
