"""Reading and checking an upload runs off the event loop (issue 13): while a large file is
validated, another user's pages keep answering. Before, every request waited for the whole
validation (82 s for the 663 MB bomb)."""

from __future__ import annotations

import re
import time

import httpx

from web_helpers import signed_in_http

from helpers import make_uscc

ROWS = 300_000  # a 12 MB tax file: a few seconds of validation


def big_tax_file() -> bytes:
    firms = [make_uscc(serial=i) for i in range(1, 200)]
    lines = ["纳税人识别号,所属年度,实缴税金（万元）"]
    lines += [
        f"{firms[i % len(firms)]},{1990 + i // len(firms) % 30},{i % 97}" for i in range(ROWS)
    ]
    return "\n".join(lines).encode("utf-8")


def test_pages_answer_while_a_large_upload_is_validated(live_server):
    uploader, browser = signed_in_http(live_server), httpx.Client(base_url=live_server, timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', uploader.get("/import").text).group(1)
    files = [("files", ("大文件.csv", big_tax_file()))]
    started = time.monotonic()
    answer = uploader.post("/import", data={"csrf": token, "source": "tax"}, files=files)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/jobs/")
    assert time.monotonic() - started < 5, "the upload was answered only after its validation"
    job = answer.headers["location"].replace("/jobs/", "/api/jobs/")
    waits, states = [], set()
    while (state := uploader.get(job).json())["state"] not in ("done", "failed"):
        states.add(state["stage"])
        started = time.monotonic()
        assert browser.get("/login").status_code == 200
        waits.append(time.monotonic() - started)
        time.sleep(0.02)
    assert state["state"] == "done", state
    assert max(waits) < 1.0, f"a page waited {max(waits):.2f} s for the validation"
    assert len(waits) >= 5, "the validation was too quick to tell"
    assert any("校验" in s for s in states)  # the stage shown while it reads the file
    review = uploader.get(state["url"])
    assert "校验报告" in review.text
    upload_token = state["url"].rsplit("/", 1)[-1]
    uploader.post(f"/import/{upload_token}/cancel", data={"csrf": token})
