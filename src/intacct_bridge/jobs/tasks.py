"""Huey tasks: schedules, Sync now, imports, pushes."""
