"""Links, runs, cursors, conflicts, issues; filled by the sync-engine work."""
