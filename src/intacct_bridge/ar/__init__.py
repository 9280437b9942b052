"""Accounts receivable: invoices (pulled hourly), payments applied in Intacct, invoice images, adjustments."""
