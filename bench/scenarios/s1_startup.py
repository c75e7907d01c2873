"""S1: start-up cost, as whole-process wall time over a bare ``python -c pass``.

Three cases, each against its own baseline run of ``python -c pass`` in the same round:
``python -c "import assetgraph"``; ``assetgraph --help`` (the console script next to the
interpreter, else ``python -m assetgraph.cli.main``); and ``assetgraph list -f`` on the
quickstart example (``examples/quickstart/defs.py``), or, while that does not exist, on a
generated five-asset code location of the same shape. A fourth case, ``list (plain)``,
always lists the generated code location, which imports nothing but assetgraph, to
separate the framework's own start-up from the libraries a user's code imports (the
quickstart imports pandas). Each process has a fresh, empty ``ASSETGRAPH_HOME``: ``list``
finds no metadata database there (it reads the default SQLite database with the standard
library and creates none; before it did, it created the schema).
"""

from __future__ import annotations

from pathlib import Path

from bench.spec import REPO_ROOT, Case, Figure, Impl, RunContext, Scenario

QUICKSTART = REPO_ROOT / "examples" / "quickstart" / "defs.py"

GENERATED_DEFS = '''\
"""A quickstart-like code location: five small assets, no third-party imports."""

from assetgraph import Definitions, asset


@asset(group="sales")
def raw_orders() -> list[dict[str, object]]:
    return [{"id": i, "customer": i % 3, "amount": 10.0 * i} for i in range(10)]


@asset(group="sales")
def raw_customers() -> list[dict[str, object]]:
    return [{"id": i, "region": ["eu", "us", "apac"][i]} for i in range(3)]


@asset(group="sales")
def cleaned_orders(raw_orders: list[dict[str, object]]) -> list[dict[str, object]]:
    return [order for order in raw_orders if order["amount"]]


@asset(group="reporting")
def orders_by_region(
    cleaned_orders: list[dict[str, object]], raw_customers: list[dict[str, object]]
) -> dict[str, int]:
    regions = {c["id"]: c["region"] for c in raw_customers}
    counts: dict[str, int] = {}
    for order in cleaned_orders:
        region = str(regions[order["customer"]])
        counts[region] = counts.get(region, 0) + 1
    return counts


@asset(group="reporting")
def revenue(cleaned_orders: list[dict[str, object]]) -> float:
    return sum(float(str(order["amount"])) for order in cleaned_orders)


defs = Definitions(
    assets=[raw_orders, raw_customers, cleaned_orders, orders_by_region, revenue]
)
'''


def defs_file(workspace: Path) -> Path:
    """The quickstart example if it exists, else a generated equivalent in ``workspace``."""
    return QUICKSTART if QUICKSTART.is_file() else generated_defs_file(workspace)


def generated_defs_file(workspace: Path) -> Path:
    """The generated five-asset code location, written into ``workspace``."""
    path = workspace / "quickstart_defs.py"
    path.write_text(GENERATED_DEFS)
    return path


def _bare(ctx: RunContext) -> list[str]:
    return [ctx.python, "-c", "pass"]


def _cli(ctx: RunContext) -> list[str]:
    script = ctx.bin_dir / "assetgraph"
    return [str(script)] if script.is_file() else [ctx.python, "-m", "assetgraph.cli.main"]


def import_command(impl: Impl, ctx: RunContext) -> list[str]:
    return [ctx.python, "-c", "import assetgraph"] if impl == "assetgraph" else _bare(ctx)


def help_command(impl: Impl, ctx: RunContext) -> list[str]:
    return [*_cli(ctx), "--help"] if impl == "assetgraph" else _bare(ctx)


def list_command(impl: Impl, ctx: RunContext) -> list[str]:
    if impl != "assetgraph":
        return _bare(ctx)
    return [*_cli(ctx), "list", "-f", str(defs_file(ctx.workspace))]


def list_plain_command(impl: Impl, ctx: RunContext) -> list[str]:
    if impl != "assetgraph":
        return _bare(ctx)
    return [*_cli(ctx), "list", "-f", str(generated_defs_file(ctx.workspace))]


def _over_bare(label: str, limit: float) -> tuple[Figure, ...]:
    return (
        Figure("wall_over_baseline_ms", f"{label}: ms over bare start", limit),
        Figure("ratio_wall", f"{label}: wall ratio to bare start"),
    )


SCENARIO = Scenario(
    id="S1",
    title="start-up: import, --help, list on the quickstart",
    reference="Dagster 1.13: import 1.08 s (bare start 0.016 s); dagster --help 1.37 s",
    cases=(
        Case("import", import_command, _over_bare("import", 50.0), bench_on_path=False),
        Case("--help", help_command, _over_bare("--help", 200.0), bench_on_path=False),
        Case("list", list_command, _over_bare("list", 400.0), bench_on_path=False),
        Case(
            "list (plain)",
            list_plain_command,
            _over_bare("list, no pandas", 400.0),
            bench_on_path=False,
        ),
    ),
)
