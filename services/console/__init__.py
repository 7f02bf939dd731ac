"""The staff console: server-rendered pages for social workers, counsellors and admins.

It keeps only its own accounts; everything else it shows or changes goes through the three
APIs over HTTP, with a short-lived token minted for the signed-in user.
"""
