"""The engine contract: what every analysis declares so that `runs/` can store it, `reports/`
publish it and the web's cache notice its changes, without knowing which engine it is.

An engine is a folder `engines/<name>/` whose `__init__.py` defines `ENGINE`, an instance of a
subclass of `Engine`. It declares

- its spec (`read_spec` parses the text a run stores; `spec_text` gives that text; packaged
  specs by name), each spec with a `name`, `title`, `region` (the region it covers) and a
  `sha256` of its validated content;
- the warehouse tables it reads (`reads`): `evaluate` gets exactly those, as Ibis tables, and
  nothing else — no connection, no files;
- `evaluate(tables, spec, year)`: the results, one Polars frame per result table (`results`,
  each keyed by the run's id when stored), in a canonical order (same data and spec → same
  bytes);
- the migrations that create its result tables (`migrations`, applied once each, in order,
  recorded per engine in `engine_migration`);
- `explain(con, run_id, spec, entity)`: one entity's result in a stored run, item by item;
- what it publishes (`publishes`): the files written when a run is published;
- optionally what-if (`compared`, `outcome`, `compare`): the result table compared between two
  results (a stored run and a changed spec, or two runs), and how;
- optionally appeals (`appeals`): who may contest a published result, and how a correction is
  recorded so that the engine's next run applies it.

docs/architecture.md adds an engine step by step.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

import polars as pl
from ibis.expr.types import Table

from industry_brain.errors import BrainError
from industry_brain.warehouse.warehouse import Warehouse


class Spec(Protocol):
    """What a run needs of any engine's spec."""

    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def sha256(self) -> str: ...


class Run(Protocol):
    """What a publication's writer reads of a stored run (runs/store.StoredRun is one)."""

    run_id: int
    spec: Any
    year: int
    region_code: str
    results: dict[str, pl.DataFrame]
    created_at: Any


class TableSource(Protocol):
    """Whatever gives tables by name: `Tables` in an engine's evaluate, or the warehouse."""

    def table(self, name: str) -> Table: ...


class RunRefused(BrainError, ValueError):
    """The warehouse lacks what a run needs (e.g. last year's data for its benchmarks)."""

    code, title, status = "run_refused", "评价未能运行", 409


class UndeclaredTable(BrainError, KeyError):
    """An engine asked for a table it did not declare in `reads` (a fault of the engine)."""

    code, title, status = "undeclared_table", "分析引擎读取了未声明的数据表", 500


class NotSupported(BrainError, ValueError):
    """The engine does not offer what was asked of it (what-if, appeals)."""

    code, title, status = "engine_not_supported", "该分析不支持此操作", 409


class Tables:
    """The tables an engine reads, as Ibis expressions: `tables.table(name)` or
    `tables[name]`; a table not declared in the engine's `reads` is refused."""

    def __init__(self, source: Callable[[str], Table], names: Iterable[str]) -> None:
        self._source, self.names = source, frozenset(names)

    def table(self, name: str) -> Table:
        if name not in self.names:
            raise UndeclaredTable(f"{name!r} is not among the tables the engine reads")
        return self._source(name)

    __getitem__ = table


@dataclass(frozen=True)
class Migration:
    """One step of an engine's schema, applied once: `apply(con)` runs inside a transaction."""

    version: int
    name: str
    apply: Callable[[Any], None]


@dataclass(frozen=True)
class Publication:
    """A file written when a run is published: `write(con, run, path)` writes it at `path`."""

    name: str  # stable id of the output, e.g. "lists"
    title: str  # Chinese, as the publication list shows it
    file_name: Callable[[Run], str]
    write: Callable[[Any, Run, Path], None]


@dataclass(frozen=True)
class ResultTable:
    """A result table: rows of a run, keyed by `run_id` (the first column when stored)."""

    name: str
    order: tuple[str, ...] = field(default=())  # canonical row order (digest, reading back)


@dataclass(frozen=True)
class Appeals:
    """How an engine takes appeals against a published run (runs/appeals.py): the subjects that
    may appeal are the rows of result table `table` (column `key`, stored as the appeal's
    subject); `record(con, year, subject, reason, by, **correction)` records a correction, which
    the engine's next run of that year applies, and returns its id."""

    table: str
    key: str
    record: Callable[..., int]


class Engine(ABC):
    name: ClassVar[str]  # folder name, stored in run.engine
    title: ClassVar[str]  # Chinese
    reads: ClassVar[tuple[str, ...]]
    results: ClassVar[tuple[ResultTable, ...]]
    migrations: ClassVar[tuple[Migration, ...]] = ()
    publishes: ClassVar[tuple[Publication, ...]] = ()
    watches: ClassVar[tuple[str, ...]] = ()  # scalar SQL whose change means new data for it
    # A source loaded for one spec (its batches' scope is the spec's name: a plan's entered
    # figures): a run rests on those batches too, beside the enterprise data of its year.
    scoped_source: ClassVar[str | None] = None
    compared: ClassVar[str | None] = None  # result table what-if compares; None: no what-if
    compared_columns: ClassVar[tuple[str, ...]] = ()  # the columns `compare` reads (): all
    appeals: ClassVar[Appeals | None] = None  # None: its results are not appealed

    @abstractmethod
    def packaged(self) -> list[str]:
        """Names of the specs that come with the engine."""

    @abstractmethod
    def load_spec(self, name: str) -> Spec:
        """A packaged spec by name, or a spec file by path."""

    @abstractmethod
    def read_spec(self, text: str, origin: str) -> Spec:
        """The spec a stored text gives (what a run keeps); errors name `origin`."""

    @abstractmethod
    def spec_text(self, spec: Any) -> str:
        """The text a run of `spec` stores: `read_spec` of it gives the same spec (hash)."""

    @abstractmethod
    def evaluate(self, tables: Tables, spec: Any, year: int) -> dict[str, pl.DataFrame]:
        """The results of `spec` for `year`, one frame per result table, in canonical order."""

    def check(self, tables: Tables, spec: Any, year: int) -> None:  # noqa: B027 (optional)
        """Refuse a run the data cannot support (raise RunRefused); default: none."""

    def changed_since(self, con: Warehouse, run: dict[str, Any]) -> str | None:
        """Why the engine's own inputs changed since the run (besides batches), else None."""
        return None

    @abstractmethod
    def explain(self, con: Warehouse, run_id: int, spec: Any, entity: str) -> dict[str, Any] | None:
        """One entity's result in stored run `run_id` (made with `spec`, read back from the
        run), item by item, or None when it has none."""

    def outcome(self, tables: Tables, spec: Any, year: int) -> pl.DataFrame:
        """The `compared` table of `spec`'s results for `year` (what-if); an engine may give it
        more cheaply than all its results."""
        if self.compared is None:
            raise NotSupported(f"the {self.title} engine has no what-if")
        return self.evaluate(tables, spec, year)[self.compared]

    def compare(
        self, before: pl.DataFrame, after: pl.DataFrame
    ) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Two results' `compared` tables: the subjects whose result differs, and a summary."""
        raise NotSupported(f"the {self.title} engine has no what-if")

    def result(self, name: str) -> ResultTable:
        return next(r for r in self.results if r.name == name)
