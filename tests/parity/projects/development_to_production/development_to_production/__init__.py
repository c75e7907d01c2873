# From dagster-io/dagster examples/development_to_production/development_to_production/__init__.py
# (its newest version is empty: the code location is definitions.py)
