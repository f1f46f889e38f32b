"""Two fixes to the SQL Ibis writes for PostgreSQL (through sqlglot 30), applied on import. Both
come from sqlglot rewriting a tree in which Ibis shares a node between two places: a rewrite
made through the node's parent lands in the other place.

Division: PostgreSQL divides integers as integers, so sqlglot casts the dividend to DOUBLE
PRECISION; with the dividend shared, the cast went to another division and `rank / group_size`
(the 亩均 percentile) came out 0. Each division is now written from a copy of its own.

QUALIFY: PostgreSQL has no QUALIFY (a filter on a window function, which the reconciliation and the
engines use: "the newest batch per enterprise"). sqlglot rewrites `SELECT … FROM x AS t5 QUALIFY
t5.b = MAX(…) OVER (…)` into `SELECT … FROM (SELECT …, MAX(…) OVER (…) AS _w FROM x AS t5) AS _t
WHERE t5.b = _w`, leaving the outer filter's columns qualified with a table the outer query does
not see (sqlglot 30: "missing FROM-clause entry for table t5"). The outer query reads only the
subquery `_t`, whose columns are named, so its filter's columns are unqualified here (those of
a subquery inside the filter, correlated or not, are left alone).
"""

from __future__ import annotations

from sqlglot import exp, generator, transforms
from sqlglot.generators.postgres import PostgresGenerator

_div_sql = PostgresGenerator.div_sql


def div_sql(self: PostgresGenerator, expression: exp.Div) -> str:
    return _div_sql(self, expression.copy())


def eliminate_qualify(expression: exp.Expr) -> exp.Expr:
    rewritten = transforms.eliminate_qualify(expression)
    where = rewritten.args.get("where") if rewritten is not expression else None
    if isinstance(rewritten, exp.Select) and where is not None:
        # a copy: sqlglot's rewrite may share a column node with the subquery's projection
        where = where.copy()
        for node in where.walk(prune=lambda n: isinstance(n, exp.Subquery | exp.Select)):
            if isinstance(node, exp.Column) and node.table:
                node.set("table", None)
        rewritten.set("where", where)
    return rewritten


def install() -> None:
    PostgresGenerator.TRANSFORMS[exp.Select] = transforms.preprocess(
        [transforms.eliminate_semi_and_anti_joins, eliminate_qualify]
    )
    PostgresGenerator.div_sql = div_sql  # type: ignore[method-assign,assignment]
    generator._DISPATCH_CACHE.pop(PostgresGenerator, None)  # built from the methods once


install()
