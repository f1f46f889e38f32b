"""The uploads beside `bench_web.py --upload-rows N`: a tax file of N rows sent to the import,
its check job followed, then its load job followed; then the same again with a corrected file
(other amounts, which supersedes the first), and so on, alternating, until the measured run
ends, so that the pages are measured while upload work runs all the time. The time and
outcome of each step of each round."""

from __future__ import annotations

import json
import re
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from hostile_files import rows as tax_rows

HEADER = "纳税人识别号,纳税人名称,所属年度,税种,实缴税金（万元）"


def tax_file(path: Path, n: int, correction: int = 0) -> Path:
    """N rows of taxes; a correction gives other amounts for the same enterprises."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + "\n")
        written, serial = 0, 0
        while written < n:
            for row in tax_rows(serial, False)[: n - written]:
                if correction:
                    row = [*row[:-1], f"{float(row[-1]) + correction:.2f}"]
                fh.write(",".join(row) + "\n")
                written += 1
            serial += 1
    return path


class Client:
    """A signed-in analyst over plain urllib (the session cookie kept by hand: it is Secure)."""

    def __init__(self, url: str, user: str, password: str) -> None:
        self.url, self.cookie = url, ""
        page = self.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        form = {"username": user, "password": password, "csrf": token, "next": "/"}
        self.post("/login", urlencode(form).encode(), "application/x-www-form-urlencoded")

    def _open(self, request: urllib.request.Request) -> Any:
        if self.cookie:
            request.add_header("Cookie", f"ib_session={self.cookie}")
        opener = urllib.request.build_opener(NoRedirect)
        answer = opener.open(request, timeout=600)
        for header in answer.headers.get_all("set-cookie") or []:
            if found := re.match(r"ib_session=([^;]+)", header):
                self.cookie = found.group(1)
        return answer

    def get(self, path: str) -> str:
        return str(self._open(urllib.request.Request(self.url + path)).read().decode())

    def post(self, path: str, body: bytes, kind: str) -> str:
        request = urllib.request.Request(self.url + path, data=body, method="POST")
        request.add_header("Content-Type", kind)
        return str(self._open(request).headers.get("location", ""))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None

    def http_error_303(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        return fp


def _multipart(path: Path, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = "----ibbench" + str(time.time_ns())
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="tax.csv"\r\n'
    parts.append((head + "Content-Type: text/csv\r\n\r\n").encode() + path.read_bytes() + b"\r\n")
    return b"".join(
        parts
    ) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Uploader:
    """Runs the uploads in a thread from `with` on, until the block ends; `timings` then."""

    def __init__(self, url: str, user: str, password: str, rows: int) -> None:
        self.url, self.user, self.password, self.rows = url, user, password, rows
        self.timings: dict[str, Any] = {"rounds": []}
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.stop = threading.Event()

    def __enter__(self) -> Uploader:
        self.folder = tempfile.TemporaryDirectory()
        folder = Path(self.folder.name)
        self.paths = [tax_file(folder / f"tax{k}.csv", self.rows, k) for k in (0, 1)]
        self.timings["megabytes"] = self.paths[0].stat().st_size / 1e6
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=900)
        self.folder.cleanup()

    def _job(self, client: Client, where: str) -> dict[str, Any]:
        job = where.replace("/jobs/", "/api/jobs/")
        while (state := json.loads(client.get(job)))["state"] in ("queued", "running"):
            time.sleep(0.5)
        return dict(state)

    def _run(self) -> None:
        try:
            client = Client(self.url, self.user, self.password)
            token = re.search(r'name="csrf" value="([^"]+)"', client.get("/import")).group(1)  # type: ignore[union-attr]
            round_ = 0
            while not self.stop.is_set():
                self.timings["rounds"].append(self._round(client, token, self.paths[round_ % 2]))
                round_ += 1
        except Exception as exc:
            self.timings["error"] = repr(exc)[:300]

    def _round(self, client: Client, token: str, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {"file": path.name}
        started = time.monotonic()
        body, kind = _multipart(path, {"csrf": token, "source": "tax"})
        where = client.post("/import", body, kind)
        out["send"] = {"seconds": time.monotonic() - started, "outcome": where}
        checked = self._job(client, where)
        outcome = f"{checked['state']}: {checked.get('error') or checked['result']}"
        out["check"] = {"seconds": time.monotonic() - started, "outcome": outcome}
        started = time.monotonic()
        form = urlencode({"csrf": token}).encode()
        load = f"/import/{checked['result']['token']}/load"
        loaded = self._job(client, client.post(load, form, "application/x-www-form-urlencoded"))
        outcome = f"{loaded['state']}: {loaded.get('error') or loaded['result']}"
        out["load"] = {"seconds": time.monotonic() - started, "outcome": outcome}
        out["ended"] = time.monotonic()
        return out
