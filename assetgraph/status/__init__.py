"""What is missing, stale or failing: staleness, partition status, check status, and the
status of each asset shown by lineage and the UI."""
