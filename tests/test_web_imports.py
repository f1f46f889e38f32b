"""Importing in the browser: upload, guessed source, the report with filters and its Excel,
load (who, when, rows, hash on the batch page) or cancel."""

import re

import fastexcel
import pytest

from industry_brain.web.users import add_user
from web_helpers import follow, login, upload, wait_job

from helpers import STAT_HEADER, make_uscc, stat_row, write_xlsx


@pytest.fixture
def client(city_client):
    return city_client


def test_upload_review_download_and_load(client, workspace, tmp_path):
    rows = [STAT_HEADER, stat_row(1, year=2022), stat_row(2, year=2022)]
    valid = make_uscc(serial=3)
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    rows.append(stat_row(3, year=2022, uscc=wrong))  # wrong check digit
    path = write_xlsx(tmp_path / "工业企业主要指标_2022.xlsx", rows)
    review = upload(client, path)
    assert review.status_code == 200 and "校验报告" in review.text
    assert "自动识别：工业企业主要指标" in review.text or "statistics" in review.text
    assert "R203" in review.text and "读入 3 行 = 可入库 2 + 拒收 1" in review.text
    assert "列映射：识别 10 列" in review.text and "年平均职工人数" in review.text
    assert '?code=R203">R203 × 1</a>' in review.text  # counts by code, each a filter
    assert "<td>R203</td>" in review.text
    token = re.search(r"/import/([0-9a-f]+)/0/errors.xlsx", review.text).group(1)
    filtered = client.get(f"/import/{token}?code=R999").text
    assert "<td>R203</td>" not in filtered
    book = client.get(f"/import/{token}/0/errors.xlsx")
    sheet = fastexcel.read_excel(book.content).load_sheet(0).to_polars()
    assert sheet["错误代码"].to_list() == ["R203"] and sheet["行"].to_list() == [4]
    csrf = re.search(r'name="csrf" value="([^"]+)"', review.text).group(1)
    loaded = follow(client, client.post(f"/import/{token}/load", data={"csrf": csrf}))
    assert loaded.url.path == f"/import/{token}/result" and "已入库，批次 1" in loaded.text
    assert "读入 3 行 = 入库 2 + 拒收 1" in loaded.text and "未能入库" not in loaded.text
    batches = client.get("/batches").text
    assert "工业企业主要经济指标" in batches and "工业企业主要指标_2022.xlsx" in batches
    assert ">city<" in batches  # who loaded it
    assert client.get(f"/import/{token}").status_code == 404  # done
    assert not list(workspace.path.glob(f"uploads/{token}/**/*.xlsx"))  # the files are gone


def test_a_failed_load_says_what_failed(client, workspace, tmp_path):
    """Issue 12, finding 11: a file that cannot be loaded is named, with its file-level errors;
    the others are loaded."""
    good = write_xlsx(tmp_path / "good.xlsx", [STAT_HEADER, stat_row(1, year=2022)])
    headless = [h for h in STAT_HEADER if h != "统一社会信用代码"]
    bad = write_xlsx(tmp_path / "no_code.xlsx", [headless, stat_row(2, year=2022)[1:]])
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/import").text).group(1)
    files = [("files", (p.name, p.read_bytes())) for p in (good, bad)]
    form = {"csrf": token, "source": "statistics"}
    review = follow(client, client.post("/import", data=form, files=files))
    upload_token = re.search(r"/import/([0-9a-f]+)", review.url.path).group(1)
    done = follow(client, client.post(f"/import/{upload_token}/load", data={"csrf": token}))
    assert done.status_code == 200 and "2 个文件中有 1 个未能入库" in done.text
    assert (
        "no_code.xlsx" in done.text
        and "F103" in done.text
        and "与「工业企业主要经济指标」表头" in done.text
        and "已入库，批次 1" in done.text
    )
    assert workspace.con.table("batch").count().to_pyarrow().as_py() == 1


def test_cancel_loads_nothing(client, workspace, tmp_path):
    path = write_xlsx(tmp_path / "stats.xlsx", [STAT_HEADER, stat_row(1, year=2022)])
    review = upload(client, path, source="statistics")
    token = re.search(r"/import/([0-9a-f]+)", review.url.path).group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', review.text).group(1)
    assert client.post(f"/import/{token}/cancel", data={"csrf": csrf}).status_code == 200
    assert workspace.con.table("batch").count().to_pyarrow().as_py() == 0
    assert not (workspace.path / "uploads" / token).exists()


