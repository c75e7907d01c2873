"""The web UI: ``assetgraph ui`` serves the catalog, lineage, partitions, runs and automation.

Nothing here is imported by ``import assetgraph`` or the CLI at start-up: FastAPI and
uvicorn (the ``ui`` extra) load only when the ``ui`` command runs. ``app.create_app``
builds the application; ``api`` holds the JSON routes the pages call.
"""
