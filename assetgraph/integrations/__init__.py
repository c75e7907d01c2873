"""Dagster's integration packages, as assetgraph names (``from assetgraph import ...``).

``dagster_duckdb`` (``DuckDBResource``, ``DuckDBIOManager``, ``build_duckdb_io_manager``),
``dagster_duckdb_pandas`` and ``dagster_duckdb_polars`` (their type handlers and IO
managers), ``dagster_pandera`` (``pandera_schema_to_dagster_type``) and ``dagster_pandas``
(``PandasColumn``, ``create_dagster_pandas_dataframe_type``). Each behaves as Dagster
documents it; duckdb, pandera and polars are imported only when used.

These modules belong to the core, not to ``io_managers/``: the core may not import that
package, and ``assetgraph.DuckDBPandasIOManager`` must resolve from the core. The DuckDB
connection and identifier code they share with ``io_managers.duckdb`` lives in
``duckdb_connections`` here, and ``io_managers.duckdb`` imports it.
"""
