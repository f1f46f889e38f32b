"""Paging, sorting and counting a list, one way for every list of the web (enterprises of a
region, a run's scores, batches, the audit log, appeals, an upload's problems).

A `Listing` declares a list once: the columns it may be sorted by (an allow-list, with their
Chinese titles), its default sort and page size. A `Page` is one request of it, parsed from the
query string (`page` from 1, `size` up to the listing's maximum, `sort`, `order` asc/desc, and
the list's filters, kept so that every link of the page carries them); a bad value is a 422 that
says in Chinese what is allowed. A `Result` is the rows of that page with the total count of
the whole filtered list (and its totals, where the list has any), the page number clamped to the
last page, and the links: page numbers and sortable column headers, which keep the filters.

Pages and results are frozen and hashable, so a page is a cache key (`web.cache.read`)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import ibis
import polars as pl
from fastapi import Query, Request

from industry_brain.web.errors import ApiError

Order = Literal["asc", "desc"]
ORDERS = ("asc", "desc")
MAX_PAGE = 1_000_000
KEYWORD = inspect.Parameter.KEYWORD_ONLY


@dataclass(frozen=True)
class Listing:
    """A list's allow-list of sort keys (key → column title), default sort and page size, and
    the names of its filter parameters (kept in its links)."""

    sorts: tuple[tuple[str, str], ...]
    default_sort: str
    default_order: Order = "asc"
    size: int = 50
    max_size: int = 500
    filters: tuple[str, ...] = ()
    tiebreak: tuple[str, ...] = ()  # a unique key, so that pages never overlap

    @property
    def titles(self) -> dict[str, str]:
        return dict(self.sorts)

    def page(
        self,
        number: int = 1,
        size: int | None = None,
        sort: str | None = None,
        order: str | None = None,
        filters: Mapping[str, Any] | None = None,
        path: str = "",
    ) -> Page:
        """A page of this list; a bad value is a 422 that says what is allowed."""
        if not 1 <= number <= MAX_PAGE:
            raise ApiError(422, f"页码须在 1 到 {MAX_PAGE} 之间，收到 {number}", detail=_d("page"))
        size = self.size if size is None else size
        if not 1 <= size <= self.max_size:
            message = f"每页条数须在 1 到 {self.max_size} 之间，收到 {size}"
            raise ApiError(422, message, detail=_d("size"))
        sort = sort or self.default_sort
        if sort not in self.titles:
            allowed = "、".join(f"{k}（{t}）" for k, t in self.sorts)
            raise ApiError(422, f"不能按「{sort}」排序；可排序的列：{allowed}", detail=_d("sort"))
        order = order or (self.default_order if sort == self.default_sort else "asc")
        if order not in ORDERS:
            message = f"排序方向须为 asc（升序）或 desc（降序），收到「{order}」"
            raise ApiError(422, message, detail=_d("order"))
        kept = tuple((k, str(v)) for k, v in (filters or {}).items() if v not in (None, ""))
        return Page(self, number, size, sort, order, kept, path)  # type: ignore[arg-type]

    def depends(self) -> Callable[..., Page]:
        """A FastAPI dependency giving the request's page of this list (documented in the
        OpenAPI schema; the filters are read by the route itself and kept from the query)."""

        def page_of(request: Request, **given: Any) -> Page:
            params = request.query_params
            filters = {k: params.get(k) for k in self.filters}
            number, size, sort, order = (given[k] for k in ("page", "size", "sort", "order"))
            return self.page(number, size, sort, order, filters, request.url.path)

        def query(name: str, kind: Any, default: Any, doc: str) -> inspect.Parameter:
            annotation = Annotated[kind, Query(description=doc)]
            return inspect.Parameter(name, KEYWORD, default=default, annotation=annotation)

        page_of.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter("request", KEYWORD, annotation=Request),
                query("page", int, 1, "第几页，从 1 起。"),
                query("size", int | None, None, f"每页条数，至多 {self.max_size}。"),
                query("sort", str | None, None, f"排序列：{', '.join(self.titles)}。"),
                query("order", str | None, None, "asc（升序）或 desc（降序）。"),
            ]
        )
        return page_of


def _d(name: str) -> list[dict[str, Any]]:
    return [{"loc": ["query", name]}]


@dataclass(frozen=True)
class Page:
    """One page of a listing: number (from 1), size, sort key and order, the filters."""

    listing: Listing
    number: int
    size: int
    sort: str
    order: Order
    filters: tuple[tuple[str, str], ...] = ()
    path: str = ""

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def descending(self) -> bool:
        return self.order == "desc"

    def filter(self, name: str) -> str:
        return dict(self.filters).get(name, "")

    def everything(self) -> Page:
        """The same list, filters and sort, all on one page (an export)."""
        return replace(self, number=1, size=MAX_PAGE)

    def query(self, **change: Any) -> str:
        """The query string of this page with some parameters changed (None drops one)."""
        params: dict[str, Any] = dict(self.filters)
        params |= {"sort": self.sort, "order": self.order}
        if self.size != self.listing.size:
            params["size"] = self.size
        if self.number != 1:
            params["page"] = self.number
        params |= change
        return urlencode({k: v for k, v in params.items() if v is not None and v != ""})


@dataclass(frozen=True)
class Result:
    """A page's rows, the total count of the filtered list, its totals (sums over the whole
    filtered list, where the list has any) and the page, clamped to the last one."""

    rows: list[dict[str, Any]] = field(hash=False)
    total: int
    page: Page
    totals: dict[str, Any] | None = field(default=None, hash=False)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page.size))

    @property
    def first(self) -> int:
        """The place of the page's first row in the whole list, from 1 (0 when empty)."""
        return self.page.offset + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.page.offset + len(self.rows)

    def href(self, **change: Any) -> str:
        return f"{self.page.path}?{self.page.query(**change)}"

    def page_href(self, number: int) -> str:
        return self.href(page=None if number == 1 else number)

    def sort_href(self, key: str) -> str:
        """Sort by `key`: the other way round when it is the sort already; from page 1."""
        listing = self.page.listing
        if key == self.page.sort:
            order = "asc" if self.page.descending else "desc"
        else:
            order = listing.default_order if key == listing.default_sort else "asc"
        return self.href(sort=key, order=order, page=None)

    def sorted_by(self, key: str) -> Order | None:
        return self.page.order if key == self.page.sort else None

    def numbers(self) -> list[int | None]:
        """The page numbers to link: the first, the last, two either side of this one, None
        for a gap."""
        n, last = self.page.number, self.pages
        shown = sorted({1, last, *range(max(1, n - 2), min(last, n + 2) + 1)})
        out: list[int | None] = []
        for i, k in enumerate(shown):
            if i and k - shown[i - 1] > 1:
                out.append(None)
            out.append(k)
        return out


