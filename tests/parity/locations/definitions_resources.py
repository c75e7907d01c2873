# From a user's project on GitHub (defs/resources.py of a Dagster >= 1.10 project, found by searching "@dg.definitions")
import dagster as dg


class MyAssetConfig(dg.Config):
    person_name: str


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"config": MyAssetConfig(person_name="")})
