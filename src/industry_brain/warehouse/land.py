"""Land per enterprise and year, counted once: parcels summed by tenure (owned + leased − let),
and a leased parcel also deducted from its lessor — the enterprise named as 出租方, else the
owner of the parcel with the same 宗地编号 — unless the lessor lists the parcel as let itself.
A parcel list from 自然资源局 names the owner's parcel and the tenant's lease row; without the
deduction both would count the same ground."""

from __future__ import annotations

import ibis
from ibis import _

from industry_brain.ingest.spec import load_spec
from industry_brain.warehouse.active import active
from industry_brain.warehouse.warehouse import Warehouse


def _newest(con: Warehouse, years: list[int] | None) -> ibis.Table:

    rows = active(con, "land")
    if years is not None:
        rows = rows.filter(rows.year.isin(years))
    newest = rows.batch_id.max().over(group_by=[rows.uscc, rows.year])
    return rows.filter(rows.batch_id == newest)


def _lessors(con: Warehouse, rows: ibis.Table) -> ibis.Table:
    """Each leased parcel with the enterprise that lets it (or NULL when nobody can be found)."""
    leased = rows.filter(_.tenure == "leased")
    owners = (
        rows.filter(_.tenure == "owned")
        .group_by(["year", "parcel_id"])
        .aggregate(owner=_.uscc.min(), owners=_.uscc.nunique())
    )
    known = con.table("enterprise").select(uscc=_.uscc.cast("string"), name=_.name)
    names = (
        ibis.union(known, rows.select("uscc", "name"), distinct=True)
        .filter(_.name.notnull())
        .group_by("name")
        .aggregate(by_name=_.uscc.min())
        .rename(lessor_name="name")
    )
    j = leased.left_join(owners, ["year", "parcel_id"]).left_join(
        names, leased.lessor == names.lessor_name
    )
    named = j.lessor.re_search(r"^[0-9A-Z]{18}$").ifelse(j.lessor, j.by_name)
    owner = ((j.owners == 1) & (j.owner != j.uscc)).ifelse(j.owner, ibis.null("string"))
    return j.select(
        "year", "parcel_id", "area_mu", tenant=j.uscc, lessor_uscc=named.fill_null(owner)
    ).distinct()


def land_by_enterprise(con: Warehouse, years: list[int] | None = None) -> ibis.Table:
    """Owned, leased and let land per enterprise and year, and land_mu counted once."""
    factors: dict[str, float] = load_spec("land").reconcile["tenure_factors"]
    rows = _newest(con, years)
    explicit = rows.filter(_.tenure == "let").select("uscc", "year", "parcel_id")
    lets = _lessors(con, rows).filter(_.lessor_uscc.notnull())
    implicit = lets.anti_join(
        explicit,
        [lets.lessor_uscc == explicit.uscc, lets.year == explicit.year, "parcel_id"],
    ).select(uscc=_.lessor_uscc, year=_.year, let_mu=_.area_mu)

    def area(tenure: str) -> ibis.Value:
        return (rows.tenure == tenure).ifelse(rows.area_mu, 0).sum()

    own = rows.group_by(["uscc", "year"]).aggregate(
        owned=area("owned"),
        leased=area("leased"),
        let=area("let"),
        parcels=rows.count().cast("int32"),
        land_batch_id=rows.batch_id.max(),
    )
    deducted = implicit.group_by(["uscc", "year"]).aggregate(extra=_.let_mu.sum())
    j = own.left_join(deducted, ["uscc", "year"])
    let = j.let + j.extra.fill_null(0)
    net = factors["owned"] * j.owned + factors["leased"] * j.leased + factors["let"] * let
    return j.select(
        "uscc",
        "year",
        land_mu=net,
        land_owned_mu=j.owned,
        land_leased_mu=j.leased,
        land_let_mu=let,
        parcels=j.parcels,
        land_batch_id=j.land_batch_id,
    )
