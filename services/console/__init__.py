"""The staff console: server-rendered pages for social workers, counsellors and admins.
It owns only its accounts (sign-in, lockout, language); everything else it shows or changes
goes through the three APIs over HTTP, with a short-lived token minted for the signed-in
user, and it turns their refusal codes into texts in Indonesian and English.
"""
