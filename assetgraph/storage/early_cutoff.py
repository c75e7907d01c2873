"""Early cut-off: a rebuild that leaves an asset's data version unchanged is no change.

The index keeps, per (asset, partition), the id of the event that last *changed* its data
version (``data_version_event_id``). Staleness compares that id with what downstream
materializations read, so a rebuilt upstream whose data version did not move keeps the old
id and its downstream stays fresh. The rule is written once, here, in two forms: the Python
function applied while a batch of events is folded into index rows, and the SQL expression
the index upsert evaluates against the stored row (so the per-step write stays one
statement).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case


def data_version_event_id(
    stored_version: str | None,
    stored_event_id: int | None,
    new_version: str | None,
    new_event_id: int,
) -> int:
    """The event id that last changed the data version, once ``new_event_id`` (recording
    ``new_version``) is applied to a row holding ``stored_version`` since
    ``stored_event_id``.

    Unchanged (equal and not None, with a known change event): the stored id stays.
    Anything else, including a missing version on either side, counts as a change.
    """
    unchanged = stored_version is not None and stored_version == new_version
    return stored_event_id if unchanged and stored_event_id is not None else new_event_id


def data_version_event_id_sql(table: Any, excluded: Any) -> Any:
    """``data_version_event_id`` as the SQL of an ``ON CONFLICT DO UPDATE``: ``table`` is
    the stored row, ``excluded`` the row being written. SQL's ``=`` is never true for
    NULL, which matches the rule's "None is a change"."""
    return case(
        (
            and_(
                table.c.data_version == excluded.data_version,
                table.c.data_version_event_id.is_not(None),
            ),
            table.c.data_version_event_id,
        ),
        else_=excluded.data_version_event_id,
    )
