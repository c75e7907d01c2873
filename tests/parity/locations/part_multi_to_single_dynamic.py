"""Documents partitioned by two dynamic dimensions (group and document), gathered per
group downstream with ``MultiToSingleDimensionPartitionMapping``; sensors register the
keys with ``SensorResult(dynamic_partitions_requests=...)``. Written in the style of Dagster
projects that use these names; only the imports of this file change when it is ported."""

from dagster import (
    AssetIn,
    AutoMaterializePolicy,
    DynamicPartitionsDefinition,
    MultiPartitionsDefinition,
    MultiToSingleDimensionPartitionMapping,
    OpExecutionContext,
    SensorResult,
    asset,
    sensor,
)

documents = DynamicPartitionsDefinition(name="docs")
groups = DynamicPartitionsDefinition(name="grouped")
document_in_group = MultiPartitionsDefinition({"grouped": groups, "docs": documents})


@sensor()
def random_docs_sensor():
    """Registers ten document keys."""
    return SensorResult(
        dynamic_partitions_requests=[documents.build_add_request([f"{n:03d}" for n in range(10)])]
    )


@sensor()
def random_grouped_sensor():
    """Registers three group keys."""
    return SensorResult(dynamic_partitions_requests=[groups.build_add_request(["a", "b", "c"])])


@asset(partitions_def=document_in_group)
def g_first(context: OpExecutionContext) -> str:
    """One document of one group: its own partition key."""
    context.log.info("building %s", context.partition_key)
    return context.partition_key


@asset(
    partitions_def=groups,
    ins={
        "documents_of_group": AssetIn(
            key=g_first.key,
            partition_mapping=MultiToSingleDimensionPartitionMapping("grouped"),
        )
    },
    auto_materialize_policy=AutoMaterializePolicy.eager(),
)
def g_second(context: OpExecutionContext, documents_of_group: dict) -> dict:
    """Every document of the group, by partition key."""
    context.log.info("%d documents", len(documents_of_group))
    return documents_of_group
