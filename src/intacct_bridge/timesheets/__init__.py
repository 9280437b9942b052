"""Professional services: approved timesheets to Intacct, and project invoices exported to ARINVOICE."""
