"""Models of the ar app."""
