"""Models of the timesheets app."""
