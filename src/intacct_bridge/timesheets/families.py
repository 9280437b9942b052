"""The timesheets families (specs on the sync engine), registered when the app is ready."""
