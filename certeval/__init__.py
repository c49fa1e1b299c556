"""Certeval: competency-based certification of teachers and trainers."""

__version__ = "0.1.0"
