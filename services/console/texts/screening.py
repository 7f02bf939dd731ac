"""Screening: the DAST-10 and WHO ASSIST questions, their answers and risk levels.

Texts are ``key: (Bahasa Indonesia, English)``; :mod:`services.console.texts` merges them.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "flash.screening_recorded": (
        "Skrining DAST-10 dicatat: skor {score}, {risk}.",
        "DAST-10 screening recorded: score {score}, {risk}.",
    ),
    "client.screenings": ("Skrining", "Screenings"),
    "client.no_screenings": ("Belum ada skrining.", "No screenings yet."),
    "client.score": ("skor {n}", "score {n}"),
    "client.screen": ("Skrining DAST-10", "DAST-10 screening"),
    "client.screen_submit": ("Simpan skrining", "Save screening"),
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
}
