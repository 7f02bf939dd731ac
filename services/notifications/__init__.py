"""Notifications: consented family messages and staff reminders, delivered once."""
