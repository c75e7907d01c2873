"""Testing run status sensors as Dagster's alerting docs do: execute a job, take its
``dagster_run`` and its success or failure event, build the sensor's context."""

from __future__ import annotations

import pytest

from assetgraph import (
    DagsterInstance,
    DagsterRunStatus,
    Definitions,
    RunFailureSensorContext,
    RunStatusSensorContext,
    UsageError,
    asset,
    build_run_status_sensor_context,
    define_asset_job,
    run_failure_sensor,
    run_status_sensor,
)

sent: list[str] = []


def email_alert(message: str) -> None:
    sent.append(message)


@asset
def fails() -> int:
    raise Exception("failure!")


@asset
def succeeds() -> int:
    return 1


@run_failure_sensor
def my_email_failure_sensor(context: RunFailureSensorContext) -> None:
    email_alert(
        f'Job "{context.dagster_run.job_name}" failed. Error: {context.failure_event.message}'
    )


@run_status_sensor(run_status=DagsterRunStatus.SUCCESS)
def my_email_sensor(context: RunStatusSensorContext) -> None:
    email_alert(f'Job "{context.dagster_run.job_name}" succeeded.')


DEFS = Definitions(
    assets=[fails, succeeds],
    jobs=[
        define_asset_job("my_job_fails", selection=[fails]),
        define_asset_job("my_job_succeeds", selection=[succeeds]),
    ],
)


def test_a_failure_sensor_is_called_with_a_built_context() -> None:
    sent.clear()
    instance = DagsterInstance.ephemeral()
    result = DEFS.get_job_def("my_job_fails").execute_in_process(
        instance=instance, raise_on_error=False
    )
    dagster_run = result.dagster_run
    dagster_event = result.get_job_failure_event()
    assert dagster_run.status is DagsterRunStatus.FAILURE
    assert dagster_event.event_type_value == "PIPELINE_FAILURE"
    context = build_run_status_sensor_context(
        sensor_name="my_email_failure_sensor",
        dagster_instance=instance,
        dagster_run=dagster_run,
        dagster_event=dagster_event,
    ).for_run_failure()
    my_email_failure_sensor(context)
    assert sent == [f'Job "my_job_fails" failed. Error: {dagster_event.message}']
    assert "fails" in str(dagster_event.message)
    with pytest.raises(UsageError, match="did not succeed"):
        result.get_job_success_event()


def test_a_success_sensor_is_called_with_a_built_context() -> None:
    sent.clear()
    instance = DagsterInstance.ephemeral()
    result = DEFS.get_job_def("my_job_succeeds").execute_in_process(instance=instance)
    context = build_run_status_sensor_context(
        sensor_name="my_email_sensor",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_job_success_event(),
    )
    my_email_sensor(context)
    assert sent == ['Job "my_job_succeeds" succeeded.']
    assert context.dagster_event.event_type_value == "PIPELINE_SUCCESS"
