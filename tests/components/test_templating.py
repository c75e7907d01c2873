"""Templates in defs.yaml values: one expression keeps its value, text interpolates."""

from __future__ import annotations

import pytest

from assetgraph import AutomationCondition, DefinitionError
from assetgraph.components.templating import base_scope, render


def scope(**names: object) -> dict[str, object]:
    return {**base_scope(), **names}


def test_a_whole_expression_keeps_its_value_and_text_interpolates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REGION", "eu")
    value = {"n": "{{ count }}", "label": "region {{ env.REGION }}/{{ count + 1 }}", "k": [1]}

    assert render(value, scope(count=2), "attributes") == {
        "n": 2,
        "label": "region eu/3",
        "k": [1],
    }


def test_env_reads_variables_with_a_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOT_SET", raising=False)
    assert render("{{ env.NOT_SET }}", scope(), "a") is None
    assert render("{{ env('NOT_SET', 'fallback') }}", scope(), "a") == "fallback"


def test_automation_condition_is_in_scope() -> None:
    made = render("{{ automation_condition.on_cron('@daily') }}", scope(), "a")
    assert isinstance(made, AutomationCondition)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ missing }}", r"attributes\.x: .*names missing, which is not in scope"),
        ("{{ (lambda: 1)() }}", r"uses Lambda, which templates do not support"),
        ("{{ env.__class__ }}", r"uses Attribute"),
        ("{{ 1 + }}", r"is not valid"),
        ("{{ env('A', 'b', 'c') }}", r"failed: TypeError"),
    ],
)
def test_bad_templates_name_where_they_are(text: str, message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        render({"x": text}, scope(), "attributes")
