"""Every text the console shows, in Bahasa Indonesia and English: ``key: (id, en)``.

Placeholders are ``str.format`` fields. A unit test checks that every key a template or a
view uses is here, in both languages.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # navigation and layout
    "nav.label": ("Menu utama", "Main menu"),
    "nav.caseload": ("Dampingan saya", "My caseload"),
    "nav.new_client": ("Klien baru", "New client"),
    "nav.calendar": ("Kalender", "Calendar"),
    "nav.programmes": ("Program", "Programmes"),
    "nav.reports": ("Laporan", "Reports"),
    "nav.staff": ("Staf", "Staff"),
    "nav.sign_out": ("Keluar", "Sign out"),
    "yes": ("Ya", "Yes"),
    "no": ("Tidak", "No"),
    # signing in
    "sign_in.title": ("Masuk ke Pendamping", "Sign in to Pendamping"),
    "sign_in.submit": ("Masuk", "Sign in"),
    "sign_in.failed": (
        "Email atau kata sandi salah. Setelah {limit} kali gagal berturut-turut, akun dikunci "
        "selama {minutes} menit.",
        "Wrong email or password. After {limit} failures in a row the account is locked for "
        "{minutes} minutes.",
    ),
    "sign_in.too_many": (
        "Terlalu banyak percobaan masuk yang gagal dari alamat ini. Coba lagi dalam {minutes} "
        "menit.",
        "Too many failed sign-ins from this address. Try again in {minutes} minutes.",
    ),
    # flashes
    "flash.locale_changed": ("Bahasa diganti.", "Language changed."),
    "flash.client_registered": ("Klien terdaftar.", "Client registered."),
    "flash.possible_duplicates": (
        "Mungkin klien ini sudah terdaftar: periksa nama dan tanggal lahir yang mirip.",
        "This client may already be registered: check for a similar name and date of birth.",
    ),
    "flash.admitted": ("Klien diterima; asesmen dijadwalkan.", "Client admitted; assessment due."),
    "flash.session_scheduled": ("Sesi dijadwalkan.", "Session scheduled."),
    "flash.session_rescheduled": (
        "Sesi dipindah ke {moment}; keluarga yang diundang diberi tahu.",
        "Session moved to {moment}; invited families are told.",
    ),
    "flash.note_added": ("Catatan disimpan.", "Note saved."),
    "flash.programme_created": ("Program dibuat.", "Programme created."),
    "flash.account_created": ("Akun staf dibuat.", "Staff account created."),
    "flash.account_deactivated": (
        "Akun dinonaktifkan: orang ini tidak bisa masuk lagi dan tidak lagi menerima pengingat.",
        "Account deactivated: this person can no longer sign in or receive reminders.",
    ),
    "flash.account_activated": ("Akun diaktifkan kembali.", "Account active again."),
    "flash.account_unlocked": ("Kunci akun dibuka.", "Account unlocked."),
    "flash.not_yourself": (
        "Anda tidak dapat menonaktifkan akun Anda sendiri.",
        "You cannot deactivate your own account.",
    ),
    "flash.assessment_completed": (
        "Asesmen selesai. Tingkat layanan yang disarankan: {recommended}.",
        "Assessment completed. Recommended level of care: {recommended}.",
    ),
    "flash.assessment_overridden": (
        "Asesmen selesai. Disarankan: {recommended}; dipakai: {level}.",
        "Assessment completed. Recommended: {recommended}; chosen: {level}.",
    ),
    "flash.placed": (
        "Klien ditempatkan di {programme} mulai {day}.",
        "Placed in {programme} from {day}.",
    ),
    "flash.discharged": (
        "Perawatan diakhiri. Bimbingan lanjut jatuh tempo: {dates}.",
        "Discharged. Follow-ups due: {dates}.",
    ),
    "flash.followup_recorded": ("Hasil bimbingan lanjut dicatat.", "Follow-up outcome recorded."),
    "flash.goal_added": ("Tujuan ditambahkan ke rencana perawatan.", "Goal added to the plan."),
    "flash.goal_updated": ("Status tujuan kini: {status}.", "The goal is now: {status}."),
    "flash.screening_recorded": (
        "Skrining DAST-10 dicatat: skor {score}, {risk}.",
        "DAST-10 screening recorded: score {score}, {risk}.",
    ),
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
    "flash.attendance_recorded": ("Kehadiran dicatat.", "Attendance recorded."),
    "flash.session_cancelled": (
        "Sesi dibatalkan; pengingat yang belum terkirim dibatalkan juga.",
        "Session cancelled; reminders not yet sent are cancelled too.",
    ),
    # notices and errors
    "notice.service_down": (
        "Layanan {service} sedang tidak dapat dihubungi; bagian ini tidak ditampilkan. "
        "Coba lagi sebentar lagi.",
        "The {service} service cannot be reached right now; this part is not shown. "
        "Try again shortly.",
    ),
    "error.required": ("Wajib diisi.", "Required."),
    "error.too_long": ("Paling banyak {length} karakter.", "At most {length} characters."),
    "error.nik": ("NIK harus tepat 16 angka.", "A NIK is exactly 16 digits."),
    "error.date": ("Tanggal tidak valid (TTTT-BB-HH).", "Not a valid date (YYYY-MM-DD)."),
    "error.time": ("Jam tidak valid (JJ:MM).", "Not a valid time (HH:MM)."),
    "error.number": ("Masukkan bilangan bulat.", "Enter a whole number."),
    "error.range": ("Antara {low} dan {high}.", "Between {low} and {high}."),
    "error.email": ("Alamat email tidak valid.", "Not a valid email address."),
    "error.email_taken": ("Email ini sudah dipakai akun lain.", "This email has an account."),
    "error.password_short": (
        "Kata sandi minimal 10 karakter.",
        "A password has at least 10 characters.",
    ),
    "error.choice": ("Pilihan tidak dikenal.", "Not one of the choices."),
    "error.phone_for_channel": (
        "Nomor telepon diperlukan untuk SMS/WhatsApp.",
        "A phone number is needed for SMS/WhatsApp.",
    ),
    "error.email_for_channel": (
        "Alamat email diperlukan untuk saluran email.",
        "An email address is needed for the email channel.",
    ),
    "error.guardian_name": ("Sebutkan nama wali.", "Name the guardian."),
    "error.answer": ("Pilih salah satu.", "Choose one."),
    "error.override_reason": (
        "Tuliskan alasan memakai tingkat layanan lain.",
        "Give the reason for choosing another level.",
    ),
    "error.override_level": (
        "Pilih tingkat layanan yang dipakai, atau kosongkan alasannya.",
        "Choose the level used instead, or leave the reason empty.",
    ),
    "error.too_many_lines": ("Paling banyak {n} baris.", "At most {n} lines."),
    "error.line_too_long": (
        "Setiap baris paling banyak {length} karakter.",
        "At most {length} characters a line.",
    ),
    "error.unavailable_form": (
        "Layanan {service} sedang tidak dapat dihubungi; belum ada yang tersimpan. Isian Anda "
        "masih di sini: kirim lagi sebentar lagi.",
        "The {service} service cannot be reached right now; nothing was saved. What you typed "
        "is still here: send it again shortly.",
    ),
    "error.check_form": (
        "Periksa isian yang ditandai di bawah.",
        "Please check the fields marked below.",
    ),
    "error.unavailable_title": ("Layanan sedang tidak tersedia", "Service unavailable"),
    "error.unavailable": (
        "Layanan {service} sedang tidak dapat dihubungi. Data Anda aman; coba lagi sebentar lagi.",
        "The {service} service cannot be reached right now. Your data is safe; try again shortly.",
    ),
    "error.busy": (
        "Layanan {service} sedang sibuk. Coba lagi sebentar lagi.",
        "The {service} service is busy. Try again shortly.",
    ),
    "error.api_title": ("Terjadi gangguan", "Something went wrong"),
    "error.api": (
        "Layanan {service} menjawab dengan kesalahan. Tidak ada yang berubah; coba lagi.",
        "The {service} service answered with an error. Nothing changed; try again.",
    ),
    "error.not_found_title": ("Tidak ditemukan", "Not found"),
    "error.not_found": ("Halaman atau data ini tidak ada.", "This page or record does not exist."),
    "error.forbidden_title": ("Tidak diizinkan", "Not allowed"),
    "error.forbidden": (
        "Peran Anda tidak boleh melakukan ini.",
        "Your role may not do this.",
    ),
    "error.session_title": ("Sesi berakhir", "Session ended"),
    "error.api_refused_token": (
        "Layanan menolak sesi Anda. Silakan keluar lalu masuk lagi.",
        "The service refused your session. Please sign out and sign in again.",
    ),
    "error.csrf_title": ("Formulir kedaluwarsa", "Form expired"),
    "error.csrf": (
        "Formulir ini tidak dapat diterima (token keamanan hilang atau kedaluwarsa). "
        "Muat ulang halaman lalu kirim lagi.",
        "This form could not be accepted (its security token is missing or expired). "
        "Reload the page and send it again.",
    ),
    "error.bad_request_title": ("Permintaan tidak valid", "Bad request"),
    "error.bad_request": (
        "Permintaan ini tidak dapat diproses.",
        "This request cannot be handled.",
    ),
    "error.not_allowed_title": ("Tidak didukung", "Not supported"),
    "error.not_allowed": ("Cara ini tidak didukung di halaman ini.", "Not supported on this page."),
    "error.too_large_title": ("Terlalu besar", "Too large"),
    "error.too_large": ("Isian terlalu besar.", "What was sent is too large."),
    "error.internal_title": ("Terjadi kesalahan", "Something went wrong"),
    "error.internal": (
        "Terjadi kesalahan di pihak kami. Coba lagi; jika berulang, hubungi admin.",
        "Something went wrong on our side. Try again; if it happens again, tell your admin.",
    ),
    "error.try_again": ("Coba lagi", "Try again"),
    "error.back_home": ("Kembali ke dampingan saya", "Back to my caseload"),
    # caseload
    "caseload.title": ("Dampingan saya", "My caseload"),
    "caseload.title_all": ("Semua klien", "All clients"),
    "caseload.search": ("Cari nama atau kode klien", "Search a client's name or code"),
    "caseload.search_button": ("Cari", "Search"),
    "caseload.mine": ("Klien saya", "My clients"),
    "caseload.everyone": ("Semua klien", "All clients"),
    "caseload.next_session": ("Sesi berikutnya", "Next session"),
    "caseload.attention": ("Perlu perhatian", "Needs attention"),
    "caseload.assessment_overdue": (
        "Asesmen terlambat (jatuh tempo {due})",
        "Assessment overdue (due {due})",
    ),
    "caseload.followup_overdue": (
        "Bimbingan lanjut terlambat ({due})",
        "Follow-up overdue ({due})",
    ),
    "caseload.followup_due": ("Bimbingan lanjut {due}", "Follow-up due {due}"),
    "caseload.followups_due": ("Bimbingan lanjut jatuh tempo", "Follow-ups due"),
    "caseload.record_outcome": ("Catat hasil", "Record outcome"),
    "caseload.empty": (
        "Belum ada klien dalam dampingan Anda.",
        "You have no clients in your caseload yet.",
    ),
    "caseload.empty_search": ("Tidak ada klien yang cocok.", "No client matches."),
    # intake
    "intake.title": ("Pendaftaran klien baru", "New client intake"),
    "intake.identity": ("Identitas", "Identity"),
    "intake.use": ("Riwayat penggunaan dan rujukan", "Use and referral"),
    "intake.family": ("Kontak keluarga", "Family contacts"),
    "intake.family_hint": (
        "Pesan ke keluarga bersifat rahasia dan hanya dikirim dengan persetujuan. "
        "Hapus centang \u201cboleh dihubungi\u201d untuk kerabat yang tidak boleh dihubungi.",
        "Family messages are discreet and sent only with consent. Untick \u201cmay be "
        "contacted\u201d for a relative who must never be contacted.",
    ),
    "intake.contact_n": ("Kontak {n}", "Contact {n}"),
    "intake.optional": ("tidak wajib", "optional"),
    "intake.consent": ("Persetujuan", "Consent"),
    "intake.submit": ("Daftarkan klien", "Register client"),
    "intake.open_existing": (
        "Buka klien yang sudah terdaftar dengan NIK ini",
        "Open the client already registered with this NIK",
    ),
    # fields
    "field.client": ("Klien", "Client"),
    "field.status": ("Status", "Status"),
    "field.case_worker": ("Pendamping", "Case worker"),
    "field.full_name": ("Nama lengkap", "Full name"),
    "field.nik": ("NIK", "NIK"),
    "field.date_of_birth": ("Tanggal lahir", "Date of birth"),
    "field.date_of_birth_estimated": (
        "Hanya tahunnya yang diketahui",
        "Only the year is known",
    ),
    "field.sex": ("Jenis kelamin", "Sex"),
    "field.phone": ("Telepon", "Phone"),
    "field.address": ("Alamat", "Address"),
    "field.primary_substances": ("Zat utama", "Primary substances"),
    "field.use_duration_months": ("Lama penggunaan (bulan)", "Use duration (months)"),
    "field.route_of_use": ("Cara penggunaan", "Route of use"),
    "field.referral_source": ("Sumber rujukan", "Referral source"),
    "field.referral_compulsory": ("Wajib lapor / putusan", "Compulsory (court or police)"),
    "field.referral_reference_no": ("Nomor surat rujukan", "Referral reference no."),
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
    "field.family_agreement": (
        "Keluarga menyetujui rehabilitasi",
        "The family agrees to the treatment",
    ),
    "field.admitted_on": ("Tanggal masuk", "Admitted on"),
    "field.session_kind": ("Jenis sesi", "Kind of session"),
    "field.day": ("Tanggal", "Date"),
    "field.time": ("Jam", "Time"),
    "field.duration_minutes": ("Durasi (menit)", "Duration (minutes)"),
    "field.location": ("Tempat", "Place"),
    "field.title": ("Judul", "Title"),
    "field.note_kind": ("Jenis catatan", "Kind of note"),
    "field.note_text": ("Catatan", "Note"),
    "field.obstacles": ("Hambatan yang ditemui", "Obstacles met"),
    "field.message": ("Pesan", "Message"),
    "field.recipient": ("Penerima", "Recipient"),
    "field.when": ("Waktu", "When"),
    "field.programme": ("Program", "Programme"),
    "field.program_kind": ("Jenis", "Kind"),
    "field.duration_days": ("Lama (hari)", "Length (days)"),
    "field.name": ("Nama", "Name"),
    "field.role": ("Peran", "Role"),
    "field.password": ("Kata sandi", "Password"),
    "field.from": ("Dari", "From"),
    "field.to": ("Sampai", "To"),
    "field.strengths": ("Kekuatan", "Strengths"),
    "field.limitations": ("Keterbatasan", "Limitations"),
    "field.assessment_notes": ("Catatan asesmen", "Assessment notes"),
    "field.level_override": ("Tingkat layanan lain", "Another level of care"),
    "field.override_reason": ("Alasan memakai tingkat lain", "Reason for another level"),
    "field.start_on": ("Mulai tanggal", "Starts on"),
    "field.discharge_reason": ("Alasan selesai", "Reason"),
    "field.discharged_on": ("Tanggal selesai", "Discharged on"),
    "field.outcome": ("Hasil", "Outcome"),
    "field.followup_notes": ("Catatan", "Notes"),
    "field.attendance": ("Kehadiran klien", "The client's attendance"),
    "field.family_attended": ("Keluarga hadir", "The family came"),
    # hints
    "hint.full_name": ("Satu nama saja juga boleh.", "A single name is fine."),
    "hint.nik": ("16 angka; disimpan terenkripsi.", "16 digits; stored encrypted."),
    "hint.phone": ("Misalnya 0812…", "For example 0812…"),
    "hint.substances": (
        "Pisahkan dengan koma, mis. metamfetamin, ganja",
        "Separate with commas, e.g. methamphetamine, cannabis",
    ),
    "hint.relationship": ("mis. ibu, kakak", "e.g. mother, brother"),
    "hint.guardian": ("Untuk klien di bawah umur.", "For a minor."),
    "hint.admitted_on": ("Kosong: hari ini.", "Empty: today."),
    "hint.reschedule_session": (
        "Jam menurut zona waktu yayasan ({tz}). Keluarga yang diundang diberi tahu jadwal "
        "barunya, dan pengingatnya ikut pindah.",
        "Time in the foundation's time zone ({tz}). Invited families are told the new time, "
        "and their reminder moves with it.",
    ),
    "hint.family_session": (
        "Jam menurut zona waktu yayasan ({tz}). Sesi keluarga mengundang keluarga yang "
        "menyetujui, lalu mengingatkan mereka 24 jam sebelumnya.",
        "Time in the foundation's time zone ({tz}). A family session invites consenting "
        "families and reminds them 24 hours before.",
    ),
    "hint.crisis": (
        "Catatan krisis langsung memberi tahu staf.",
        "A crisis note alerts staff at once.",
    ),
    "hint.password": (
        "Kosongkan untuk membuat kata sandi acak (ditampilkan sekali).",
        "Leave empty for a random password (shown once).",
    ),
    "hint.dimensions": (
        "Nilai tiap dimensi ASAM dari 0 (tidak ada masalah) sampai 4 (sangat berat). "
        "Tingkat layanan dihitung dari nilai ini.",
        "Rate each ASAM dimension from 0 (no problem) to 4 (very severe). The level of "
        "care is worked out from these ratings.",
    ),
    "hint.one_per_line": ("Satu per baris.", "One per line."),
    "hint.level_override": (
        "Hanya jika memakai tingkat yang berbeda dari yang disarankan; wajib dengan alasan.",
        "Only when using a level other than the recommended one; needs a reason.",
    ),
    "hint.no_programmes": (
        "Belum ada program; admin menambahkannya di halaman Program.",
        "No programmes yet; an admin adds them on the Programmes page.",
    ),
    "hint.discharge": (
        "Bimbingan lanjut dijadwalkan 30, 90 dan 180 hari setelah tanggal selesai.",
        "Follow-ups are scheduled 30, 90 and 180 days after the discharge date.",
    ),
    "hint.consent_withdrawal": (
        "Tanpa persetujuan menghubungi keluarga, pesan keluarga yang belum terkirim dibatalkan.",
        "Without consent to contact the family, family messages not yet sent are cancelled.",
    ),
    "hint.remove_contact": (
        "{name} dihapus dari kontak keluarga; pesan yang belum terkirim kepadanya dibatalkan.",
        "{name} is removed from the family contacts; messages not yet sent to them are cancelled.",
    ),
    "hint.cancel_session": (
        "Pengingat yang belum terkirim dibatalkan; keluarga yang diundang diberi tahu.",
        "Reminders not yet sent are cancelled; invited families are told.",
    ),
    "hint.followups_due": (
        "Terlambat, atau jatuh tempo dalam {days} hari ke depan.",
        "Overdue, or due within the next {days} days.",
    ),
    # client page
    "client.care": ("Perawatan", "Care"),
    "client.assessment": ("Asesmen", "Assessment"),
    "client.due_at": ("jatuh tempo {due}", "due {due}"),
    "client.recommended_level": ("Tingkat layanan yang disarankan", "Recommended level of care"),
    "client.chosen_level": ("dipilih", "chosen"),
    "client.placement": ("Penempatan", "Placement"),
    "client.since": ("sejak {day}", "since {day}"),
    "client.admitted_on": ("Masuk", "Admitted"),
    "client.care_unknown": (
        "Layanan asesmen belum mengenal klien ini; muat ulang sebentar lagi.",
        "The assessment service does not know this client yet; reload shortly.",
    ),
    "client.actions": ("Tindakan", "Actions"),
    "client.admit": ("Terima klien (admisi)", "Admit the client"),
    "client.admit_submit": ("Terima", "Admit"),
    "client.schedule_session": ("Jadwalkan sesi", "Schedule a session"),
    "client.schedule_submit": ("Jadwalkan", "Schedule"),
    "client.add_note": ("Tambah catatan", "Add a note"),
    "client.note_submit": ("Simpan catatan", "Save note"),
    "client.messages": ("Pesan ke keluarga dan staf", "Family and staff messages"),
    "client.no_messages": ("Belum ada pesan.", "No messages yet."),
    "client.show_text": ("isi", "text"),
    "client.sessions": ("Sesi", "Sessions"),
    "client.no_sessions": ("Belum ada sesi.", "No sessions yet."),
    "client.minutes": ("{n} menit", "{n} min"),
    "client.notes": ("Catatan perkembangan", "Notes"),
    "client.no_notes": ("Belum ada catatan.", "No notes yet."),
    "client.identity": ("Identitas", "Identity"),
    "client.estimated": ("perkiraan", "estimated"),
    "client.consent": ("Persetujuan", "Consent"),
    "client.consent_changes": ("{n} perubahan tercatat.", "{n} changes recorded."),
    "client.family": ("Keluarga", "Family"),
    "client.no_family": ("Tidak ada kontak keluarga.", "No family contacts."),
    "client.never_contact": ("jangan dihubungi", "never contact"),
    "client.screenings": ("Skrining", "Screenings"),
    "client.no_screenings": ("Belum ada skrining.", "No screenings yet."),
    "client.score": ("skor {n}", "score {n}"),
    "client.discharged_on": ("Selesai", "Discharged"),
    "client.findings": ("Rincian asesmen", "Assessment details"),
    "client.complete_assessment": ("Lengkapi asesmen", "Complete the assessment"),
    "client.assessment_submit": ("Simpan asesmen", "Save assessment"),
    "client.place": ("Tempatkan di program", "Place in a programme"),
    "client.place_submit": ("Tempatkan", "Place"),
    "client.discharge": ("Akhiri perawatan", "Discharge"),
    "client.discharge_submit": ("Akhiri perawatan", "Discharge"),
    "client.screen": ("Skrining DAST-10", "DAST-10 screening"),
    "client.screen_submit": ("Simpan skrining", "Save screening"),
    "client.followups": ("Bimbingan lanjut", "Follow-up"),
    "client.plan": ("Rencana perawatan", "Treatment plan"),
    "client.reassess": ("Minta asesmen ulang", "Ask for a reassessment"),
    "client.reassess_submit": ("Jadwalkan asesmen ulang", "Schedule the reassessment"),
    "client.assessment_history": ("Asesmen sebelumnya ({n})", "Earlier assessments ({n})"),
    "hint.reassess": (
        "Asesmen baru jatuh tempo dalam 72 jam; pendamping diingatkan, dan asesmen "
        "sebelumnya tetap tersimpan sebagai riwayat.",
        "A new assessment falls due within 72 hours; the case worker is reminded, and the "
        "earlier ones stay as history.",
    ),
    "flash.reassessment_requested": (
        "Asesmen ulang dijadwalkan, jatuh tempo {due}.",
        "Reassessment scheduled, due {due}.",
    ),
    "client.no_goals": ("Belum ada tujuan.", "No goals yet."),
    "client.goal_target": ("target {day}", "by {day}"),
    "client.goal_change": ("Ubah status", "Change status"),
    "client.goal_change_submit": ("Simpan status", "Save status"),
    "client.goal_add": ("Tambah tujuan", "Add a goal"),
    "client.goal_add_submit": ("Tambahkan", "Add"),
    "field.goal_text": ("Tujuan", "Goal"),
    "field.goal_target_date": ("Target tanggal", "Target date"),
    "field.goal_status": ("Status", "Status"),
    "goal_status.open": ("Belum dimulai", "Open"),
    "goal_status.in_progress": ("Sedang dijalani", "In progress"),
    "goal_status.achieved": ("Tercapai", "Achieved"),
    "goal_status.dropped": ("Dihentikan", "Dropped"),
    "client.followup_pending": ("belum dicatat", "not recorded yet"),
    "client.followup_record": ("Catat hasil", "Record the outcome"),
    "client.followup_change": ("Ubah hasil", "Change the outcome"),
    "client.followup_submit": ("Simpan hasil", "Save outcome"),
    "client.attendance": ("Catat kehadiran", "Take attendance"),
    "client.attendance_submit": ("Simpan kehadiran", "Save attendance"),
    "client.family_came": ("keluarga hadir", "family came"),
    "client.family_did_not_come": ("keluarga tidak hadir", "family did not come"),
    "client.cancel_session": ("Batalkan sesi", "Cancel the session"),
    "client.reschedule_session": ("Pindah jadwal", "Reschedule"),
    "client.reschedule_submit": ("Simpan jadwal baru", "Save the new time"),
    "client.cancel_session_submit": ("Ya, batalkan sesi ini", "Yes, cancel this session"),
    "client.change_consent": ("Ubah persetujuan", "Change consent"),
    "client.consent_submit": ("Simpan persetujuan", "Save consent"),
    "client.change_contact": ("Ubah", "Change"),
    "client.contact_submit": ("Simpan kontak", "Save contact"),
    "client.remove_contact": ("Hapus", "Remove"),
    "client.remove_contact_submit": ("Ya, hapus kontak ini", "Yes, remove this contact"),
    "client.add_contact": ("Tambah kontak keluarga", "Add a family contact"),
    "client.add_contact_submit": ("Tambah kontak", "Add contact"),
    # assessment
    "assessment.dimensions": ("Enam dimensi ASAM", "The six ASAM dimensions"),
    "dimension.withdrawal": (
        "1. Intoksikasi akut dan potensi putus zat",
        "1. Acute intoxication and withdrawal potential",
    ),
    "dimension.biomedical": (
        "2. Kondisi dan komplikasi biomedis",
        "2. Biomedical conditions and complications",
    ),
    "dimension.emotional_behavioral": (
        "3. Kondisi emosi, perilaku atau kognitif",
        "3. Emotional, behavioural or cognitive conditions",
    ),
    "dimension.readiness_to_change": ("4. Kesiapan untuk berubah", "4. Readiness to change"),
    "dimension.relapse_potential": (
        "5. Potensi kambuh atau terus memakai",
        "5. Relapse or continued use potential",
    ),
    "dimension.recovery_environment": ("6. Lingkungan pemulihan", "6. Recovery environment"),
    "rating.0": ("0 – tidak ada masalah", "0 – no problem"),
    "rating.1": ("1 – ringan", "1 – mild"),
    "rating.2": ("2 – sedang", "2 – moderate"),
    "rating.3": ("3 – berat", "3 – severe"),
    "rating.4": ("4 – sangat berat", "4 – very severe"),
    "placement.option": (
        "{name} – {available} dari {capacity} tempat tersedia",
        "{name} – {available} of {capacity} places free",
    ),
    "placement.option_full": (
        "{name} – penuh ({available} dari {capacity} tempat tersedia)",
        "{name} – full ({available} of {capacity} places free)",
    ),
    # DAST-10 (Skinner, 1982): the past 12 months; item 3 is scored on "no"
    "dast.intro": (
        "Pertanyaan berikut tentang 12 bulan terakhir. \u201cNarkoba\u201d berarti zat yang "
        "dipakai bukan untuk pengobatan, termasuk obat resep yang disalahgunakan; tidak "
        "termasuk alkohol dan rokok.",
        "These questions refer to the past 12 months. \u201cDrugs\u201d means drugs used "
        "for non-medical reasons, including prescribed drugs misused; not alcohol or tobacco.",
    ),
    "dast.q1": (
        "Apakah Anda pernah memakai narkoba selain untuk keperluan pengobatan?",
        "Have you used drugs other than those required for medical reasons?",
    ),
    "dast.q2": (
        "Apakah Anda menyalahgunakan lebih dari satu jenis narkoba sekaligus?",
        "Do you abuse more than one drug at a time?",
    ),
    "dast.q3": (
        "Apakah Anda selalu bisa berhenti memakai narkoba saat Anda mau?",
        "Are you always able to stop using drugs when you want to?",
    ),
    "dast.q4": (
        "Apakah Anda pernah mengalami hilang ingatan sesaat (blackout) atau kilas balik "
        "(flashback) akibat memakai narkoba?",
        "Have you had \u201cblackouts\u201d or \u201cflashbacks\u201d as a result of drug use?",
    ),
    "dast.q5": (
        "Apakah Anda pernah merasa tidak enak atau bersalah karena memakai narkoba?",
        "Do you ever feel bad or guilty about your drug use?",
    ),
    "dast.q6": (
        "Apakah pasangan (atau orang tua) Anda pernah mengeluhkan keterlibatan Anda dengan "
        "narkoba?",
        "Does your spouse (or parents) ever complain about your involvement with drugs?",
    ),
    "dast.q7": (
        "Apakah Anda pernah menelantarkan keluarga karena memakai narkoba?",
        "Have you neglected your family because of your use of drugs?",
    ),
    "dast.q8": (
        "Apakah Anda pernah melakukan kegiatan melanggar hukum untuk mendapatkan narkoba?",
        "Have you engaged in illegal activities in order to obtain drugs?",
    ),
    "dast.q9": (
        "Apakah Anda pernah mengalami gejala putus zat (merasa sakit) saat berhenti memakai "
        "narkoba?",
        "Have you ever experienced withdrawal symptoms (felt sick) when you stopped taking drugs?",
    ),
    "dast.q10": (
        "Apakah Anda pernah mengalami masalah kesehatan akibat memakai narkoba (mis. hilang "
        "ingatan, hepatitis, kejang, perdarahan)?",
        "Have you had medical problems as a result of your drug use (e.g. memory loss, "
        "hepatitis, convulsions, bleeding)?",
    ),
    # calendar
    "calendar.title": ("Kalender sesi", "Session calendar"),
    "calendar.previous": ("Minggu lalu", "Previous week"),
    "calendar.this_week": ("Minggu ini", "This week"),
    "calendar.next": ("Minggu depan", "Next week"),
    # programmes
    "programmes.title": ("Program", "Programmes"),
    "programmes.occupancy": ("Keterisian", "Occupancy"),
    "programmes.occupied": ("Terisi", "Occupied"),
    "programmes.capacity": ("Kapasitas", "Capacity"),
    "programmes.available": ("Tersedia", "Available"),
    "programmes.none": ("Belum ada program.", "No programmes yet."),
    "programmes.new": ("Program baru", "New programme"),
    "programmes.create": ("Buat program", "Create programme"),
    # reports
    "reports.title": ("Laporan", "Reports"),
    "reports.show": ("Tampilkan", "Show"),
    "reports.ipwl_csv": ("Unduh rekap IPWL (CSV)", "Download IPWL recap (CSV)"),
    "reports.caseload": ("Klien dalam perawatan per pendamping", "Clients in care per case worker"),
    "reports.no_case_worker": ("Tanpa pendamping", "No case worker"),
    "reports.overdue_assessments": ("Asesmen terlambat", "Overdue assessments"),
    "reports.obstacles": ("Hambatan yang ditemui", "Obstacles met"),
    "reports.outcomes": ("Hasil setelah selesai", "Outcomes after discharge"),
    "reports.discharged": ("{n} klien selesai", "{n} discharged"),
    "reports.completion": ("{pct}% menyelesaikan program", "{pct}% completed"),
    "reports.by_reason": ("Alasan selesai", "Discharge reasons"),
    "reports.abstinent_share": (
        "Bebas zat di antara yang terhubungi",
        "Abstinent among those reached",
    ),
    "reports.followup": ("Bimbingan lanjut", "Follow-up"),
    "reports.after_days": ("setelah {days} hari", "after {days} days"),
    "reports.due": ("Jatuh tempo", "Due"),
    "reports.reached": ("Terhubungi", "Reached"),
    "reports.abstinent": ("Bebas zat", "Abstinent"),
    "reports.nothing_yet": ("Belum ada data.", "No data yet."),
    # staff
    "staff.title": ("Staf dan akun konsol", "Staff and console accounts"),
    "staff.new": ("Akun staf baru", "New staff account"),
    "staff.create": ("Buat akun", "Create account"),
    "staff.created": ("Akun {email} dibuat.", "Account {email} created."),
    "staff.password_once": (
        "Kata sandi awal (hanya ditampilkan sekali, sampaikan secara pribadi):",
        "First password (shown only once; hand it over in person):",
    ),
    "staff.last_sign_in": ("Terakhir masuk", "Last sign-in"),
    "staff.access": ("Akses", "Access"),
    "staff.deactivate": ("Nonaktifkan", "Deactivate"),
    "staff.activate": ("Aktifkan", "Activate"),
    "staff.unlock": ("Buka kunci", "Unlock"),
    "account.active": ("Aktif", "Active"),
    "account.inactive": ("Nonaktif", "Inactive"),
    "account.locked": ("Terkunci", "Locked"),
    # codes
    "status.registered": ("Terdaftar", "Registered"),
    "status.admitted": ("Dirawat", "Admitted"),
    "status.placed": ("Ditempatkan", "Placed"),
    "status.discharged": ("Selesai", "Discharged"),
    "assessment.due": ("Belum dilakukan", "Due"),
    "assessment.completed": ("Selesai", "Completed"),
    "assessment.closed": ("Ditutup (klien keluar)", "Closed (client discharged)"),
    "message.scheduled": ("Terjadwal", "Scheduled"),
    "message.queued": ("Dalam antrean", "Queued"),
    "message.sending": ("Sedang dikirim", "Sending"),
    "message.sent": ("Terkirim", "Sent"),
    "message.failed": ("Gagal", "Failed"),
    "message.cancelled": ("Dibatalkan", "Cancelled"),
    "message.suppressed": ("Tidak dikirim (berhenti)", "Suppressed (opted out)"),
    "session_status.scheduled": ("Terjadwal", "Scheduled"),
    "session_status.cancelled": ("Dibatalkan", "Cancelled"),
    "session_status.completed": ("Selesai", "Completed"),
    "session_kind.individual": ("Individu", "Individual"),
    "session_kind.group": ("Kelompok", "Group"),
    "session_kind.family": ("Keluarga", "Family"),
    "note_kind.progress": ("Perkembangan", "Progress"),
    "note_kind.behaviour": ("Perilaku", "Behaviour"),
    "note_kind.motivation": ("Motivasi", "Motivation"),
    "note_kind.crisis": ("Krisis", "Crisis"),
    "obstacle.behaviour_inconsistency": ("Perilaku tidak konsisten", "Inconsistent behaviour"),
    "obstacle.closed_attitude": ("Sikap tertutup", "Closed attitude"),
    "obstacle.family_communication": ("Komunikasi keluarga", "Family communication"),
    "obstacle.staff_capacity": ("Kapasitas staf", "Staff capacity"),
    "obstacle.other": ("Lainnya", "Other"),
    "template.family.welcome": ("Sambutan untuk keluarga", "Family welcome"),
    "template.family.session_invitation": ("Undangan sesi keluarga", "Family session invitation"),
    "template.family.session_reminder": ("Pengingat sesi keluarga", "Family session reminder"),
    "template.family.session_changed": ("Perubahan jadwal sesi", "Session changed"),
    "template.family.session_cancelled": ("Sesi dibatalkan", "Session cancelled"),
    "template.family.progress_update": ("Kabar perkembangan", "Progress update"),
    "template.family.followup": ("Bimbingan lanjut keluarga", "Family follow-up"),
    "template.staff.assessment_due": ("Asesmen jatuh tempo", "Assessment due"),
    "template.staff.followup_due": ("Bimbingan lanjut jatuh tempo", "Follow-up due"),
    "template.staff.crisis_alert": ("Peringatan krisis", "Crisis alert"),
    "template.staff.delivery_failed": ("Pesan gagal terkirim", "Message delivery failed"),
    "recipient.family": ("keluarga", "family"),
    "recipient.staff": ("staf", "staff"),
    "channel.sms": ("SMS", "SMS"),
    "channel.whatsapp": ("WhatsApp", "WhatsApp"),
    "channel.email": ("Email", "Email"),
    "channel.log": ("Log (pengembangan)", "Log (development)"),
    "channel.webhook": ("Webhook", "Webhook"),
    "role.admin": ("Admin", "Admin"),
    "role.social_worker": ("Pekerja sosial", "Social worker"),
    "role.counselor": ("Konselor", "Counsellor"),
    "role.viewer": ("Hanya melihat", "Viewer"),
    "locale.id": ("Bahasa Indonesia", "Indonesian"),
    "locale.en": ("Bahasa Inggris", "English"),
    "sex.male": ("Laki-laki", "Male"),
    "sex.female": ("Perempuan", "Female"),
    "route.oral": ("Ditelan", "Oral"),
    "route.smoked": ("Dihisap", "Smoked"),
    "route.inhaled": ("Dihirup", "Inhaled"),
    "route.injected": ("Disuntik", "Injected"),
    "route.other": ("Lainnya", "Other"),
    "referral.self": ("Datang sendiri", "Self"),
    "referral.family": ("Keluarga", "Family"),
    "referral.police": ("Polisi", "Police"),
    "referral.court": ("Pengadilan", "Court"),
    "referral.bnn": ("BNN", "BNN"),
    "referral.hospital": ("Rumah sakit", "Hospital"),
    "referral.community": ("Masyarakat", "Community"),
    "referral.other": ("Lainnya", "Other"),
    "given_by.client": ("Klien sendiri", "The client"),
    "given_by.guardian": ("Wali", "A guardian"),
    "level.outpatient": ("Rawat jalan", "Outpatient"),
    "level.intensive_outpatient": ("Rawat jalan intensif", "Intensive outpatient"),
    "level.residential": ("Rawat inap (residensial)", "Residential"),
    "level.medically_managed": ("Penanganan medis", "Medically managed"),
    "client.screen_assist": ("Skrining ASSIST (WHO)", "ASSIST screening (WHO)"),
    "flash.assist_recorded": ("ASSIST dicatat: {results}.", "ASSIST recorded: {results}."),
    "error.assist_nothing": (
        "Isi pertanyaan untuk setidaknya satu zat yang pernah dipakai.",
        "Answer the questions for at least one substance ever used.",
    ),
    "assist.intro": (
        "Buka setiap zat yang pernah dipakai klien (seumur hidup) dan jawab pertanyaannya; "
        "zat yang tidak pernah dipakai dibiarkan kosong. Jika tidak dipakai dalam 3 bulan "
        "terakhir (pertanyaan 2: tidak pernah), pertanyaan 3 sampai 5 boleh dikosongkan.",
        "Open each substance the client has ever used and answer its questions; leave the "
        "ones never used blank. If not used in the past 3 months (question 2: never), "
        "questions 3 to 5 may stay blank.",
    ),
    "assist.q2": (
        "2. Dalam 3 bulan terakhir, seberapa sering memakai zat ini?",
        "2. In the past 3 months, how often have you used it?",
    ),
    "assist.q3": (
        "3. Dalam 3 bulan terakhir, seberapa sering merasa sangat ingin atau terdorong memakainya?",
        "3. In the past 3 months, how often have you had a strong desire or urge to use it?",
    ),
    "assist.q4": (
        "4. Dalam 3 bulan terakhir, seberapa sering pemakaiannya menimbulkan masalah kesehatan, "
        "sosial, hukum atau keuangan?",
        "4. In the past 3 months, how often has your use led to health, social, legal or "
        "financial problems?",
    ),
    "assist.q5": (
        "5. Dalam 3 bulan terakhir, seberapa sering gagal melakukan yang biasanya diharapkan "
        "karena pemakaiannya?",
        "5. In the past 3 months, how often have you failed to do what was normally expected "
        "of you because of your use?",
    ),
    "assist.q6": (
        "6. Pernahkah teman, keluarga atau orang lain menyatakan khawatir tentang pemakaiannya?",
        "6. Has a friend, relative or anyone else ever expressed concern about your use?",
    ),
    "assist.q7": (
        "7. Pernahkah mencoba mengurangi atau berhenti memakai, tetapi gagal?",
        "7. Have you ever tried and failed to control, cut down or stop using it?",
    ),
    "assist_option.never": ("Tidak pernah", "Never"),
    "assist_option.once_or_twice": ("Sekali atau dua kali", "Once or twice"),
    "assist_option.monthly": ("Setiap bulan", "Monthly"),
    "assist_option.weekly": ("Setiap minggu", "Weekly"),
    "assist_option.daily_or_almost_daily": (
        "Setiap hari atau hampir setiap hari",
        "Daily or almost daily",
    ),
    "assist_option.yes_past_3_months": ("Ya, dalam 3 bulan terakhir", "Yes, in the past 3 months"),
    "assist_option.yes_not_past_3_months": (
        "Ya, tetapi tidak dalam 3 bulan terakhir",
        "Yes, but not in the past 3 months",
    ),
    "assist_substance.tobacco": ("Tembakau (rokok, kretek)", "Tobacco"),
    "assist_substance.alcohol": ("Alkohol (termasuk tuak, ciu)", "Alcohol"),
    "assist_substance.cannabis": ("Ganja", "Cannabis"),
    "assist_substance.cocaine": ("Kokain", "Cocaine"),
    "assist_substance.amphetamines": (
        "Stimulan jenis amfetamin (sabu, ekstasi)",
        "Amphetamine-type stimulants (meth, ecstasy)",
    ),
    "assist_substance.inhalants": ("Inhalansia (lem, tiner)", "Inhalants (glue, thinner)"),
    "assist_substance.sedatives": (
        "Obat penenang atau obat tidur",
        "Sedatives or sleeping pills",
    ),
    "assist_substance.hallucinogens": ("Halusinogen", "Hallucinogens"),
    "assist_substance.opioids": ("Opioid (heroin, putaw, morfin)", "Opioids (heroin, morphine)"),
    "assist_substance.other": ("Lainnya", "Other"),
    "risk.none": ("Tanpa risiko", "No risk"),
    "risk.low": ("Risiko rendah", "Low risk"),
    "risk.moderate": ("Risiko sedang", "Moderate risk"),
    "risk.substantial": ("Risiko cukup tinggi", "Substantial risk"),
    "risk.severe": ("Risiko berat", "Severe risk"),
    "risk.high": ("Risiko tinggi", "High risk"),
    "program_kind.residential": ("Residensial", "Residential"),
    "program_kind.outpatient": ("Rawat jalan", "Outpatient"),
    "program_kind.aftercare": ("Pasca-rawat", "Aftercare"),
    "program_kind.vocational": ("Vokasional", "Vocational"),
    "discharge.completed": ("Menyelesaikan program", "Completed"),
    "discharge.dropped_out": ("Berhenti di tengah", "Dropped out"),
    "discharge.referred": ("Dirujuk", "Referred"),
    "discharge.other": ("Lainnya", "Other"),
    "outcome.abstinent": ("Bebas zat", "Abstinent"),
    "outcome.relapsed": ("Kambuh", "Relapsed"),
    "outcome.lost_contact": ("Hilang kontak", "Lost contact"),
    "outcome.other": ("Lainnya", "Other"),
    "attendance.attended": ("Hadir", "Attended"),
    "attendance.absent": ("Tidak hadir", "Absent"),
    "attendance.excused": ("Izin", "Excused"),
    "service.intake": ("pendaftaran (intake)", "intake"),
    "service.assessment": ("asesmen", "assessment"),
    "service.notifications": ("pesan", "notifications"),
}

# What the APIs say in English, for the messages a user is likely to meet on a form.
API_MESSAGES: dict[str, tuple[str, str]] = {
    "Missing data for required field.": ("Wajib diisi.", "Required."),
    "May not be blank.": ("Tidak boleh kosong.", "May not be blank."),
    "A NIK is exactly 16 digits.": ("NIK harus tepat 16 angka.", "A NIK is exactly 16 digits."),
    "Not a valid email address.": ("Alamat email tidak valid.", "Not a valid email address."),
    "Not a valid date.": ("Tanggal tidak valid.", "Not a valid date."),
    "Must be a past date (after 1900).": (
        "Harus tanggal yang sudah lewat (setelah 1900).",
        "Must be a past date (after 1900).",
    ),
    "No such staff member.": ("Staf ini tidak dikenal.", "No such staff member."),
    "No such client in this foundation.": (
        "Layanan asesmen belum mengenal klien ini; coba lagi beberapa detik lagi.",
        "The assessment service does not know this client yet; try again in a few seconds.",
    ),
    "An individual session has one client.": (
        "Sesi individu hanya untuk satu klien.",
        "An individual session has one client.",
    ),
    "Name the guardian who gave consent.": ("Sebutkan nama wali.", "Name the guardian."),
    "Not a phone number.": ("Bukan nomor telepon.", "Not a phone number."),
    "Not a valid phone number.": ("Nomor telepon tidak valid.", "Not a valid phone number."),
    "A client with this NIK exists.": (
        "Klien dengan NIK ini sudah terdaftar.",
        "A client with this NIK exists.",
    ),
    "May not be in the future.": (
        "Tidak boleh tanggal yang akan datang.",
        "May not be in the future.",
    ),
    "May not be before admission.": (
        "Tidak boleh sebelum tanggal masuk.",
        "May not be before admission.",
    ),
    "Must be between 1900-01-01 and 2199-12-31.": (
        "Harus antara 1900-01-01 dan 2199-12-31.",
        "Must be between 1900-01-01 and 2199-12-31.",
    ),
    "No such record in this foundation.": (
        "Data ini tidak ada (mungkin baru dihapus); muat ulang halaman.",
        "No such record (perhaps just removed); reload the page.",
    ),
    "This assessment was closed when the client was discharged.": (
        "Asesmen ini ditutup karena klien sudah keluar.",
        "This assessment was closed when the client was discharged.",
    ),
    "This assessment is completed; request a reassessment instead.": (
        "Asesmen ini sudah selesai; muat ulang halaman.",
        "This assessment is already completed; reload the page.",
    ),
    "An override needs a reason.": (
        "Tuliskan alasan memakai tingkat layanan lain.",
        "Give the reason for choosing another level.",
    ),
    "Give a reason only with an override.": (
        "Pilih tingkat layanan yang dipakai, atau kosongkan alasannya.",
        "Choose the level used instead, or leave the reason empty.",
    ),
    "The programme is at capacity.": (
        "Program ini sudah penuh: pilih program lain atau tunggu ada tempat kosong.",
        "This programme is full: choose another or wait for a free place.",
    ),
    "The client already has an active placement.": (
        "Klien ini sudah ditempatkan di sebuah program.",
        "The client is already placed in a programme.",
    ),
    "The session is cancelled.": ("Sesi ini sudah dibatalkan.", "The session is cancelled."),
    "Attendance is recorded once the session has started.": (
        "Kehadiran dicatat setelah sesi dimulai.",
        "Attendance is recorded once the session has started.",
    ),
    "This client is not in the session.": (
        "Klien ini tidak ikut sesi tersebut.",
        "This client is not in the session.",
    ),
    "Only for family sessions.": ("Hanya untuk sesi keluarga.", "Only for family sessions."),
    "A minor's consent is given by a guardian.": (
        "Persetujuan untuk anak di bawah umur diberikan oleh wali.",
        "A minor's consent is given by a guardian.",
    ),
    "A phone is needed for sms.": (
        "Nomor telepon diperlukan untuk SMS.",
        "A phone number is needed for SMS.",
    ),
    "A phone is needed for whatsapp.": (
        "Nomor telepon diperlukan untuk WhatsApp.",
        "A phone number is needed for WhatsApp.",
    ),
    "An email is needed for the email channel.": (
        "Alamat email diperlukan untuk saluran email.",
        "An email address is needed for the email channel.",
    ),
    "A client has at most 20 family contacts.": (
        "Seorang klien paling banyak punya 20 kontak keluarga.",
        "A client has at most 20 family contacts.",
    ),
}


API_MESSAGES["An assessment is already due for this episode."] = (
    "Sudah ada asesmen yang jatuh tempo untuk masa perawatan ini; lengkapi itu dulu.",
    "An assessment is already due for this stay; complete that one first.",
)

# State conflicts name the client's status: "The client is registered; ...".
_NOT_IN_CARE = {
    "registered": ("baru terdaftar (belum diterima)", "registered (not admitted yet)"),
    "discharged": ("sudah selesai dirawat", "already discharged"),
}
API_MESSAGES.update(
    {
        f"The client is {status}; only admitted clients are placed.": (
            f"Klien {indonesian}; hanya klien yang sedang dirawat yang dapat ditempatkan.",
            f"The client is {english}; only admitted clients are placed.",
        )
        for status, (indonesian, english) in _NOT_IN_CARE.items()
    }
)
API_MESSAGES.update(
    {
        f"The client is {status}; only admitted or placed clients are discharged.": (
            f"Klien {indonesian}; hanya klien yang sedang dirawat yang dapat diakhiri "
            "perawatannya.",
            f"The client is {english}; only admitted or placed clients are discharged.",
        )
        for status, (indonesian, english) in _NOT_IN_CARE.items()
    }
)


API_MESSAGES.update(
    {
        f"The client is {status}; only clients in care are reassessed.": (
            f"Klien {indonesian}; asesmen ulang hanya untuk klien yang sedang dirawat.",
            f"The client is {english}; only clients in care are reassessed.",
        )
        for status, (indonesian, english) in _NOT_IN_CARE.items()
    }
)

API_MESSAGES["This question must be answered."] = ("Wajib dijawab.", "Answer this question.")

# API messages that carry a value of their own, matched whole (``re.fullmatch``).
API_MESSAGE_PATTERNS: tuple[tuple[str, tuple[str, str]], ...] = (
    (
        r"Answered '[a-z_0-9]+' although [a-z]+ was not used \(q2 never\)\.",
        (
            "Kosongkan atau jawab “Tidak pernah”: zat ini tidak dipakai dalam 3 bulan "
            "terakhir (pertanyaan 2).",
            "Leave blank or answer “Never”: not used in the past 3 months (question 2).",
        ),
    ),
)

# Why a family or staff message was not sent (``reason`` in the notifications API's message
# list, which words it in English); ``retrying: <provider error>`` keeps the error as given.
MESSAGE_REASONS: dict[str, tuple[str, str]] = {
    "consent to contact family withdrawn": (
        "persetujuan menghubungi keluarga dicabut",
        "consent to contact family withdrawn",
    ),
    "family contact removed or may not be contacted": (
        "kontak keluarga dihapus atau tidak boleh dihubungi",
        "family contact removed or may not be contacted",
    ),
    "client unknown": ("klien tidak dikenal", "client unknown"),
    "staff member unknown or inactive": (
        "staf tidak dikenal atau tidak aktif",
        "staff member unknown or inactive",
    ),
    "recipient opted out": (
        "penerima meminta berhenti menerima pesan",
        "recipient opted out",
    ),
    "session cancelled": ("sesi dibatalkan", "session cancelled"),
    "assessment completed": ("asesmen sudah selesai", "assessment completed"),
    "deferred past quiet hours": (
        "ditunda sampai jam tenang berakhir",
        "deferred past quiet hours",
    ),
    "held: waiting for current consent data from intake": (
        "ditahan: menunggu data persetujuan terbaru dari layanan intake",
        "held: waiting for current consent data from intake",
    ),
    "reminder time had already passed when the session was booked": (
        "waktu pengingat sudah lewat saat sesi dijadwalkan",
        "reminder time had already passed when the session was booked",
    ),
    "the reminder would arrive after the session starts": (
        "pengingat akan tiba setelah sesi dimulai",
        "the reminder would arrive after the session starts",
    ),
    "retrying: ": ("mencoba lagi: ", "retrying: "),
}
