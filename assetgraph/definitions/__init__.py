"""What a code location declares: assets, checks, source assets, config, Definitions,
and how a code location is loaded."""
