# From dagster-io/dagster examples/docs_projects/project_mini/src/project_mini/ (package marker)
