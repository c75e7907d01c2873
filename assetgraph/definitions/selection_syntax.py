"""Dagster's asset selection syntax, read into an ``AssetSelection``.

    key:"raw/orders"   key:raw_*        group:sales     tag:"tier"="gold"   tag:pii
    owner:"team:data"  kind:dbt         *               sinks(X)            roots(X)
    +X  all upstream   2+X  two levels  X+  all down    X+1  one level down
    not X     X and Y     X or Y        ( ... )

``not`` binds tighter than ``and``, ``and`` tighter than ``or`` (as in Dagster's grammar).
A string that is not in this syntax is read as a legacy Dagster clause: ``*a`` (a and all
upstream), ``+a`` / ``++a`` (one / two levels up), ``a*`` / ``a+``, ``tag:k=v``, ``*``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assetgraph.definitions.asset_selection import (
    AssetSelection,
    KeysAssetSelection,
    KeyWildcardAssetSelection,
)
from assetgraph.errors import DefinitionError, SelectionError
from assetgraph.keys import AssetKey

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<quoted>"[^"\\\r\n]*")
      | (?P<null><null>)
      | (?P<word>[A-Za-z_*][A-Za-z0-9_*/]*)
      | (?P<digits>\d+)
      | (?P<punct>[()=:+,])
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "AND", "OR", "NOT", "sinks", "roots"}
_ATTRIBUTES = {
    "key",
    "tag",
    "owner",
    "group",
    "kind",
    "is",
    "status",
    "column",
    "table_name",
    "column_tag",
    "code_location",
    "changed_in_branch",
    "partitions",
    "automation_type",
    "sensor",
    "schedule",
    "job",
}
_SUPPORTED = {"key", "tag", "owner", "group", "kind"}
_LEGACY = re.compile(r"^(?P<up>[*+]*)(?P<name>[A-Za-z0-9_\-.\[\]?/]+)(?P<down>[*+]*)$")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # quoted, null, word, wildcard, star, digits, punct, keyword, attribute, end
    text: str
    column: int


class _Unparsed(Exception):
    """The string is not in the current syntax (try the legacy one)."""


def parse_selection(string: str, include_sources: bool = False) -> AssetSelection:
    """``string`` as an ``AssetSelection``, or a ``SelectionError`` saying where it is wrong."""
    try:
        return _Parser(string, include_sources).parse()
    except _Unparsed as exc:
        legacy = _legacy(string.strip())
        if legacy is not None:
            return legacy
        raise SelectionError(f"Invalid selection string '{string}': {exc}") from None


def _tokens(string: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(string):
        if string[position:].strip() == "":
            break
        match = _TOKEN.match(string, position)
        if match is None or match.end() == position:
            column = len(string) - len(string[position:].lstrip()) + 1
            raise _Unparsed(f"unexpected character at column {column}")
        group = match.lastgroup or "punct"
        kind, text = group, match.group(group)
        if kind == "word":
            if text == "*":
                kind = "star"
            elif text in _KEYWORDS:
                kind = "keyword"
            elif text in _ATTRIBUTES:
                kind = "attribute"
            elif "*" in text:
                kind = "wildcard"
        tokens.append(_Token(kind, text, match.start(group) + 1))
        position = match.end()
    tokens.append(_Token("end", "", len(string) + 1))
    return tokens


class _Parser:
    """Recursive descent over Dagster's grammar: or > and > not > traversal > primary."""

    def __init__(self, string: str, include_sources: bool) -> None:
        self.tokens = _tokens(string)
        self.at = 0
        self.include_sources = include_sources

    def parse(self) -> AssetSelection:
        if self.tokens[0].kind == "end":
            raise _Unparsed("it is empty")
        selection = self._or()
        self._expect("end")
        return selection

    def _peek(self) -> _Token:
        return self.tokens[self.at]

    def _next(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def _expect(self, kind: str, text: str | None = None) -> _Token:
        token = self._next()
        if token.kind != kind or (text is not None and token.text != text):
            wanted = text or kind
            shown = repr(token.text) if token.text else "the end"
            raise _Unparsed(f"expected {wanted} at column {token.column}, found {shown}")
        return token

    def _is_keyword(self, *words: str) -> bool:
        token = self._peek()
        return token.kind == "keyword" and token.text.lower() in words

    def _or(self) -> AssetSelection:
        selection = self._and()
        while self._is_keyword("or"):
            self._next()
            selection = selection | self._and()
        return selection

    def _and(self) -> AssetSelection:
        selection = self._not()
        while self._is_keyword("and"):
            self._next()
            selection = selection & self._not()
        return selection

    def _not(self) -> AssetSelection:
        if self._is_keyword("not"):
            self._next()
            return AssetSelection.all(self.include_sources) - self._not()
        return self._traversal()

    def _traversal(self) -> AssetSelection:
        if self._peek().kind == "star":
            self._next()
            return AssetSelection.all(self.include_sources)
        up: int | None = 0
        if self._peek().kind == "digits":
            up = int(self._next().text)
            self._expect("punct", "+")
        elif self._peek().text == "+":
            self._next()
            up = None
        base = self._primary()
        down: int | None = 0
        if self._peek().text == "+":
            self._next()
            down = int(self._next().text) if self._peek().kind == "digits" else None
        if up != 0 and down != 0:
            return base.upstream(up) | base.downstream(down)
        if up != 0:
            return base.upstream(up)
        if down != 0:
            return base.downstream(down)
        return base

    def _primary(self) -> AssetSelection:
        token = self._next()
        if token.kind == "keyword" and token.text in ("sinks", "roots"):
            self._expect("punct", "(")
            inner = self._or()
            self._expect("punct", ")")
            return inner.sinks() if token.text == "sinks" else inner.roots()
        if token.text == "(":
            inner = self._or()
            self._expect("punct", ")")
            return inner
        if token.kind == "attribute":
            return self._attribute(token)
        shown = repr(token.text) if token.text else "the end"
        raise _Unparsed(
            f"expected an attribute such as key:NAME at column {token.column}, found {shown}"
        )

    def _attribute(self, name: _Token) -> AssetSelection:
        self._expect("punct", ":")
        value = self._value(allow_wildcard=name.text == "key")
        if name.text not in _SUPPORTED:
            raise SelectionError(
                f"Selection attribute '{name.text}:' (column {name.column}) is not supported by "
                "assetgraph: use key:, group:, tag:, owner: or kind:."
            )
        if name.text == "key":
            if value is None:
                raise _Unparsed(f"key: needs a value at column {name.column}")
            if "*" in value:
                return KeyWildcardAssetSelection(value)
            return KeysAssetSelection((AssetKey.from_user(value),))
        if name.text == "tag":
            tag_value = ""
            if self._peek().text == "=":
                self._next()
                tag_value = self._value(allow_wildcard=False) or ""
            return AssetSelection.tag(value or "", tag_value, self.include_sources)
        if name.text == "group":
            groups = () if value is None else (value,)
            return AssetSelection.groups(*groups, include_sources=self.include_sources)
        if name.text == "owner":
            return AssetSelection.owner(value)
        return AssetSelection.kind(value, self.include_sources)

    def _value(self, *, allow_wildcard: bool) -> str | None:
        token = self._next()
        if token.kind == "quoted":
            return token.text[1:-1]
        if token.kind == "null":
            return None
        if token.kind == "word" or (allow_wildcard and token.kind in ("wildcard", "star")):
            return token.text
        if token.kind == "attribute" and token.text in ("sensor", "schedule", "job"):
            return token.text
        shown = repr(token.text) if token.text else "the end"
        raise _Unparsed(f"expected a value at column {token.column}, found {shown}")


def _legacy(string: str) -> AssetSelection | None:
    """A legacy Dagster clause (``*a``, ``+a+``, ``tag:k=v``, ``*``), or None."""
    if string == "*":
        return AssetSelection.all()
    if string.startswith("tag:"):
        return AssetSelection.tag_string(string.removeprefix("tag:"))
    match = _LEGACY.match(string)
    if match is None:
        return None
    try:
        base = AssetSelection.assets(match["name"])
    except DefinitionError:  # not a valid key: not a clause either
        return None
    up, down = _legacy_depth(match["up"]), _legacy_depth(match["down"])
    if up != 0 and down != 0:
        return base.upstream(up) | base.downstream(down)
    if up != 0:
        return base.upstream(up)
    if down != 0:
        return base.downstream(down)
    return base


def _legacy_depth(marks: str) -> int | None:
    """``""``: 0 levels; ``"++"``: 2; any ``*``: every level (None)."""
    if "*" in marks:
        return None
    return len(marks)
