"""Locust user for `bench_web.py`: an analyst who signs in, then moves between the overview,
region pages (city, county, park), an enterprise, the map figures and the monitoring table."""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

COUNTIES = ["331002", "331003", "331004", "331022", "331023", "331024", "331081", "331082"]
COUNTIES += ["331083"]


class Analyst(HttpUser):
    wait_time = between(0.5, 1.5)  # an analyst reads before the next click

    def _keep_session(self, response: object) -> None:
        """The session cookie is Secure; python-requests would not send it back over plain
        http on loopback (browsers treat 127.0.0.1 as secure), so keep it by hand."""
        value = response.cookies.get("ib_session")  # type: ignore[attr-defined]
        if value:
            self.client.cookies.set("ib_session", value)

    def on_start(self) -> None:
        page = self.client.get("/login", name="login")
        self._keep_session(page)
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token, "no CSRF token on the login page"
        data = {"username": os.environ["BENCH_USER"], "password": os.environ["BENCH_PASSWORD"]}
        data |= {"csrf": token.group(1), "next": "/"}
        signed_in = self.client.post("/login", data=data, name="login", allow_redirects=False)
        self._keep_session(signed_in)
        parks = self.client.get("/api/regions/331003").json()["children"]
        self.parks = [p["code"] for p in parks] or ["331003"]
        rows = self.client.get("/api/enterprises?region=331000&limit=200").json()
        self.enterprises = [r["uscc"] for r in rows["enterprises"]]

    @task(4)
    def overview(self) -> None:
        self.client.get("/", name="overview /")

    @task(2)
    def city(self) -> None:
        self.client.get("/region/331000", name="region: city")

    @task(4)
    def county(self) -> None:
        self.client.get(f"/region/{random.choice(COUNTIES)}", name="region: county")

    @task(2)
    def park(self) -> None:
        self.client.get(f"/region/{random.choice(self.parks)}", name="region: park")

    @task(2)
    def enterprise(self) -> None:
        self.client.get(f"/enterprise/{random.choice(self.enterprises)}", name="enterprise")

    @task(2)
    def map_figures(self) -> None:
        indicator = random.choice(["tax_per_mu", "value_added_per_mu", "labour_productivity"])
        self.client.get(f"/api/regions/331000/map?indicator={indicator}", name="api: map")

    @task(1)
    def monitoring(self) -> None:
        self.client.get("/monitoring/taizhou-14th-fyp", name="monitoring")
