"""The XML gateway: safe parsing, control block, authentication and sessions, dispatch, transactions,
uniqueid replay protection and the one response serializer."""
