"""``AssetSelection``: Dagster's selection objects and string syntax, resolved to asset keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from assetgraph import (
    AssetCheckKey,
    AssetIn,
    AssetKey,
    AssetOut,
    AssetSelection,
    Definitions,
    SelectionError,
    SourceAsset,
    asset,
    asset_check,
    multi_asset,
)

raw_events = SourceAsset("raw_events")


@asset(group_name="ingest", tags={"tier": "bronze"}, owners=["team:data"])
def events(raw_events):
    return raw_events


@asset(group_name="ingest", key_prefix=["warehouse"])
def users():
    return []


@asset(group_name="marts", tags={"tier": "gold"}, ins={"users": AssetIn(key="warehouse/users")})
def sessions(events, users):
    return events


@asset(group_name="marts", kinds={"python", "pandas"})
def daily_report(sessions):
    return sessions


@multi_asset(outs={"left": AssetOut(), "right": AssetOut()})
def pair():
    return 1, 2


@multi_asset(outs={"north": AssetOut(), "south": AssetOut()}, can_subset=True)
def subsettable(context):
    yield from ()


@asset
def uses_left(left):
    return left


DEFS = Definitions(
    assets=[raw_events, events, users, sessions, daily_report, pair, subsettable, uses_left]
)


def keys(selection: AssetSelection) -> list[str]:
    return sorted(key.to_string() for key in selection.resolve(DEFS.get_asset_graph()))


MATERIALIZABLE = sorted(
    ["events", "warehouse/users", "sessions", "daily_report", "left", "right", "north", "south"]
)
MATERIALIZABLE = sorted([*MATERIALIZABLE, "uses_left"])


def test_all_leaves_out_source_assets_unless_asked() -> None:
    assert keys(AssetSelection.all()) == MATERIALIZABLE
    assert keys(AssetSelection.all(include_sources=True)) == sorted([*MATERIALIZABLE, "raw_events"])


def test_assets_and_keys_accept_definitions_keys_strings_and_parts() -> None:
    assert keys(AssetSelection.assets(events, "daily_report")) == ["daily_report", "events"]
    assert keys(AssetSelection.assets(pair)) == ["left", "right"]
    assert keys(AssetSelection.keys("warehouse/users")) == ["warehouse/users"]
    assert keys(AssetSelection.keys(["warehouse", "users"])) == ["warehouse/users"]
    assert keys(AssetSelection.keys(AssetKey(("warehouse", "users")))) == ["warehouse/users"]


def test_an_unknown_key_is_an_error_naming_it_with_the_nearest_key() -> None:
    with pytest.raises(SelectionError) as info:
        AssetSelection.assets("sesions").resolve(DEFS)
    message = str(info.value)
    assert "'sesions'" in message and "no asset definition supplies it" in message
    assert "Did you mean 'sessions'?" in message
    assert keys_allowing_missing(AssetSelection.assets("sesions", "events")) == ["events"]


def keys_allowing_missing(selection: AssetSelection) -> list[str]:
    return sorted(k.to_string() for k in selection.resolve(DEFS, allow_missing=True))


def test_groups_prefixes_tags_owners_select_materializable_assets() -> None:
    assert keys(AssetSelection.groups("ingest")) == ["events", "warehouse/users"]
    assert keys(AssetSelection.groups("ingest", "marts")) == [
        "daily_report",
        "events",
        "sessions",
        "warehouse/users",
    ]
    assert keys(AssetSelection.groups("no_such_group")) == []  # as in Dagster: no error
    assert keys(AssetSelection.key_prefixes("warehouse")) == ["warehouse/users"]
    assert keys(AssetSelection.key_prefixes(["warehouse", "users"])) == ["warehouse/users"]
    assert keys(AssetSelection.tag("tier", "gold")) == ["sessions"]
    assert keys(AssetSelection.owner("team:data")) == ["events"]
    assert keys(AssetSelection.key_substring("session")) == ["sessions"]
    assert keys(AssetSelection.kind("pandas")) == ["daily_report"]
    assert keys(AssetSelection.from_string("kind:python")) == ["daily_report"]


def test_upstream_and_downstream_with_depth_and_include_self() -> None:
    report = AssetSelection.assets("daily_report")
    assert keys(report.upstream()) == ["daily_report", "events", "sessions", "warehouse/users"]
    assert keys(report.upstream(depth=1)) == ["daily_report", "sessions"]
    assert keys(report.upstream(depth=1, include_self=False)) == ["sessions"]
    assert keys(AssetSelection.assets("events").downstream()) == [
        "daily_report",
        "events",
        "sessions",
    ]
    assert keys(AssetSelection.assets("events").downstream(1, include_self=False)) == ["sessions"]


def test_upstream_never_adds_source_assets_but_upstream_source_assets_finds_them() -> None:
    assert "raw_events" not in keys(AssetSelection.assets("sessions").upstream())
    assert keys(AssetSelection.assets("sessions").upstream_source_assets()) == ["raw_events"]


def test_roots_sinks_and_sources_alias() -> None:
    marts_and_ingest = AssetSelection.groups("ingest", "marts")
    assert keys(marts_and_ingest.roots()) == ["events", "warehouse/users"]
    assert keys(marts_and_ingest.sources()) == ["events", "warehouse/users"]
    assert keys(marts_and_ingest.sinks()) == ["daily_report"]


def test_required_multi_asset_neighbors_adds_what_cannot_be_subset() -> None:
    assert keys(AssetSelection.assets("left").required_multi_asset_neighbors()) == [
        "left",
        "right",
    ]
    assert keys(AssetSelection.assets("north").required_multi_asset_neighbors()) == ["north"]


def test_union_intersection_difference() -> None:
    ingest, marts = AssetSelection.groups("ingest"), AssetSelection.groups("marts")
    assert keys(ingest | AssetSelection.assets("daily_report")) == [
        "daily_report",
        "events",
        "warehouse/users",
    ]
    assert keys(AssetSelection.assets("events").downstream() & marts) == [
        "daily_report",
        "sessions",
    ]
    assert keys(AssetSelection.all() - ingest - marts) == [
        "left",
        "north",
        "right",
        "south",
        "uses_left",
    ]
    assert keys(marts - AssetSelection.all_asset_checks()) == ["daily_report", "sessions"]
    with pytest.raises(SelectionError, match="both sides must be AssetSelections"):
        ingest | "daily_report"  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('key:"daily_report"', ["daily_report"]),
        ("key:warehouse/users", ["warehouse/users"]),
        ("key:*_report", ["daily_report"]),
        ("group:ingest", ["events", "warehouse/users"]),
        ('tag:"tier"="gold"', ["sessions"]),
        ('owner:"team:data"', ["events"]),
        ('+key:"sessions"', ["events", "sessions", "warehouse/users"]),
        ('1+key:"daily_report"', ["daily_report", "sessions"]),
        ("key:events+", ["daily_report", "events", "sessions"]),
        ("key:events+1", ["events", "sessions"]),
        ('key:"events"+ and +key:"daily_report"', ["daily_report", "events", "sessions"]),
        ("group:marts or key:left", ["daily_report", "left", "sessions"]),
        (
            "not group:marts and not group:ingest and not key:uses_left",
            ["left", "north", "right", "south"],
        ),
        ("sinks(group:ingest or group:marts)", ["daily_report"]),
        ("roots(group:marts)", ["sessions"]),
        (
            "(group:ingest or group:marts) and not tag:tier=gold",
            ["daily_report", "events", "warehouse/users"],
        ),
        ("*", MATERIALIZABLE),
        # legacy clauses
        ("daily_report", ["daily_report"]),
        ("*sessions", ["events", "sessions", "warehouse/users"]),
        ("+daily_report", ["daily_report", "sessions"]),
        ("++daily_report", ["daily_report", "events", "sessions", "warehouse/users"]),
        ("events*", ["daily_report", "events", "sessions"]),
        ("tag:tier=bronze", ["events"]),
    ],
)
def test_from_string_reads_dagster_syntax_and_legacy_clauses(
    text: str, expected: list[str]
) -> None:
    assert keys(AssetSelection.from_string(text)) == expected


def test_from_string_errors_say_where_and_unsupported_attributes_say_so() -> None:
    with pytest.raises(SelectionError, match=r"Invalid selection string 'group:marts and \('"):
        AssetSelection.from_string("group:marts and (")
    with pytest.raises(SelectionError, match="'status:' .* is not supported"):
        AssetSelection.from_string('status:"MATERIALIZED"')
    with pytest.raises(SelectionError, match="Did you mean 'sessions'"):
        AssetSelection.from_string('key:"sesions"').resolve(DEFS)


def test_from_select_speaks_the_cli_selection_language() -> None:
    assert keys(AssetSelection.from_select("+daily_report")) == [
        "daily_report",
        "events",
        "raw_events",  # the CLI language keeps source assets
        "sessions",
        "warehouse/users",
    ]
    assert keys(AssetSelection.from_select("group:marts", exclude="daily_report")) == ["sessions"]


def test_from_coercible_takes_what_define_asset_job_takes() -> None:
    assert keys(AssetSelection.from_coercible([events, users])) == ["events", "warehouse/users"]
    assert keys(AssetSelection.from_coercible(["events", "key:sessions"])) == [
        "events",
        "sessions",
    ]
    assert keys(AssetSelection.from_coercible([AssetKey(("sessions",))])) == ["sessions"]
    with pytest.raises(SelectionError, match="got int"):
        AssetSelection.from_coercible(3)


NAMES = ["events", "warehouse/users", "sessions", "daily_report", "left", "uses_left"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(NAMES), st.one_of(st.none(), st.integers(0, 3)), st.booleans())
def test_string_traversals_match_the_method_traversals(
    name: str, depth: int | None, upstream: bool
) -> None:
    base = AssetSelection.assets(name)
    digits = "" if depth is None else str(depth)
    if upstream:
        text, method = f'{digits}+key:"{name}"', base.upstream(depth)
    else:
        text, method = f'key:"{name}"+{digits}', base.downstream(depth)
    assert keys(AssetSelection.from_string(text)) == keys(method)


# -- asset checks ----------------------------------------------------------------------------


def _checks_defs() -> tuple[Definitions, dict[str, AssetCheckKey]]:
    @asset_check(asset=events)
    def not_empty(events: list[int]) -> bool:
        return bool(events)

    @asset_check(asset=sessions)
    def fresh() -> bool:
        return True

    @asset_check(asset=sessions)
    def unique() -> bool:
        return True

    defs = Definitions(
        assets=[raw_events, events, users, sessions, daily_report],
        asset_checks=[not_empty, fresh, unique],
    )
    keys = {spec.name: spec.key for check in (not_empty, fresh, unique) for spec in check.specs}
    return defs, keys


def test_a_selection_of_assets_names_their_checks_and_without_checks_none() -> None:
    defs, keys = _checks_defs()
    marts = AssetSelection.groups("marts")
    assert marts.resolve_checks(defs) == {keys["fresh"], keys["unique"]}
    assert AssetSelection.all().resolve_checks(defs) == set(keys.values())
    assert marts.without_checks().resolve_checks(defs) == set()
    assert marts.without_checks().resolve(defs) == {AssetKey("daily_report"), AssetKey("sessions")}
    assert AssetSelection.assets("events").downstream().resolve_checks(defs) == set(keys.values())


def test_check_selections_name_checks_and_no_assets() -> None:
    defs, keys = _checks_defs()
    every = AssetSelection.all_asset_checks()
    assert (every.resolve(defs), every.resolve_checks(defs)) == (set(), set(keys.values()))
    of_sessions = AssetSelection.checks_for_assets(sessions)
    assert (of_sessions.resolve(defs), of_sessions.resolve_checks(defs)) == (
        set(),
        {keys["fresh"], keys["unique"]},
    )
    one = AssetSelection.checks(keys["unique"])
    assert one.resolve_checks(defs) == {keys["unique"]}
    assert (of_sessions - one).resolve_checks(defs) == {keys["fresh"]}
    assert (every & of_sessions).resolve_checks(defs) == {keys["fresh"], keys["unique"]}
    mixed = AssetSelection.assets(events).without_checks() | AssetSelection.checks(keys["fresh"])
    assert (mixed.resolve(defs), mixed.resolve_checks(defs)) == (
        {AssetKey("events")},
        {keys["fresh"]},
    )


def test_checks_refuses_what_is_not_a_check_and_checks_no_definition_has() -> None:
    defs, _keys = _checks_defs()
    with pytest.raises(SelectionError, match="takes @asset_check definitions or AssetCheckKeys"):
        AssetSelection.checks("events:not_empty")  # type: ignore[arg-type]
    missing = AssetSelection.checks(AssetCheckKey(AssetKey("events"), "typo"))
    with pytest.raises(SelectionError, match="events:typo were selected"):
        missing.resolve_checks(defs)
