"""Two fixes to the SQL Ibis writes for PostgreSQL (through sqlglot 30), applied on import. Both
come from sqlglot rewriting a tree in which Ibis shares a node between two places: a rewrite
made through the node's parent lands in the other place.

Division: PostgreSQL divides integers as integers, so sqlglot casts the dividend to DOUBLE
PRECISION; with the dividend shared, the cast went to another division and `rank / group_size`
(the 亩均 percentile) came out 0. Each division is now written from a copy of its own, and as
DuckDB divides: by zero it gives ±Infinity or NaN (a benchmark over a group without land),
where PostgreSQL raises an error.

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


def div_sql(self: PostgresGenerator, expression: exp.Div) -> str:
    """x / y as DuckDB divides: in DOUBLE PRECISION, and by zero ±Infinity (NaN for 0 / 0),
    where PostgreSQL would stop the query with an error."""
    e = expression.copy()
    dividend = self.sql(exp.cast(e.left, exp.DataType.build("double")))
    divisor = self.sql(e.right)
    infinite = f"{dividend} * CAST('Infinity' AS DOUBLE PRECISION)"
    return f"(CASE WHEN ({divisor}) = 0 THEN {infinite} ELSE {dividend} / ({divisor}) END)"


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
