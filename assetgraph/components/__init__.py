"""Dagster's components and ``defs/`` project layout: ``Component`` classes instantiated
from ``defs.yaml`` files or ``@component_instance`` functions, and
``load_from_defs_folder`` / ``load_defs``, which load a project's ``defs/`` folder."""
