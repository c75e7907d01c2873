"""S8c: a stored backfill of 100,000 partitions of one asset: creating it, and one daemon
step of launching its runs when 0%, 50% and 90% of it is done.

Setup: one hourly asset with 100,000 partitions, ``BackfillPolicy.multi_run(100)``, a
backfill of all of them with ``max_concurrent_runs=10``.

- ``create``: the core phase is ``launch_backfill`` (selection, partitions as ranges, the
  stored row).
- ``step-0``, ``step-50``, ``step-90``: the backfill is first brought to that share done by
  real daemon steps whose runs are marked successful straight in the database (so the done
  ranges are what the daemon itself wrote), with one failed run in every 100 (so the stored
  ranges fragment as they do in life). Ten runs are then in flight and have ended; the core
  phase is one daemon step: account for the ten ended runs, queue the next ten, and launch
  them from the run queue (with a launcher that records the request and starts nothing).

baseline: plain Python over plain SQLite doing the same storage work with no framework:
``create`` inserts one row holding the target range as JSON; a step reads the backfill
row and the ten runs' statuses, updates the JSON ranges, inserts ten run rows and ten
queue rows, and reads them back in order, in one transaction.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.protocol import Report, run_variants, timed
from bench.spec import Case, Figure, Scenario, module_command

MODULE = "bench.scenarios.s8c_backfill_steps"
START = datetime(2014, 1, 1, tzinfo=UTC)
PER_RUN = 100
RUNS_AT_ONCE = 10


def _case(name: str, done: int) -> Case:
    return Case(
        name=name,
        command=module_command(
            MODULE,
            ("--size", "100000", "--done", str(done)),
            ("--size", "10000", "--done", str(done)),
        ),
        unit="backfill",
        figures=(Figure("core_ms", "core ms", 1000.0), Figure("ratio_core", "x baseline")),
    )


SCENARIO = Scenario(
    id="S8c",
    title="backfill of 100,000 partitions: create it; one daemon step at 0%, 50%, 90% done",
    reference="Dagster 1.13: not measured",
    cases=(_case("create", -1), _case("step-0", 0), _case("step-50", 50), _case("step-90", 90)),
)


def home() -> Path:
    return Path(os.environ.get("ASSETGRAPH_HOME") or ".assetgraph").absolute()


def build_defs() -> Any:
    from assetgraph import BackfillPolicy, Definitions, HourlyPartitionsDefinition, asset

    hourly = HourlyPartitionsDefinition(start_date=START.strftime("%Y-%m-%d-%H:%M"))

    @asset(partitions_def=hourly, backfill_policy=BackfillPolicy.multi_run(PER_RUN))
    def readings() -> int:
        return 1

    return Definitions(assets=[readings])


class Recorder:
    """A launcher that records each request and starts nothing."""

    def __init__(self) -> None:
        self.requests: list[str] = []

    def launch(self, request: Any) -> None:
        self.requests.append(request["run_id"])


def run_assetgraph(args: argparse.Namespace) -> Report:
    from assetgraph import Instance, launch_backfill

    folder = home()
    instance = Instance(storage_url=f"sqlite:///{folder}/assetgraph.db", home=folder)
    instance.storage.upgrade()
    defs = build_defs()
    now = START + timedelta(hours=args.size)
    if args.done < 0:
        with timed() as core:
            backfill = launch_backfill(
                defs,
                all_partitions=True,
                max_concurrent_runs=RUNS_AT_ONCE,
                instance=instance,
                now=now,
            )
        target = backfill.state["progress"]["readings"]["target"]
        if target != args.size:
            raise SystemExit(f"S8c: the backfill targets {target} partitions, not {args.size}")
        return Report(units=1, core_ms=core.ms, extra={"partitions": target})
    backfill = launch_backfill(
        defs, all_partitions=True, max_concurrent_runs=RUNS_AT_ONCE, instance=instance, now=now
    )
    wanted = args.size * args.done // 100
    steps = _advance(defs, instance, backfill.backfill_id, now, wanted)
    _end_in_flight(instance, backfill.backfill_id, failed_every=0)
    with timed() as core:
        queued, launched = _daemon_step(defs, instance, now)
    from assetgraph import get_backfill

    found = get_backfill(backfill.backfill_id, instance)
    counts = found.state["progress"]["readings"]
    if queued != RUNS_AT_ONCE or launched != RUNS_AT_ONCE:
        raise SystemExit(f"S8c: the step queued {queued} and launched {launched} runs")
    return Report(
        units=1,
        core_ms=core.ms,
        extra={
            "done": counts["done"],
            "failed": counts["failed"],
            "stored_done_ranges": len(found.state["assets"]["readings"]["done"]),
            "stored_failed_ranges": len(found.state["assets"]["readings"]["failed"]),
            "setup_steps": steps,
        },
    )


def _daemon_step(defs: Any, instance: Any, now: datetime) -> tuple[int, int]:
    """What the daemon does for backfills in a tick: one step each, then the run queue."""
    from assetgraph.automation.backfills import run_backfills
    from assetgraph.automation.run_queue import RunQueueConfig, dequeue_runs

    steps = run_backfills(defs, instance, now=now)
    recorder = Recorder()
    outcome = dequeue_runs(instance, recorder, RunQueueConfig(max_concurrent_runs=RUNS_AT_ONCE))
    return sum(len(step.queued) for step in steps), len(outcome.launched)


def _advance(defs: Any, instance: Any, backfill_id: str, now: datetime, wanted: int) -> int:
    """Daemon steps until ``wanted`` partitions are done or failed (one run in 100 fails)."""
    from assetgraph import get_backfill

    steps = 0
    while True:
        counts = get_backfill(backfill_id, instance).state["progress"]["readings"]
        if (
            counts["done"] + counts["failed"] + counts["in_progress"]
            >= wanted - RUNS_AT_ONCE * PER_RUN
        ):
            break
        _daemon_step(defs, instance, now)
        _end_in_flight(instance, backfill_id, failed_every=100, offset=steps)
        steps += 1
    _daemon_step(defs, instance, now)  # account for the last ones; ten more reach `wanted`
    return steps


def _end_in_flight(instance: Any, backfill_id: str, failed_every: int, offset: int = 0) -> None:
    """Mark the backfill's runs queued or started as ended (straight in the database)."""
    from assetgraph.storage import schema
    from assetgraph.storage.records import RunStatus

    runs = instance.storage.list_runs(
        limit=None,
        statuses=[RunStatus.QUEUED, RunStatus.STARTED],
        tags={"assetgraph/backfill": backfill_id},
    )
    ended = time.time()
    with instance.storage.engine.begin() as conn:
        for n, run in enumerate(sorted(runs, key=lambda r: r.run_id)):
            fails = failed_every and (offset * RUNS_AT_ONCE + n) % failed_every == 0
            status = RunStatus.FAILURE if fails else RunStatus.SUCCESS
            conn.execute(
                schema.runs.update()
                .where(schema.runs.c.run_id == run.run_id)
                .values(status=status.value, started_at=ended, ended_at=ended)
            )
            conn.execute(schema.run_queue.delete().where(schema.run_queue.c.run_id == run.run_id))


