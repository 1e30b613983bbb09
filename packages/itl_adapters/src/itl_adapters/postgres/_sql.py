"""Small query helpers shared by the repositories: dict rows and keyset pagination."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from itl_core.pagination import Page, PageRequest, page_of
from psycopg import AsyncConnection
from psycopg.rows import dict_row

from itl_adapters.postgres.database import wait_for_results

T = TypeVar("T")
Row = dict[str, Any]


async def fetch_one(conn: AsyncConnection, query: str, params: Sequence[Any]) -> Row | None:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, params)  # type: ignore[arg-type] - queries are module constants
        return await cur.fetchone()


async def fetch_all(conn: AsyncConnection, query: str, params: Sequence[Any]) -> list[Row]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(query, params)  # type: ignore[arg-type]
        return await cur.fetchall()


async def execute(conn: AsyncConnection, query: str, params: Sequence[Any]) -> int:
    """Run a statement; return the number of rows it touched."""
    cur = await conn.execute(query, params)  # type: ignore[arg-type]
    await wait_for_results(conn)
    return cur.rowcount


async def queue(conn: AsyncConnection, query: str, params: Sequence[Any]) -> None:
    """Run a statement whose result nobody reads. In a unit (``Database.unit``) it travels
    with the unit's next round trip, so its error surfaces there, at the latest when the unit
    ends (which then raises it and commits nothing); elsewhere it runs at once."""
    await conn.execute(query, params)  # type: ignore[arg-type]


async def fetch_page(
    conn: AsyncConnection,
    query: str,
    params: Sequence[Any],
    page: PageRequest,
    to_entity: Callable[[Row], T],
    *,
    descending: bool = False,
) -> Page[T]:
    """Keyset page over ``query`` (a SELECT ending in a WHERE clause, without ORDER BY).

    Rows come in ``(created_at, id)`` order (``descending``: newest first), strictly after the
    cursor in that order; one extra row is fetched to learn whether a next page exists.
    """
    if page.after is not None:
        query += (
            " AND (created_at, id) < (%s, %s)" if descending else " AND (created_at, id) > (%s, %s)"
        )
        params = [*params, page.after.created_at, page.after.id]
    query += (
        " ORDER BY created_at DESC, id DESC LIMIT %s"
        if descending
        else " ORDER BY created_at, id LIMIT %s"
    )
    rows = await fetch_all(conn, query, [*params, page.limit + 1])
    return page_of([to_entity(r) for r in rows], page)
