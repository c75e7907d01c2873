"""dbt models, seeds and snapshots as assets (the ``dbt`` extra: dbt-core and an adapter).

The public names (``dbt_assets``, ``DbtProject``, ``DbtCliResource``,
``DagsterDbtTranslator``, ...) are exported by ``assetgraph``. Only ``runner`` imports dbt,
and only when a manifest must be parsed or a dbt command runs.
"""