def clamped(page: Page, total: int) -> Page:
    """A page beyond the end of the list is its last page."""
    last = max(1, -(-total // page.size))
    return replace(page, number=min(page.number, last))


def of_table(t: ibis.Table, page: Page, sums: Sequence[str] = ()) -> Result:
    """A page of an Ibis table: its count and sums in one query, then the page's rows, sorted by
    the page's key (missing values last, both ways) then the listing's tie-break."""
    aggregates: dict[str, Any] = {"n_rows_": t.count()}
    aggregates |= {c: t[c].sum() for c in sums}
    [stats] = t.aggregate(**aggregates).to_pyarrow().to_pylist()
    total = int(stats.pop("n_rows_"))
    page = clamped(page, total)
    keys = [t[page.sort].desc(nulls_first=False) if page.descending else t[page.sort].asc()]
    keys += [t[k].asc() for k in page.listing.tiebreak if k != page.sort]
    rows = t.order_by(keys).limit(page.size, offset=page.offset).to_polars().to_dicts()
    return Result(rows, total, page, stats if sums else None)


def of_frame(frame: pl.DataFrame, page: Page, sums: Sequence[str] = ()) -> Result:
    """A page of a polars frame, the same way."""
    page = clamped(page, frame.height)
    by = [page.sort, *(k for k in page.listing.tiebreak if k != page.sort)]
    order = [page.descending] + [False] * (len(by) - 1)
    ordered = frame.sort(by, descending=order, nulls_last=True)
    totals = {c: frame[c].sum() for c in sums} if sums else None
    return Result(ordered.slice(page.offset, page.size).to_dicts(), frame.height, page, totals)


def of_rows(rows: Sequence[Mapping[str, Any]], page: Page) -> Result:
    """A page of rows already read (a short list: batches, an upload's problems)."""
    page = clamped(page, len(rows))
    ordered = list(rows)
    for key in [*reversed([k for k in page.listing.tiebreak if k != page.sort]), page.sort]:
        present = [r for r in ordered if r.get(key) is not None]
        missing = [r for r in ordered if r.get(key) is None]
        present.sort(key=lambda r: r[key], reverse=key == page.sort and page.descending)
        ordered = present + missing
    shown = [dict(r) for r in ordered[page.offset : page.offset + page.size]]
    return Result(shown, len(rows), page)
