"""Models of the psa app."""
