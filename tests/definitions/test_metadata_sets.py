"""``TableMetadataSet``: Dagster's table metadata under its ``dagster/`` keys."""

from __future__ import annotations

from assetgraph import MetadataValue, TableMetadataSet, TableSchema


def test_a_set_is_a_mapping_of_the_given_entries_and_extracts_back() -> None:
    schema = TableSchema.from_name_type_dict({"a": "int"})
    entries = dict(TableMetadataSet(column_schema=schema, row_count=3))
    assert entries == {"dagster/column_schema": schema, "dagster/row_count": 3}
    assert dict(TableMetadataSet()) == {}
    extracted = TableMetadataSet.extract(
        {"dagster/row_count": MetadataValue.int(7), "other": 1, "dagster/table_name": "t"}
    )
    assert (extracted.row_count, extracted.table_name, extracted.column_schema) == (7, "t", None)
