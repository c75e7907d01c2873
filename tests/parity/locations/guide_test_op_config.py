# From dagster-io/dagster examples/docs_snippets/docs_snippets/guides/test/unit-testing-assets-and-ops/op-config.py
# start_file
import dagster as dg


class FilepathConfig(dg.Config):
    path: str


@dg.op
def load_file(config: FilepathConfig) -> str:
    with open(config.path, encoding="utf-8") as file:
        return file.read()


# end_file


# start_test
def test_load_file() -> None:
    assert load_file(FilepathConfig(path="path1.txt")) == "contents1"
    assert load_file(FilepathConfig(path="path2.txt")) == "contents2"


# end_test
