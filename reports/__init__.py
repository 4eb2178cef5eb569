"""Reports: event log -> metrics tables -> matplotlib figures -> HTML and markdown."""
