"""Fault tests: what assetgraph promises when processes die, writes fail, runs collide."""
