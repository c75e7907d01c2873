"""Planning: from targets per asset (a selection and partition options) to an execution
plan of steps."""
