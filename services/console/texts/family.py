"""A client's family: consent, family contacts, and the messages sent to family and staff.

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "flash.consent_changed": ("Persetujuan disimpan.", "Consent saved."),
    "flash.consent_withdrawn": (
        "Persetujuan disimpan: keluarga tidak dihubungi. Pesan keluarga yang belum terkirim "
        "dibatalkan.",
        "Consent saved: the family is not contacted. Family messages not yet sent are cancelled.",
    ),
    "flash.contact_added": ("Kontak keluarga ditambahkan.", "Family contact added."),
    "flash.contact_saved": ("Kontak keluarga disimpan.", "Family contact saved."),
    "flash.contact_removed": (
        "Kontak keluarga dihapus; pesan yang belum terkirim kepadanya dibatalkan.",
        "Family contact removed; messages not yet sent to them are cancelled.",
    ),
    "error.phone_for_channel": (
        "Nomor telepon diperlukan untuk SMS/WhatsApp.",
        "A phone number is needed for SMS/WhatsApp.",
    ),
    "error.email_for_channel": (
        "Alamat email diperlukan untuk saluran email.",
        "An email address is needed for the email channel.",
    ),
    "error.guardian_name": ("Sebutkan nama wali.", "Name the guardian."),
    "field.contact_name": ("Nama", "Name"),
    "field.relationship": ("Hubungan", "Relationship"),
    "field.channel": ("Saluran", "Channel"),
    "field.email": ("Email", "Email"),
    "field.locale": ("Bahasa", "Language"),
    "field.may_contact": ("Boleh dihubungi", "May be contacted"),
    "field.consent_contact_family": (
        "Keluarga boleh dihubungi",
        "The family may be contacted",
    ),
    "field.consent_share_progress": (
        "Perkembangan boleh dibagikan ke keluarga",
        "Progress may be shared with the family",
    ),
    "field.consent_given_by": ("Persetujuan diberikan oleh", "Consent given by"),
    "field.guardian_name": ("Nama wali", "Guardian's name"),
    "field.message": ("Pesan", "Message"),
    "field.recipient": ("Penerima", "Recipient"),
    "hint.relationship": ("mis. ibu, kakak", "e.g. mother, brother"),
    "hint.guardian": ("Untuk klien di bawah umur.", "For a minor."),
    "hint.consent_withdrawal": (
        "Tanpa persetujuan menghubungi keluarga, pesan keluarga yang belum terkirim dibatalkan.",
        "Without consent to contact the family, family messages not yet sent are cancelled.",
    ),
    "hint.remove_contact": (
        "{name} dihapus dari kontak keluarga; pesan yang belum terkirim kepadanya dibatalkan.",
        "{name} is removed from the family contacts; messages not yet sent to them are cancelled.",
    ),
    "client.messages": ("Pesan ke keluarga dan staf", "Family and staff messages"),
    "client.no_messages": ("Belum ada pesan.", "No messages yet."),
    "client.show_text": ("isi", "text"),
    "client.consent": ("Persetujuan", "Consent"),
    "client.consent_changes": ("{n} perubahan tercatat.", "{n} changes recorded."),
    "client.family": ("Keluarga", "Family"),
    "client.no_family": ("Tidak ada kontak keluarga.", "No family contacts."),
    "client.never_contact": ("jangan dihubungi", "never contact"),
    "client.change_consent": ("Ubah persetujuan", "Change consent"),
    "client.consent_submit": ("Simpan persetujuan", "Save consent"),
    "client.change_contact": ("Ubah", "Change"),
    "client.contact_submit": ("Simpan kontak", "Save contact"),
    "client.remove_contact": ("Hapus", "Remove"),
    "client.remove_contact_submit": ("Ya, hapus kontak ini", "Yes, remove this contact"),
    "client.add_contact": ("Tambah kontak keluarga", "Add a family contact"),
    "client.add_contact_submit": ("Tambah kontak", "Add contact"),
    "template.family.welcome": ("Sambutan untuk keluarga", "Family welcome"),
    "template.family.session_invitation": ("Undangan sesi keluarga", "Family session invitation"),
    "template.family.session_reminder": ("Pengingat sesi keluarga", "Family session reminder"),
    "template.family.session_changed": ("Perubahan jadwal sesi", "Session changed"),
    "template.family.session_cancelled": ("Sesi dibatalkan", "Session cancelled"),
    "template.family.progress_update": ("Kabar perkembangan", "Progress update"),
    "template.family.followup": ("Bimbingan lanjut keluarga", "Family follow-up"),
    "template.family.reply_thanks": ("Terima kasih atas balasan", "Thanks for a reply"),
    "template.family.direct": ("Pesan dari pendamping", "Message from the case worker"),
    "template.staff.family_replied": ("Balasan keluarga", "Family replied"),
    "template.staff.risk_alert": ("Peringatan risiko", "Risk alert"),
    "template.staff.referral_pending": ("Rujukan belum dijawab", "Referral not answered"),
    "template.staff.family_needs_help": ("Keluarga meminta bantuan", "Family needs help"),
    "template.staff.assessment_due": ("Asesmen jatuh tempo", "Assessment due"),
    "template.staff.followup_due": ("Bimbingan lanjut jatuh tempo", "Follow-up due"),
    "template.staff.crisis_alert": ("Peringatan krisis", "Crisis alert"),
    "template.staff.delivery_failed": ("Pesan gagal terkirim", "Message delivery failed"),
}
