"""Telling the user: events, desktop notifications, the notify command, the calendar file."""
