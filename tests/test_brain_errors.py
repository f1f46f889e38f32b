"""The one error base (industry_brain/errors.py) and its catalogue, docs/errors.md. (The ingest
error catalogue is tested in test_errors.py.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from industry_brain.engines.permu.spec import MethodSpecError, UnknownMethod, load_method
from industry_brain.engines.progress.catalog import PlanError, UnknownPlan, load_plan
from industry_brain.error_catalogue import GENERATE, catalogue, error_classes, raised_in
from industry_brain.ingest.withdraw import NeedsConfirmation, WithdrawError
from industry_brain.reference import UnknownCodeError, regions
from industry_brain.runs.workflow import NotAllowed, WorkflowError
from industry_brain.web.errors import ApiError

PAGE = Path(__file__).parents[1] / "docs" / "errors.md"
NAMES = {  # the error classes before issue 13 made them one family (RunError: now RunRefused)
    "UserError", "ApiError", "TargetError", "MethodError", "PlanError", "MethodSpecError",
    "SettingsError", "UnknownCodeError", "MappingError", "SpecError", "WithdrawError",
    "AppealError", "StoredMethodError", "RunRefused", "WorkflowError", "OverrideError",
    "SynthError",
}  # fmt: skip
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_error_class_is_a_brain_error_with_its_own_code():
    classes = error_classes()
    assert {c.__name__ for c in classes} >= NAMES
    specific = [c for c in classes if not getattr(c, "generic", False)]
    codes = [c.code for c in specific]
    assert len(codes) == len(set(codes)), "a code names one class"
    for cls in specific:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", cls.code), cls
        assert HAN.search(cls.title), f"{cls.__name__}: the title is for people, in Chinese"
        assert 400 <= cls.status <= 599, cls


def test_the_catalogue_page_is_current():
    assert PAGE.read_text("utf-8") == catalogue(), f"docs/errors.md is stale: {GENERATE}"


def test_the_catalogue_is_printed_by_the_module():
    command = [sys.executable, "-m", "industry_brain.error_catalogue"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert done.stdout == catalogue() and "| `run_refused` | 评价未能运行 | 409 |" in done.stdout


def test_raised_in_finds_the_modules_that_raise_a_class():
    assert raised_in("UnknownPlan") == ["engines.progress.catalog"]
    assert raised_in("NoSuchErrorClass") == []


def test_message_is_chinese_and_detail_stays_technical():
    with pytest.raises(UnknownPlan) as raised:
        load_plan("no-such-plan")
    exc = raised.value
    assert isinstance(exc, PlanError) and isinstance(exc, ValueError)
    assert str(exc) == exc.detail and exc.detail.startswith("unknown plan 'no-such-plan'")
    assert exc.message == f"没有这个规划：{exc.detail}"
    assert (exc.code, exc.status) == ("unknown_plan", 404)
    body = exc.to_dict()
    assert body["title"] == "没有这个规划" and body["detail"] == exc.detail
    bare = WorkflowError()
    assert str(bare) == bare.message == "评价批次当前状态不允许此操作"
    own = WithdrawError("no batch 3", message="没有批次 3")
    assert own.message == "没有批次 3" and str(own) == "no batch 3"


def test_one_class_per_status_where_situations_differ():
    assert (NotAllowed.status, WorkflowError.status) == (403, 409)
    assert issubclass(NotAllowed, WorkflowError)
    with pytest.raises(UnknownMethod) as raised:
        load_method("no-such-method")
    assert isinstance(raised.value, MethodSpecError) and raised.value.status == 404
    assert MethodSpecError.status == 422


def test_earlier_bases_still_catch():
    with pytest.raises(KeyError, match="331083"):
        regions().get("331099")
    with pytest.raises(UnknownCodeError) as raised:
        regions().get("331099")
    assert raised.value.value == "331099" and raised.value.code == "unknown_code"
    assert str(raised.value).startswith("unknown region code")  # not KeyError's repr()


def test_needs_confirmation_carries_what_rests_on_the_batch():
    class Found:
        orphans, batches, runs = 2, [{"batch_id": 1, "rows": 5}], [7]

        def summary(self) -> str:
            return "2 户企业仅由本批次登记"

    exc = NeedsConfirmation(9, Found())  # type: ignore[arg-type]
    assert isinstance(exc, WithdrawError) and exc.code == "withdraw_needs_confirmation"
    assert exc.message == "2 户企业仅由本批次登记：确认后才能撤回"
    assert exc.data == {"orphans": 2, "batches": [{"batch_id": 1, "rows": 5}], "runs": [7]}


def test_a_route_refusal_takes_its_status_code_and_title():
    exc = ApiError(404, "no batch 3")
    assert (exc.status, exc.code, exc.title) == (404, "not_found", "未找到")
    assert exc.message == "未找到：no batch 3"
    assert ApiError(403, "x", "csrf_failed").code == "csrf_failed"