def run_baseline(args: argparse.Namespace) -> Report:
    folder = home()
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    db.execute("CREATE TABLE backfills (id TEXT PRIMARY KEY, status TEXT, state TEXT)")
    db.execute("CREATE TABLE runs (id TEXT PRIMARY KEY, status TEXT, tags TEXT, created REAL)")
    db.execute("CREATE TABLE queue (n INTEGER PRIMARY KEY, run_id TEXT, payload TEXT)")
    last = args.size - 1
    state = {"target": [[0, last]], "done": [], "failed": [], "runs": {}}
    if args.done < 0:
        with timed() as core:
            db.execute("BEGIN")
            db.execute("INSERT INTO backfills VALUES ('b', 'requested', ?)", (json.dumps(state),))
            db.execute("COMMIT")
        return Report(units=1, core_ms=core.ms)
    done = args.size * args.done // 100
    state["done"] = [[0, done - 1]] if done else []
    state["runs"] = {f"r{i}": [done + i * PER_RUN, done + (i + 1) * PER_RUN - 1] for i in range(10)}
    db.execute("BEGIN")
    db.execute("INSERT INTO backfills VALUES ('b', 'requested', ?)", (json.dumps(state),))
    db.executemany(
        "INSERT INTO runs VALUES (?, 'success', '{}', 0)", [(run,) for run in state["runs"]]
    )
    db.execute("COMMIT")
    with timed() as core:
        db.execute("BEGIN")
        (text,) = db.execute("SELECT state FROM backfills WHERE id = 'b'").fetchone()
        current = json.loads(text)
        ids = list(current["runs"])
        marks = ",".join("?" * len(ids))
        ended = dict(db.execute(f"SELECT id, status FROM runs WHERE id IN ({marks})", ids))
        high = max(span[1] for span in current["runs"].values())
        current["done"] = [[0, high]] if ended else current["done"]
        current["runs"] = {}
        start = high + 1
        for i in range(10):
            run_id = f"n{i}"
            span = [start + i * PER_RUN, start + (i + 1) * PER_RUN - 1]
            current["runs"][run_id] = span
            db.execute("INSERT INTO runs VALUES (?, 'queued', ?, ?)", (run_id, "{}", time.time()))
            db.execute(
                "INSERT INTO queue (run_id, payload) VALUES (?, ?)", (run_id, json.dumps(span))
            )
        db.execute("UPDATE backfills SET state = ? WHERE id = 'b'", (json.dumps(current),))
        queued = db.execute("SELECT run_id FROM queue ORDER BY n").fetchall()
        db.execute("DELETE FROM queue")
        db.execute("COMMIT")
    db.close()
    return Report(units=1, core_ms=core.ms, extra={"queued": len(queued)})


def main(argv: list[str] | None = None) -> None:
    def extra(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--done", type=int, default=0, help="percent done before the step (-1: create)"
        )

    run_variants(
        {"assetgraph": run_assetgraph, "baseline": run_baseline},
        description=__doc__ or "",
        default_size=100_000,
        extra_args=extra,
        argv=argv,
    )


if __name__ == "__main__":
    main()
