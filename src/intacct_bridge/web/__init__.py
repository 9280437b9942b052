"""The HTML pages: sign-in, workspaces, connection, setup checklist, Test connection, tokens."""
