# From dagster-io/dagster examples/docs_snippets/docs_snippets/guides/test/unit-testing-assets-and-ops/op-context.py
# start_file
import dagster as dg


@dg.op
def load_file(context: dg.OpExecutionContext) -> str:
    with open(f"path_{context.partition_key}.txt", encoding="utf-8") as file:
        return file.read()


# end_file


# start_test
def test_load_file() -> None:
    context = dg.build_asset_context(partition_key="2024-08-16")
    assert load_file(context) == "Contents for August 16th, 2024"


# end_test
