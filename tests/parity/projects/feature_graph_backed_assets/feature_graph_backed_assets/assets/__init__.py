# From dagster-io/dagster examples/feature_graph_backed_assets/feature_graph_backed_assets/assets/__init__.py
from .airlines import passenger_flights
