# From dagster-io/dagster examples/project_fully_featured/project_fully_featured/assets/recommender/ (package marker)
