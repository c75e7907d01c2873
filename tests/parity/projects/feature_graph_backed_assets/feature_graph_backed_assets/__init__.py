# From dagster-io/dagster examples/feature_graph_backed_assets/feature_graph_backed_assets/__init__.py
from .definitions import defs as defs
