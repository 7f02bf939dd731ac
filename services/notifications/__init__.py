"""Notifications: every family and staff message, from the events that call for one to its
delivery, once, through the foundation's channels: templates per locale, consent and
opt-out checked when scheduled and again when sent, quiet hours, retries and failure
alerts, and the replies families send back. It owns the messages, templates, channel
settings and opt-outs, and listens to intake's and assessment's events.
"""
