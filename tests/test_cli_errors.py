"""A BrainError, whichever command raises it, is answered in one place (cli/errors.py): a red
Chinese line with its code and exit 2, or the error as JSON with --json."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from industry_brain.cli import app

runner = CliRunner()


def test_an_error_is_one_chinese_line_with_its_code(tmp_path):
    args = ["evaluate", "permu", "--spec", "no-such-method", "--year", "2022", "-w", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stdout == ""
    line = result.stderr.strip()
    assert line.startswith(
        "错误 [unknown_method]：没有这个评价方法：unknown method 'no-such-method'"
    )
    assert "\n" not in line and "Traceback" not in result.output


def test_with_json_the_error_is_json_on_stdout(tmp_path):
    args = ["monitor", "--plan", "no-such-plan", "--year", "2022", "-w", str(tmp_path), "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stderr == ""
    error = json.loads(result.stdout)["error"]
    assert (error["code"], error["status"], error["title"]) == ("unknown_plan", 404, "没有这个规划")
    assert error["detail"].startswith("unknown plan 'no-such-plan'")
    assert error["message"] == f"没有这个规划：{error['detail']}"


def test_a_bad_setting_is_said_the_same_way(tmp_path, monkeypatch):
    monkeypatch.setenv("INDUSTRY_BRAIN_NO_SUCH_SETTING", "1")
    result = runner.invoke(app, ["status", "-w", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "错误 [settings_invalid]：配置有误：unknown environment variable"
    )


def test_a_subgroup_command_is_answered_too(tmp_path):
    result = runner.invoke(
        app,
        [
            "appeal",
            "add",
            "X",
            "--year",
            "2022",
            "--reason",
            "r",
            "--author",
            "a",
            "-w",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("错误 [override_invalid]：复核更正有误：")


def test_beside_a_server_the_bridge_says_it_the_same_way(workspace):
    from fastapi.testclient import TestClient

    from industry_brain.web.app import create_app

    app = create_app(workspace)
    app.state.bridge_token = "t" * 43
    with TestClient(app, client=("127.0.0.1", 50000)) as http:
        response = http.post(
            "/api/cli/whatif",
            headers={"X-Workspace-Token": "t" * 43},
            json={"spec": "no-such-method", "run": 1},
        )
    refused = response.json()["refused"]
    assert refused["exit_code"] == 2
    assert refused["message"] == "错误 [run_refused]：评价未能运行：no run 1"  # as said directly
