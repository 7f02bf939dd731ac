"""Intake: foundations, staff, clients, screening, consent and admission."""
