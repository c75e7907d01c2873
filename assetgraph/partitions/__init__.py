"""Partitions definitions, partition keys, key ranges and subsets, and partition mappings."""
