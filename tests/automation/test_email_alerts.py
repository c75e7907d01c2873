"""``make_email_on_run_failure_sensor``: one email per failed run, over SSL or STARTTLS."""

from __future__ import annotations

import smtplib
from typing import Any

import pytest

from assetgraph import (
    DagsterInstance,
    Definitions,
    RunFailureSensorContext,
    asset,
    build_run_status_sensor_context,
    define_asset_job,
    make_email_on_run_failure_sensor,
)
from assetgraph.errors import DefinitionError


@asset
def breaks() -> int:
    raise RuntimeError("it broke")


class FakeSmtp:
    """Stands for an SMTP server: records what the sensor does with it."""

    log: list[tuple[Any, ...]] = []

    def __init__(self, host: str, port: int, **kwargs: Any) -> None:
        self.log.append(("connect", host, port))

    def __enter__(self) -> FakeSmtp:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def starttls(self, context: Any = None) -> None:
        self.log.append(("starttls",))

    def login(self, user: str, password: str) -> None:
        self.log.append(("login", user, password))

    def sendmail(self, sender: str, to: list[str], message: str) -> None:
        self.log.append(("send", sender, tuple(to), message))


def failure_context() -> RunFailureSensorContext:
    defs = Definitions([breaks], jobs=[define_asset_job("fragile", selection=[breaks])])
    instance = DagsterInstance.ephemeral()
    result = defs.get_job_def("fragile").execute_in_process(instance=instance, raise_on_error=False)
    return build_run_status_sensor_context(
        sensor_name="mail",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=result.get_job_failure_event(),
    ).for_run_failure()


def test_starttls_login_subject_body_and_link(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeSmtp.log = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSmtp)
    sensor = make_email_on_run_failure_sensor(
        email_from="bot@example.com",
        email_password="secret",
        email_to=["a@example.com", "b@example.com"],
        email_subject_fn=lambda context: f"Broken: {context.dagster_run.job_name}",
        smtp_host="mail.example.com",
        smtp_type="STARTTLS",
        webserver_base_url="http://127.0.0.1:3000/",
        name="mail",
    )
    assert (sensor.name, sensor.default_status.value) == ("mail", "STOPPED")
    context = failure_context()
    sensor(context)
    connect, starttls, login, send = FakeSmtp.log
    assert connect == ("connect", "mail.example.com", 587)
    assert starttls == ("starttls",) and login == ("login", "bot@example.com", "secret")
    assert send[1:3] == ("bot@example.com", ("a@example.com", "b@example.com"))
    message = send[3]
    assert "Subject: Broken: fragile" in message
    assert f'href="http://127.0.0.1:3000/runs/{context.dagster_run.run_id}"' in message


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(DefinitionError, match="smtp_type must be 'SSL' or 'STARTTLS'"):
        make_email_on_run_failure_sensor("a@b.c", None, ["d@e.f"], smtp_type="TLS")  # type: ignore[arg-type]
    with pytest.raises(DefinitionError, match="email_to takes a non-empty list"):
        make_email_on_run_failure_sensor("a@b.c", None, "d@e.f")  # type: ignore[arg-type]
