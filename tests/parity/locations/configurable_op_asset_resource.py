# From dagster-io/dagster examples/docs_snippets/docs_snippets/concepts/configuration/configurable_op_asset_resource.py
from dagster import asset, op, resource


class MyDatabaseConnection:
    def __init__(self, url):
        self.url = url


# start_marker
@op(config_schema={"person_name": str})
def op_using_config(context):
    return f'hello {context.op_config["person_name"]}'


@asset(config_schema={"person_name": str})
def asset_using_config(context):
    # Note how asset config is also accessed with context.op_config
    return f'hello {context.op_config["person_name"]}'


@resource(config_schema={"url": str})
def resource_using_config(context):
    return MyDatabaseConnection(context.resource_config["url"])


# end_marker
