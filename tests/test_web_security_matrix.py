"""The role × route matrix (issue 12): every route of the app, asked by an anonymous visitor, an
enterprise, two counties, the city and the province, each with an id of its own scope and with
one of another scope. It asserts who is answered and who is refused, and that no answer (page,
JSON or download) carries an enterprise outside the asker's scope. A route without a row here
fails `test_every_route_has_a_row`: a new route must say who may use it.

The app serves a copy of the session's small city (the matrix changes things: runs, appeals,
uploads, users), with a run of each county spec and a published city run, appeals, uploads and
batches of two counties.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from industry_brain.engines.permu.spec import load_method
from industry_brain.ingest.load import ingest_file
from industry_brain.reference.regions import region_prefix
from industry_brain.runs.permu import run_permu
from industry_brain.runs.workflow import Actor, move
from industry_brain.warehouse import fetch
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.web.app import create_app
from industry_brain.web.users import add_user
from web_helpers import csrf_of, login

from conftest import PASSWORD
from helpers import write_csv, write_xlsx

ROLES = ("anonymous", "enterprise", "county", "other_county", "city", "province")
ANALYSTS = frozenset({"county", "other_county", "city", "province"})
ABOVE = frozenset({"city", "province"})
EVERYONE = frozenset(ROLES) - {"anonymous"}
REGION = {
    "enterprise": "331003",
    "county": "331003",
    "other_county": "331004",
    "city": "331000",
    "province": "330000",
}
Form = Callable[["Matrix", str, bool], dict[str, Any] | None]


@dataclass(frozen=True)
class Row:
    """Who may use a route: `allowed` roles are answered (2xx/3xx, or one of `ok` when the
    object's state refuses the change) for a target in their own scope; every other role, and
    every role for a target in another scope, is refused (401/403/404; anonymous pages go to
    the login page). `form` gives the POST fields for a role (own or foreign target)."""

    allowed: frozenset[str] = frozenset()
    ok: frozenset[int] = frozenset()
    form: Form | None = None
    public: bool = False  # answered to everyone, anonymous included
    hidden: bool = False  # 404 to everyone (the command line's bridge without its token)
    files: bool = False  # the form is sent as multipart with a small file
    kinds: dict[str, str] = field(default_factory=dict)  # a parameter read as another kind
    fresh: bool = False  # an allowed role acts on an upload of its own, made for the request
    query: dict[str, Any] = field(default_factory=dict)  # required query parameters
    empty: frozenset[str] = frozenset()  # allowed roles answered 404: nothing of theirs stored
    # names the suppliers and backup candidates of the asker's buyers (a chain page): those may
    # lie outside its region; every other enterprise named must not
    counterparts: bool = False


def spec_form(m: Matrix, role: str, foreign: bool) -> dict[str, Any]:
    own = {"county": "taizhou-huangyan-2022", "other_county": "taizhou-huangyan-2022"}
    spec = "taizhou-wenling-quotas" if foreign else own.get(role, "taizhou-city-2022")
    return {"spec": spec, "year": 2022}


def new_user(m: Matrix, role: str, foreign: bool) -> dict[str, Any] | None:
    if foreign:
        return None
    m.serial += 1
    name = f"mx_{role}_{m.serial}"
    return {"username": name, "role": "county", "region": "331003", "password": m.new_password}


def plan_form(m: Matrix, role: str, foreign: bool) -> dict[str, Any]:
    region = REGION.get(role, "331003")
    return {"title": f"矩阵规划 {role}", "region": region, "base_year": 2020, "target_year": 2025}


def _flag(m: Matrix, role: str, foreign: bool) -> tuple[str, str, str] | None:
    """A flagged input with backup candidates (buyer, input class, candidate): of the county,
    or the other county's for the other county; another county's when `foreign`."""
    county = "other_county" if role == "other_county" else "county"
    if foreign:
        county = OTHER.get(role, "")
    return m.ids["flag"].get(county)


def match_form(m: Matrix, role: str, foreign: bool) -> dict[str, Any] | None:
    found = _flag(m, role, foreign)
    return None if found is None else {"candidate": found[2], "status": "contacted"}


PLAN_TABLE = [
    ["指标", "单位", "基期值", "目标值", "属性"],
    ["规模以上工业总产值", "亿元", "5269", "10000（力争12000）", "预期性"],
]


def _plan_file(m: Matrix) -> tuple[str, bytes]:
    path = write_xlsx(m.ws.path / "矩阵规划表.xlsx", PLAN_TABLE)
    return path.name, path.read_bytes()


ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/api/openapi.json"): Row(public=True),
    ("GET", "/favicon.ico"): Row(public=True),
    ("GET", "/login"): Row(public=True),
    ("POST", "/login"): Row(public=True, form=lambda m, r, f: {"username": "x", "password": "y"}),
    ("POST", "/logout"): Row(public=True),
    ("GET", "/api/me"): Row(allowed=EVERYONE),
    ("GET", "/api/regions/{code}"): Row(allowed=ANALYSTS),
    ("GET", "/api/regions/{code}/map"): Row(allowed=ANALYSTS),
    ("GET", "/api/geo/{code}"): Row(allowed=ANALYSTS),
    ("GET", "/api/enterprises"): Row(allowed=EVERYONE),  # an enterprise finds itself only
    ("GET", "/api/enterprises/{uscc}"): Row(allowed=EVERYONE),
    ("GET", "/api/enterprises/{uscc}/permu"): Row(allowed=EVERYONE, query={"year": 2022}),
    ("GET", "/api/monitoring/{plan}"): Row(allowed=ABOVE),
    # the latest run covering the asker's whole region: none covers the province
    ("GET", "/api/permu/runs/latest"): Row(allowed=ANALYSTS, empty=frozenset({"province"})),
    ("GET", "/api/permu/runs"): Row(allowed=ANALYSTS),
    ("GET", "/api/permu/runs/{run_id}/scores"): Row(allowed=ANALYSTS),
    ("GET", "/api/permu/runs/{run_id}/whatif"): Row(
        allowed=ANALYSTS, query={"spec": "taizhou-city-2022"}
    ),
    ("POST", "/api/cli/{question}"): Row(hidden=True),
    ("POST", "/api/permu/runs"): Row(  # 409: the same run is being made (another role's job)
        allowed=frozenset({"county", "city", "province"}), ok=frozenset({409}), form=spec_form
    ),
    ("POST", "/api/permu/runs/{run_id}/{action}"): Row(
        allowed=frozenset({"county", "city", "province"}),
        ok=frozenset({409}),
        kinds={"run_id": "own_run"},
    ),
    ("GET", "/runs/{run_id}/workbook.xlsx"): Row(allowed=ANALYSTS),
    # the whole run's file: for users covering its region (inside it: the workbook's part)
    ("GET", "/runs/{run_id}/files/{name}"): Row(allowed=ABOVE),
    ("GET", "/batches/{batch_id}/withdraw"): Row(allowed=ABOVE),
    ("POST", "/api/batches/{batch_id}/withdraw"): Row(
        allowed=ABOVE,
        ok=frozenset({409}),
        form=lambda m, r, f: {"reason": "矩阵", "confirm": "true"},
    ),
    ("POST", "/import/{token}/{index}/source"): Row(
        allowed=ANALYSTS, fresh=True, form=lambda m, r, f: {"source": "tax", "year": "2022"}
    ),
    ("POST", "/import/{token}/mapping"): Row(
        allowed=ABOVE,
        fresh=True,
        form=lambda m, r, f: {"source": "tax", "header": "备注", "field": "name"},
    ),
    ("GET", "/import"): Row(allowed=ANALYSTS),
    ("POST", "/import"): Row(allowed=ANALYSTS, files=True, form=lambda m, r, f: {}),
    ("GET", "/import/{token}"): Row(allowed=ANALYSTS),
    ("GET", "/import/{token}/{index}/errors.xlsx"): Row(allowed=ANALYSTS),
    ("POST", "/import/{token}/load"): Row(allowed=ANALYSTS, fresh=True, form=lambda m, r, f: {}),
    ("GET", "/import/{token}/result"): Row(allowed=ANALYSTS, kinds={"token": "done_token"}),
    ("POST", "/import/{token}/cancel"): Row(allowed=ANALYSTS, fresh=True, form=lambda m, r, f: {}),
    ("POST", "/appeals"): Row(
        allowed=frozenset({"enterprise"}),
        ok=frozenset({409}),
        files=True,
        form=lambda m, r, f: {"reason": "矩阵：用地面积有误"},
    ),
    ("GET", "/appeals"): Row(allowed=ANALYSTS),
    ("GET", "/appeals/{appeal_id}/attachment"): Row(allowed=EVERYONE),
    ("POST", "/appeals/{appeal_id}/decide"): Row(
        allowed=ANALYSTS,
        ok=frozenset({409}),
        form=lambda m, r, f: {"outcome": "refuse", "decision": "矩阵：材料不足"},
    ),
    ("GET", "/api/users"): Row(allowed=ABOVE),
    ("GET", "/users"): Row(allowed=ABOVE),
    ("POST", "/users"): Row(allowed=ABOVE, form=new_user),
    ("POST", "/users/{username}/disable"): Row(allowed=ABOVE, form=lambda m, r, f: {}),
    ("POST", "/users/{username}/enable"): Row(allowed=ABOVE, form=lambda m, r, f: {}),
    ("POST", "/users/{username}/password"): Row(
        allowed=ABOVE, form=lambda m, r, f: {"password": m.new_password}
    ),
    ("GET", "/"): Row(allowed=EVERYONE),
    ("GET", "/region/{code}"): Row(allowed=ANALYSTS),
    ("GET", "/region/{code}/export.xlsx"): Row(allowed=ANALYSTS),
    ("GET", "/enterprise/{uscc}"): Row(allowed=EVERYONE),
    ("GET", "/monitoring/{plan}"): Row(allowed=ABOVE),
    ("GET", "/monitoring"): Row(allowed=ANALYSTS),
    ("GET", "/monitoring/import"): Row(allowed=ANALYSTS),
    ("POST", "/monitoring/import"): Row(allowed=ANALYSTS, files=True, form=plan_form),
    # a plan import's draft: its uploader's only (a city does not read a county's)
    ("GET", "/monitoring/import/{token}"): Row(allowed=ANALYSTS, kinds={"token": "plan_draft"}),
    ("POST", "/monitoring/import/{token}"): Row(
        allowed=ANALYSTS, kinds={"token": "new_plan_draft"}, form=lambda m, r, f: {}
    ),
    ("GET", "/search"): Row(allowed=ANALYSTS, query={"q": "有限公司"}),  # names every county's
    ("GET", "/runs/{run_id}"): Row(allowed=ANALYSTS),
    ("GET", "/runs"): Row(allowed=ANALYSTS),
    ("GET", "/batches"): Row(allowed=ANALYSTS),
    ("GET", "/audit"): Row(allowed=ANALYSTS),
    ("GET", "/quality"): Row(allowed=ANALYSTS),
    # a job: its owner, and a city or province analyst of its region (a county's job here)
    ("GET", "/jobs/{job_id}"): Row(allowed=ANALYSTS),
    ("GET", "/api/jobs/{job_id}"): Row(allowed=ANALYSTS),
    # the chain pages of the city's chains run (last: a 对接 recorded shows in the audit log)
    ("GET", "/chains"): Row(allowed=ANALYSTS),
    ("GET", "/chains/risks"): Row(allowed=ANALYSTS, counterparts=True),
    ("GET", "/chains/risks.xlsx"): Row(allowed=ANALYSTS, counterparts=True),
    ("GET", "/chains/risks/{buyer_uscc}/{input_class}"): Row(allowed=ANALYSTS, counterparts=True),
    ("POST", "/chains/risks/{buyer_uscc}/{input_class}/matches"): Row(
        allowed=ANALYSTS, form=match_form, counterparts=True
    ),
    ("GET", "/chains/{chain_id}"): Row(allowed=ANALYSTS, counterparts=True),
    ("GET", "/chains/{chain_id}/segments.xlsx"): Row(allowed=ANALYSTS),
    ("GET", "/chains/{chain_id}/segments/{segment_id}"): Row(allowed=ANALYSTS),
}


@dataclass
class Matrix:
    client: TestClient
    ws: Any
    ids: dict[str, Any]  # named objects of the copy: runs, batches, appeals, uploads, users
    region_of: dict[str, str]  # every enterprise's county
    names: dict[str, str]  # every enterprise's name
    tokens: dict[str, str] = field(default_factory=dict)  # role → CSRF token
    cookies: dict[str, str] = field(default_factory=dict)  # role → session cookie
    serial: int = 0
    new_password: str = "matrix-Strong-pass-2026"

    def target(self, kind: str, role: str, foreign: bool) -> str | None:
        """A path parameter for the role: inside its scope, or (foreign) outside it."""
        pick = TARGETS[kind][1 if foreign else 0]
        found = pick(self, role) if callable(pick) else pick.get(role)
        return None if found is None else str(found)

    def upload(self, role: str) -> str:
        """A fresh upload of the role (a small tax file of its county), its token."""
        rows = [["纳税人识别号", "所属年度", "实缴税金（万元）"], [self.ids["firm"][role], 2019, 1]]
        name = f"矩阵_{role}_{self.serial}.csv"
        self.serial += 1
        data = {"csrf": self.tokens[role], "source": "tax"}
        files = [("files", (name, _csv_bytes(rows)))]
        answer = self.send(role, "POST", "/import", data=data, files=files)
        assert answer.status_code == 303, answer.text[:300]
        return self.finished(role, answer)["result"]["token"]

    def plan_draft(self, role: str) -> str:
        """A fresh plan-import draft of the role (a plan of its region), its token."""
        data = plan_form(self, role, False) | {"csrf": self.tokens[role]}
        files = [("file", _plan_file(self))]
        answer = self.send(role, "POST", "/monitoring/import", data=data, files=files)
        assert answer.status_code == 303, answer.text[:300]
        return str(answer.headers["location"].rsplit("/", 1)[-1])

    def finished(self, role: str, answer: Any) -> dict[str, Any]:
        """The job a submitting answer started, once finished (remembered as the role's)."""
        job_id = int(answer.headers["location"].rsplit("/", 1)[-1])
        self.ids.setdefault("job", {}).setdefault(role, job_id)
        while (state := self.send(role, "GET", f"/api/jobs/{job_id}").json())["state"] in (
            "queued",
            "running",
        ):
            time.sleep(0.05)
        assert state["state"] == "done", state
        return dict(state)

    def send(self, role: str, method: str, url: str, **kw: Any) -> Any:
        self.client.cookies.clear()
        if role in self.cookies:
            self.client.cookies.set("ib_session", self.cookies[role])
        headers = {"accept": "text/html"} if not url.startswith("/api") else {}
        return self.client.request(method, url, headers=headers, follow_redirects=False, **kw)


def _csv_bytes(rows: list[list[Any]]) -> bytes:
    return "\n".join(",".join(str(c) for c in r) for r in rows).encode("utf-8")


OTHER = {"county": "other_county", "other_county": "county", "enterprise": "other_county"}
TARGETS: dict[str, tuple[Any, Any]] = {
    "name": (lambda m, r: "lists", lambda m, r: "lists"),
    "code": (
        REGION,
        {"enterprise": "331004", "county": "331004", "other_county": "331003", "city": "330300"},
    ),
    "uscc": (
        lambda m, r: m.ids["firm"].get(r),
        lambda m, r: (
            m.ids["firm"]["neighbour"]
            if r == "enterprise"
            else (m.ids["firm"][OTHER[r]] if r in OTHER else None)
        ),
    ),
    "run_id": (
        lambda m, r: m.ids["run"]["city"],
        lambda m, r: {
            "county": m.ids["run"]["wenling"],
            "other_county": m.ids["run"]["huangyan"],
            "enterprise": m.ids["run"]["wenling"],
        }.get(r),
    ),
    "own_run": (
        lambda m, r: m.ids["run"]["huangyan" if r == "county" else "city"],
        lambda m, r: {
            "county": m.ids["run"]["wenling"],
            "other_county": m.ids["run"]["huangyan"],
            "enterprise": m.ids["run"]["wenling"],
        }.get(r),
    ),
    "done_token": (
        lambda m, r: m.ids["done"].get(r, m.ids["done"]["county"]),
        lambda m, r: m.ids["done"].get(OTHER.get(r, "")),
    ),
    "action": ({r: "submit" for r in ROLES}, {r: "submit" for r in ROLES}),
    "batch_id": (
        lambda m, r: m.ids["batch"]["cli"],
        lambda m, r: m.ids["batch"].get(OTHER.get(r, "")),
    ),
    "appeal_id": (
        lambda m, r: m.ids["appeal"]["other_county" if r == "other_county" else "county"],
        lambda m, r: m.ids["appeal"].get(OTHER.get(r, "")),
    ),
    "token": (
        lambda m, r: m.ids["upload"].get(r, m.ids["upload"]["county"]),
        lambda m, r: m.ids["upload"].get(OTHER.get(r, "")),
    ),
    "index": ({r: 0 for r in ROLES}, {r: 0 for r in ROLES}),
    "plan_draft": (
        lambda m, r: m.ids["plan_draft"].get(r, m.ids["plan_draft"]["county"]),
        lambda m, r: m.ids["plan_draft"].get(OTHER.get(r, "")),
    ),
    "new_plan_draft": (
        lambda m, r: m.plan_draft(r) if r in ANALYSTS else m.ids["plan_draft"]["county"],
        lambda m, r: m.ids["plan_draft"].get(OTHER.get(r, "")),
    ),
    "username": (
        lambda m, r: m.ids["user"]["other_county" if r == "other_county" else "county"],
        lambda m, r: {
            "city": m.ids["user"]["hangzhou"],
            "county": m.ids["user"]["other_county"],
            "other_county": m.ids["user"]["county"],
        }.get(r),
    ),
    "plan": ({r: "taizhou-14th-fyp" for r in ROLES}, {"city": "wenzhou-2.0-2022"}),
    "question": ({r: "status" for r in ROLES}, {}),
    "chain_id": ({r: "taizhou-auto" for r in ROLES}, {}),
    "segment_id": ({r: "parts" for r in ROLES}, {}),
    "buyer_uscc": (
        lambda m, r: (_flag(m, r, False) or [None])[0],
        lambda m, r: (_flag(m, r, True) or [None])[0],
    ),
    "input_class": (
        lambda m, r: (_flag(m, r, False) or [None, None])[1],
        lambda m, r: (_flag(m, r, True) or [None, None])[1],
    ),
    "job_id": (
        lambda m, r: m.ids["job"].get(r, m.ids["job"]["county"]),
        lambda m, r: m.ids["job"].get(OTHER.get(r, "")),
    ),
}


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route, included routers walked (HEAD, and the static files,
    left out); a path converter (`{action:move}`) is written as the plain parameter."""
    for route in routes:
        if hasattr(route, "original_router"):
            context = getattr(route, "include_context", None)
            yield from _routes(
                route.original_router.routes, prefix + (getattr(context, "prefix", "") or "")
            )
        elif getattr(route, "methods", None):
            path = re.sub(r"\{(\w+):\w+\}", r"{\1}", prefix + route.path)
            for method in sorted(route.methods - {"HEAD"}):
                if path != "/api/cli/{question}" or method == "POST":
                    yield method, path


def _evaluated(con: Warehouse, county: str, n: int) -> list[str]:
    sql = """SELECT DISTINCT s.uscc FROM permu_score s WHERE s.region_code = ?
        AND s.status = 'evaluated' ORDER BY s.uscc LIMIT ?"""
    return [r["uscc"] for r in fetch(con, sql, [county, n])]


def _flagged(con: Warehouse, county: str) -> tuple[str, str, str]:
    """The first flagged input of the county's buyers with a backup candidate in the latest
    chains run: (buyer, input class, its first candidate)."""
    sql = """SELECT f.buyer_uscc, f.input_class, b.candidate FROM chain_flag f
        JOIN enterprise e ON e.uscc = f.buyer_uscc
        JOIN chain_backup b ON b.run_id = f.run_id AND b.buyer_uscc = f.buyer_uscc
            AND b.input_class = f.input_class AND b.rank = 1
        WHERE e.region_code = ? AND f.run_id = (SELECT max(run_id) FROM run WHERE engine = 'chains')
        ORDER BY f.buyer_uscc, f.input_class LIMIT 1"""
    [row] = fetch(con, sql, [county])
    return row["buyer_uscc"], row["input_class"], row["candidate"]


def _counterparts(con: Warehouse, region: str) -> set[str]:
    """What a chain page may name beyond the region: the suppliers (codes and names) its buyers
    bought from, and the backup candidates of their flagged inputs."""
    prefix = region_prefix(region) + "%"
    sql = """SELECT t.seller_uscc AS k, t.seller_name AS n FROM trade t
        JOIN enterprise e ON e.uscc = t.buyer_uscc WHERE e.region_code LIKE ?
        UNION SELECT b.candidate, b.candidate_name FROM chain_backup b
        JOIN enterprise e ON e.uscc = b.buyer_uscc WHERE e.region_code LIKE ?"""
    rows = fetch(con, sql, [prefix, prefix])
    return {str(v).strip() for r in rows for v in (r["k"], r["n"]) if v}


def _session(m: Matrix, role: str, username: str) -> None:
    m.client.cookies.clear()
    assert login(m.client, username).status_code == 303, username
    m.cookies[role] = m.client.cookies["ib_session"]
    m.tokens[role] = csrf_of(m.client, "/")


@pytest.fixture(scope="module")
def matrix(web, tmp_path_factory) -> Iterator[Matrix]:
    from helpers import copy_of_served

    copy = tmp_path_factory.mktemp("matrix") / "ws"
    ws = copy_of_served(web.city.ws, web.client.app, copy)
    con = ws.con
    runs = {
        key: run_permu(con, load_method(spec), 2022).run_id
        for key, spec in (
            ("city", "taizhou-city-2022"),
            ("huangyan", "taizhou-huangyan-2022"),
            ("wenling", "taizhou-wenling-quotas"),
        )
    }
    for action, who in (("submit", "city"), ("approve", "province")):
        move(con, runs["city"], action, Actor(who, REGION[who]))
    own, neighbour = web.users["enterprise"]["uscc"], _evaluated(con, "331003", 2)
    [luqiao] = _evaluated(con, "331004", 1)
    firm = {"enterprise": own, "county": own, "city": own, "province": own}
    firm |= {"other_county": luqiao, "neighbour": next(u for u in neighbour if u != own)}
    add_user(con, "mx_ent_lq", PASSWORD, "enterprise", "331004", luqiao)
    users = {"county": "mx_hy", "other_county": "mx_lq", "hangzhou": "mx_hz"}
    add_user(con, "mx_hy", PASSWORD, "county", "331003")
    add_user(con, "mx_lq", PASSWORD, "county", "331004")
    add_user(con, "mx_hz", PASSWORD, "city", "330100")
    batches = {}
    for role, loader in (("cli", None), ("county", "county"), ("other_county", "other_county")):
        rows = [["纳税人识别号", "所属年度", "实缴税金（万元）"], [firm.get(role, own), 2018, 1]]
        path = write_csv(tmp_path_factory.mktemp("b") / f"矩阵批次_{role}.csv", rows)
        batches[role] = ingest_file(ws, path, "tax", loaded_by=loader).batch_id
    found = {r["uscc"]: r for r in fetch(con, "SELECT uscc, name, region_code FROM enterprise", [])}
    m = Matrix(
        TestClient(create_app(ws), base_url="https://testserver"),
        ws,
        {"run": runs, "firm": firm, "user": users, "batch": batches},
        {u: r["region_code"] or "" for u, r in found.items()},
        {u: r["name"] or "" for u, r in found.items()},
    )
    for role in ROLES[1:]:
        _session(m, role, role)
    _session(m, "enterprise_lq", "mx_ent_lq")
    publish = f"/api/permu/runs/{runs['city']}/publish"
    published = m.send("city", "POST", publish, data={"csrf": m.tokens["city"]})
    assert published.status_code == 202, published.text[:300]
    m.finished("city", published)
    appeals = {}
    for role, who in (("county", "enterprise"), ("other_county", "enterprise_lq")):
        data = {"csrf": m.tokens[who], "reason": "矩阵：用地面积有误"}
        files = [("attachment", ("证明.pdf", b"%PDF-1.4 matrix"))]
        assert m.send(who, "POST", "/appeals", data=data, files=files).status_code == 303
        sql = "SELECT max(appeal_id) AS a FROM appeal WHERE uscc = ?"
        appeals[role] = fetch(con, sql, [firm[role]])[0]["a"]
    m.ids["appeal"] = appeals
    m.ids["upload"] = {role: m.upload(role) for role in ("county", "other_county")}
    m.ids["done"] = {}
    for role in ("county", "other_county"):
        token = m.upload(role)
        done = m.send(role, "POST", f"/import/{token}/load", data={"csrf": m.tokens[role]})
        assert done.status_code == 303
        m.finished(role, done)
        m.ids["done"][role] = token
    m.ids["plan_draft"] = {role: m.plan_draft(role) for role in sorted(ANALYSTS)}
    m.ids["flag"] = {role: _flagged(con, REGION[role]) for role in ("county", "other_county")}
    m.ids["counterparts"] = {role: _counterparts(con, REGION[role]) for role in ROLES[1:]}
    yield m
    ws.close()


def test_every_route_has_a_row(matrix):
    routes = set(_routes(matrix.client.app.router.routes))
    assert routes - set(ROWS) == set(), "routes without a row in the security matrix"
    assert set(ROWS) - routes == set(), "rows for routes the app no longer has"


def _url(m: Matrix, path: str, row: Row, role: str, foreign: bool) -> str | None:
    url = path
    for name in re.findall(r"\{(\w+)\}", path):
        found = m.target(row.kinds.get(name, name), role, foreign)
        if found is None:
            return None
        url = url.replace(f"{{{name}}}", found)
    return url


def _request(m: Matrix, key: tuple[str, str], row: Row, role: str, foreign: bool) -> Any:
    """The answer to one cell of the matrix (None when the role has no such target)."""
    method, path = key
    if row.fresh and role in row.allowed and not foreign:
        path = path.replace("{token}", m.upload(role))
    elif "{" not in path and foreign:
        return None  # nothing of another scope to name
    url = _url(m, path, row, role, foreign)
    if url is None:
        return None
    if method == "GET":
        return m.send(role, "GET", url, params=row.query)
    data = row.form(m, role, foreign) if row.form else {}
    if data is None:
        return None
    data = data | ({"csrf": m.tokens[role]} if role in m.tokens else {})
    files = None
    if row.files and path == "/monitoring/import":
        files = [("file", _plan_file(m))]
    elif row.files and path == "/import":
        rows = [
            ["纳税人识别号", "所属年度", "实缴税金（万元）"],
            [m.ids["firm"]["county"], 2017, 1],
        ]
        files = [("files", ("矩阵上传.csv", _csv_bytes(rows)))]
    elif row.files:
        files = [("attachment", ("证明.pdf", b"%PDF-1.4 matrix"))]
    return m.send(role, method, url, data=data, files=files)


def _refused(answer: Any) -> bool:
    to_login = answer.headers.get("location", "").startswith("/login")
    return answer.status_code in (401, 403, 404) or (answer.status_code == 303 and to_login)


def _verdict(row: Row, role: str, foreign: bool, answer: Any) -> str | None:
    """What is wrong with the answer, or None."""
    status = answer.status_code
    if status >= 500:
        return "server error"
    if row.hidden:
        return None if status == 404 else "the bridge answered"
    if row.public:
        return None
    if foreign or role not in row.allowed:
        return None if _refused(answer) else "not refused"
    if role in row.empty:
        return None if status == 404 else "answered though nothing is stored"
    if _refused(answer) or not (status < 400 or status in row.ok):
        return "refused"
    return None


def _text(answer: Any) -> str:
    body = answer.content
    if body[:2] == b"PK":  # a workbook: the text of its parts
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return body.decode("utf-8", "replace")


USCC = re.compile(r"(?<![0-9A-Z])[0-9A-Z]{18}(?![0-9A-Z])")


def _leaks(m: Matrix, role: str, answer: Any, row: Row) -> list[str]:
    """Enterprises outside the role's scope named in a successful answer (on a chain page, but
    for its buyers' suppliers and backup candidates)."""
    if not 200 <= answer.status_code < 300 or role in ("city", "province"):
        return []
    theirs = m.ids["counterparts"].get(role, set()) if row.counterparts else set()
    text = _text(answer)
    if role in ("anonymous", "enterprise"):
        mine = {m.ids["firm"]["enterprise"]} if role == "enterprise" else set()
        inside: Callable[[str], bool] = lambda u: u in mine  # noqa: E731
    else:
        prefix = region_prefix(REGION[role])
        inside = lambda u: m.region_of.get(u, "").startswith(prefix)  # noqa: E731
    found = [u for u in set(USCC.findall(text)) if u in m.region_of and not inside(u)]
    found = [u for u in found if u not in theirs]
    names = [n for u, n in m.names.items() if len(n) >= 6 and not inside(u) and n in text]
    names = [n for n in names if n not in theirs]
    return found + names


def test_the_role_route_matrix(matrix):
    problems, cells = [], 0
    for key, row in ROWS.items():
        for role in ROLES:
            for foreign in (False, True):
                answer = _request(matrix, key, row, role, foreign)
                if answer is None:
                    continue
                cells += 1
                where = f"{key[0]} {key[1]} as {role}{' (other scope)' if foreign else ''}"
                wrong = _verdict(row, role, foreign, answer)
                if wrong:
                    problems.append(f"{where}: {wrong} ({answer.status_code})")
                if leaked := _leaks(matrix, role, answer, row):
                    problems.append(f"{where}: names {leaked[:3]} outside its scope")
                if key == ("POST", "/logout") and role in matrix.cookies:
                    _session(matrix, role, role)
    assert cells > 2 * len(ROWS)
    assert problems == [], "\n".join(problems)
