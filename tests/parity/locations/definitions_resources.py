"""A ``defs/resources.py`` in the form Dagster 1.10+ projects use: a function decorated
with ``@dg.definitions`` that returns the project's resources, here a ``Config`` instance
bound as a resource. Only the imports of this file change when it is ported."""

import dagster as dg


class GreetingConfig(dg.Config):
    person_name: str


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources={"config": GreetingConfig(person_name="")})
