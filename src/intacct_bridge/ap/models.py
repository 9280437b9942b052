"""Models of the ap app."""
