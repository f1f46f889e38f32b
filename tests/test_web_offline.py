"""Offline: no template or static file references an external http(s) URL (XML namespaces and
licence notices inside the vendored libraries are identifiers, not requests)."""

import re
from importlib import resources
from pathlib import Path

WEB = Path(str(resources.files("industry_brain.web")))
URL = re.compile(r"https?://[^\s\"')<>]+")
NOT_FETCHED = (
    "http://www.w3.org/",  # XML namespaces in ECharts' SVG renderer
    "http://www.apache.org/licenses/",  # licence notices
    "https://github.com/ecomfe/zrender/blob/master/LICENSE",
)


def test_no_external_urls_in_templates_or_static_files():
    files = [*WEB.joinpath("templates").rglob("*"), *WEB.joinpath("static").rglob("*")]
    found = []
    for f in files:
        if f.is_file() and not f.name.startswith(("LICENSE", ".")) and f.suffix != ".woff2":
            for url in URL.findall(f.read_text("utf-8", errors="replace")):
                namespace = url.startswith("http://www.w3.org/")  # an SVG's xmlns: not fetched
                if not namespace and (f.parent.name != "vendor" or not url.startswith(NOT_FETCHED)):
                    found.append(f"{f.relative_to(WEB)}: {url}")
    assert found == []


def test_the_vendored_libraries_are_there():
    vendor = WEB / "static" / "vendor"
    assert (vendor / "echarts.min.js").stat().st_size > 500_000
    assert (vendor / "htmx.min.js").is_file()
    css = (vendor / "fonts" / "400.css").read_text("utf-8")
    files = re.findall(r"url\(\./(files/[^)]+)\)", css)
    assert len(files) > 50 and all((vendor / "fonts" / f).is_file() for f in files)


def test_pages_load_scripts_from_the_app_itself(web):
    from web_helpers import login

    login(web.client, "city")
    page = web.client.get("/").text
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert scripts and all(s.startswith("/static/") for s in scripts)
    for s in scripts:
        assert web.client.get(s).status_code == 200