def test_a_saved_mapping_makes_a_new_header_variant_load(client, workspace, tmp_path):
    variant = ["销售收入（万元）" if h == "营业收入（万元）" else h for h in STAT_HEADER]
    assert variant != STAT_HEADER
    rows = [variant, stat_row(1, year=2022), stat_row(2, year=2022)]
    first = write_xlsx(tmp_path / "stats_variant.xlsx", rows)
    review = upload(client, first, source="statistics")
    assert "F104" in review.text and "销售收入（万元）" in review.text
    token = re.search(r"/import/([0-9a-f]+)", review.url.path).group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', review.text).group(1)
    form = {"csrf": csrf, "source": "statistics", "header": "销售收入（万元）"}
    again = follow(
        client, client.post(f"/import/{token}/mapping", data=form | {"field": "revenue"})
    )
    assert "可以入库" in again.text and "F104" not in again.text
    client.post(f"/import/{token}/cancel", data={"csrf": csrf})
    # The next file of that variant loads without errors, with no code change.
    second = write_xlsx(tmp_path / "stats_variant_2.xlsx", [variant, stat_row(3, year=2022)])
    review = upload(client, second, source="statistics")
    assert "可以入库" in review.text and not re.search(r"<td>F\d{3}</td>", review.text)
    assert "销售收入（万元）" in client.get("/import").text  # listed with the saved mappings
    mapped = workspace.con.table("header_mapping").to_pyarrow().to_pylist()
    assert [(m["header"], m["field"], m["created_by"]) for m in mapped] == [
        ("销售收入（万元）", "revenue", "city")
    ]


def test_a_wrong_guess_is_corrected_by_choosing_the_source(client, tmp_path):
    path = write_xlsx(tmp_path / "stats.xlsx", [STAT_HEADER, stat_row(1, year=2022)])
    review = upload(client, path, source="tax")  # the analyst picked the wrong source
    assert "不能入库" in review.text
    token = re.search(r"/import/([0-9a-f]+)", review.url.path).group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', review.text).group(1)
    form = {"csrf": csrf, "source": "statistics", "year": "2022"}
    again = follow(client, client.post(f"/import/{token}/0/source", data=form))
    assert "可以入库" in again.text and "按「工业企业主要经济指标」校验" in again.text
    assert (
        client.post(f"/import/{token}/5/source", data={"csrf": csrf, "source": "tax"}).status_code
        == 404
    )


def test_a_county_loads_only_its_own_enterprises(client, workspace, tmp_path):
    add_user(workspace.con, "huangyan", "correct horse battery", "county", "331003")
    login(client, "huangyan")
    rows = [STAT_HEADER, *(stat_row(i, year=2022) for i in range(1, 6))]
    rows.append(stat_row(6, year=2022, uscc=make_uscc("331004", 6), region="331004"))
    review = upload(client, write_xlsx(tmp_path / "stats.xlsx", rows), source="statistics")
    assert "R216" in review.text and "读入 6 行 = 可入库 5 + 拒收 1" in review.text
    assert "保存映射并重新校验" not in review.text  # mappings are saved at city level
    token = re.search(r"/import/([0-9a-f]+)", review.url.path).group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', review.text).group(1)
    form = {"csrf": csrf, "source": "statistics", "header": "x", "field": "employees"}
    assert client.post(f"/import/{token}/mapping", data=form).status_code == 403
    wait_job(client, client.post(f"/import/{token}/load", data={"csrf": csrf}))
    [batch] = workspace.con.table("batch").to_pyarrow().to_pylist()
    assert (batch["rows_loaded"], batch["rows_rejected"], batch["loaded_by"]) == (5, 1, "huangyan")
    ey = workspace.con.table("enterprise_year").to_polars()
    assert ey.height == 5 and all(u[2:8] == "331003" for u in ey["uscc"])


def test_the_error_report_is_named_for_the_file(client, tmp_path):
    rows = [STAT_HEADER, stat_row(1, year=2022), stat_row(2, year=2022, uscc="bad")]
    review = upload(client, write_xlsx(tmp_path / "统计_2022.xlsx", rows), source="statistics")
    token = re.search(r"/import/([0-9a-f]+)", review.url.path).group(1)
    book = client.get(f"/import/{token}/0/errors.xlsx")
    assert (
        "filename*=UTF-8''%E6%A0%A1%E9%AA%8C%E9%97%AE%E9%A2%98_%E7%BB%9F%E8%AE%A1_2022.xlsx"
        in (book.headers["content-disposition"])
    )
    assert client.get(f"/import/{token}/3/errors.xlsx").status_code == 404


def test_a_file_over_the_limit_is_refused(client, workspace, tmp_path, monkeypatch):
    monkeypatch.setitem(workspace.settings, "max_upload_mb", 0.001)
    rows = [STAT_HEADER, *(stat_row(i, year=2022) for i in range(1, 200))]
    response = upload(client, write_xlsx(tmp_path / "big.xlsx", rows), source="statistics")
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
    assert "big.xlsx" in response.json()["error"]["message"]
    assert not list((workspace.path / "uploads").iterdir())  # nothing left behind
