"""Lineage export: the asset graph with its status as JSON, DOT, Mermaid, and OpenLineage.

``export.render_lineage`` is the one entry point; ``model`` builds the neutral document
the graph formats render (``json_format``, ``dot``, ``mermaid``) from the status of every
asset (``assetgraph.status.assets``), and ``openlineage`` turns a run's event log into
RunEvents.
Nothing heavy is imported here: each module imports what it needs when called.
"""
