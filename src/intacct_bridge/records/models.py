"""App-side records (Client, Department, Person, ...); filled by the sync-engine work."""
