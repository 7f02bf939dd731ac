"""The family conversation: each contact's thread on the client page, the reply box, the
WhatsApp window; on the caseload, unread family replies and the week's RSVPs.

The intents of replies ("Hadir", "Perlu bantuan") are named in :mod:`.vocabulary`.
Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "conversation.title": ("Percakapan dengan keluarga", "Conversations with the family"),
    "conversation.empty": (
        "Belum ada pesan dengan kontak ini.",
        "No messages with this contact yet.",
    ),
    "conversation.new": ("baru", "new"),
    "conversation.new_count": ("{n} baru", "{n} new"),
    "conversation.earlier": ("{n} pesan sebelumnya", "{n} earlier messages"),
    "conversation.window_open": (
        "Jendela WhatsApp terbuka sampai {time}: pesan bebas boleh dikirim.",
        "WhatsApp window open until {time}: free text may be sent.",
    ),
    "conversation.window_open_tomorrow": (
        "Jendela WhatsApp terbuka sampai besok {time}: pesan bebas boleh dikirim.",
        "WhatsApp window open until tomorrow {time}: free text may be sent.",
    ),
    "conversation.window_closed": (
        "Jendela WhatsApp tertutup: hanya templat yang disetujui yang dapat dikirim. Pesan "
        "bebas bisa dikirim lagi dalam 24 jam setelah keluarga membalas.",
        "WhatsApp window closed: only approved templates can be sent. Free text can be sent "
        "again within 24 hours of the family's next reply.",
    ),
    "conversation.no_consent": (
        "Klien tidak menyetujui pesan kepada keluarganya: balasan tidak dapat dikirim.",
        "The client has not agreed to messages to the family: no answer can be sent.",
    ),
    "conversation.never_contact": (
        "Kontak ini ditandai jangan dihubungi: balasan tidak dapat dikirim.",
        "This contact is marked never to be contacted: no answer can be sent.",
    ),
    "conversation.marked_read": (
        "Balasan baru di sini kini ditandai sudah dibaca, karena Anda pendamping klien ini.",
        "The new replies here are now marked as read, as you are this client's case worker.",
    ),
    "conversation.mark_read": ("Tandai sudah dibaca", "Mark as read"),
    "conversation.send": ("Kirim", "Send"),
    "field.answer": ("Balas", "Reply"),
    "hint.answer": (
        "Dikirim kepada {name} lewat {channel}, dengan aturan persetujuan dan jam tenang "
        "yang sama dengan pesan lain.",
        "Sent to {name} by {channel}, under the same consent rules and quiet hours as every "
        "other message.",
    ),
    "flash.answer_sent": ("Pesan untuk {name} dikirim.", "Message to {name} sent."),
    "flash.answer_held": (
        "Pesan untuk {name} menunggu jam tenang berakhir; dikirim {moment}.",
        "The message to {name} waits for quiet hours to end; it goes {moment}.",
    ),
    "flash.replies_read": (
        "Balasan {name} ditandai sudah dibaca.",
        "{name}'s replies are marked as read.",
    ),
    "caseload.unread_replies": ("Balasan keluarga baru: {n}", "New family replies: {n}"),
    "caseload.rsvps": ("RSVP minggu ini", "RSVPs this week"),
    "hint.rsvps": (
        "Sesi keluarga dalam {days} hari ke depan, dan jawaban keluarga atas undangannya.",
        "Family sessions in the next {days} days, and the families' answers to the invitation.",
    ),
    "caseload.no_answer_yet": ("belum ada jawaban", "no answer yet"),
    "caseload.no_family_invited": ("tidak ada keluarga yang diundang", "no family invited"),
}
