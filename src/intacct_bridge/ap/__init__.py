"""Accounts payable: bills (two-way with APBILL + lines) and the Accounting software sync settings page."""
