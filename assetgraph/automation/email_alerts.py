"""Dagster's ``make_email_on_run_failure_sensor``: a run failure sensor that sends one
email per failed run through an SMTP server (``smtplib``; SSL or STARTTLS)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Sequence
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from typing import Any, Literal

from assetgraph.automation.run_status_sensors import (
    RunFailureSensorContext,
    RunStatusSensorDefinition,
    run_failure_sensor,
)
from assetgraph.definitions.default_status import DefaultSensorStatus
from assetgraph.errors import DefinitionError

SmtpType = Literal["SSL", "STARTTLS"]
_DEFAULT_PORTS = {"SSL": 465, "STARTTLS": 587}


def default_failure_email_subject(context: RunFailureSensorContext) -> str:
    """``Dagster Run Failed: <job>``, as Dagster words it."""
    return f"Dagster Run Failed: {context.dagster_run.job_name}"


def default_failure_email_body(context: RunFailureSensorContext) -> str:
    """The job that failed, the run and the error (HTML lines)."""
    return "<br>".join(
        [
            f"Pipeline {context.dagster_run.job_name} failed!",
            f"Run ID: {context.dagster_run.run_id}",
            f"Error: {context.failure_event.message}",
        ]
    )


def send_email_via_smtp(
    *,
    email_from: str,
    email_password: str | None,
    email_to: Sequence[str],
    message: str,
    smtp_host: str,
    smtp_port: int,
    smtp_type: SmtpType,
    smtp_user: str | None = None,
) -> None:
    """Log in to the SMTP server (when a password is given) and send ``message``."""
    user = smtp_user or email_from
    if smtp_type == "SSL":
        with smtplib.SMTP_SSL(smtp_host, smtp_port, context=ssl.create_default_context()) as s:
            if email_password:
                s.login(user, email_password)
            s.sendmail(email_from, list(email_to), message)
        return
    with smtplib.SMTP(smtp_host, smtp_port) as server:
        server.starttls(context=ssl.create_default_context())
        if email_password:
            server.login(user, email_password)
        server.sendmail(email_from, list(email_to), message)


def make_email_on_run_failure_sensor(
    email_from: str,
    email_password: str | None,
    email_to: Sequence[str],
    email_body_fn: Callable[[RunFailureSensorContext], str] = default_failure_email_body,
    email_subject_fn: Callable[[RunFailureSensorContext], str] = default_failure_email_subject,
    smtp_host: str = "smtp.gmail.com",
    smtp_type: SmtpType = "SSL",
    smtp_port: int | None = None,
    name: str | None = None,
    webserver_base_url: str | None = None,
    monitored_jobs: Sequence[Any] | None = None,
    job_selection: Sequence[Any] | None = None,
    monitor_all_code_locations: bool = False,
    default_status: DefaultSensorStatus = DefaultSensorStatus.STOPPED,
    monitor_all_repositories: bool = False,
    smtp_user: str | None = None,
    dagit_base_url: str | None = None,
) -> RunStatusSensorDefinition:
    """A run failure sensor that emails ``email_to`` about each failed run of
    ``monitored_jobs`` (default: every job of the code location). ``email_body_fn`` and
    ``email_subject_fn`` take the sensor's context and return the HTML body and subject;
    ``webserver_base_url`` (or ``dagit_base_url``) adds a link to the run. Like every
    sensor it starts stopped unless ``default_status=RUNNING``."""
    if smtp_type not in _DEFAULT_PORTS:
        raise DefinitionError(
            f"make_email_on_run_failure_sensor: smtp_type must be 'SSL' or 'STARTTLS', got "
            f"{smtp_type!r}."
        )
    if isinstance(email_to, str) or not email_to:
        raise DefinitionError(
            "make_email_on_run_failure_sensor: email_to takes a non-empty list of addresses."
        )
    base_url = webserver_base_url or dagit_base_url
    port = smtp_port or _DEFAULT_PORTS[smtp_type]

    def email_on_run_failure(context: RunFailureSensorContext) -> None:
        body = email_body_fn(context)
        if base_url:
            run_url = f"{base_url.rstrip('/')}/runs/{context.dagster_run.run_id}"
            body += f'<br><a href="{run_url}">View in the web UI</a>'
        message = MIMEMultipart()
        message["From"] = email_from
        message["To"] = ", ".join(email_to)
        message["Subject"] = email_subject_fn(context)
        message.attach(MIMEText(body, "html"))
        send_email_via_smtp(
            email_from=email_from,
            email_password=email_password,
            email_to=email_to,
            message=message.as_string(),
            smtp_host=smtp_host,
            smtp_port=port,
            smtp_type=smtp_type,
            smtp_user=smtp_user,
        )

    decorate = run_failure_sensor(
        name=name or "email_on_run_failure",
        monitored_jobs=monitored_jobs,
        job_selection=job_selection,
        monitor_all_code_locations=monitor_all_code_locations or monitor_all_repositories,
        default_status=default_status,
    )
    sensor: RunStatusSensorDefinition = decorate(email_on_run_failure)
    return sensor
