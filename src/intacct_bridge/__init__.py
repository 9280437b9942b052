"""Intacct Bridge: a self-hosted service that syncs an application's data with Sage Intacct."""

__version__ = "0.1.0"
