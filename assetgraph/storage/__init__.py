"""The metadata database: runs, the event log, the materialization index, dynamic partitions."""
