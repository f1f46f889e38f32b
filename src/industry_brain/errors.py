"""One error base for the platform: every error a user can meet is a `BrainError`.

A subclass declares, at class level:
- `code`: a stable machine name in short snake case (`run_refused`, `unknown_plan`, …), the
  same scheme as the web API's generic codes (`not_found`, `forbidden`, `invalid_request`);
  once published a code never changes meaning (clients and scripts match on it);
- `title`: what went wrong, in Chinese, for people;
- `status`: the HTTP status the web answers with (the CLI exits with `exit_code`, 2).

An instance carries the technical text (`detail`, English, `str(exc)`) for logs and `--json`,
optionally a Chinese `message` of its own, and optional structured `data`. `exc.message` is what
users read: the Chinese message, else the title followed by the detail. A class covering
situations with different statuses has a subclass per situation (e.g. `NotAllowed` under
`WorkflowError`).

The web maps a BrainError in one place (`web/errors.py`), the command line in another
(`cli/errors.py`). `python -m industry_brain.error_catalogue` prints the catalogue (docs/errors.md).
"""

from __future__ import annotations

from typing import Any

EXIT_CODE = 2  # the command line's exit status for a refused command


class BrainError(Exception):
    """Base of every platform error: stable `code`, Chinese `title`, HTTP `status`."""

    code: str = "error"
    title: str = "操作未能完成"
    status: int = 500
    exit_code: int = EXIT_CODE

    def __init__(self, detail: str = "", *, message: str | None = None, data: Any = None):
        super().__init__(detail or message or self.title)
        self.detail = detail or message or self.title
        self.data = data
        self._message = message

    def __str__(self) -> str:  # KeyError.__str__ (a second base of some) would repr() it
        return self.detail

    @property
    def message(self) -> str:
        """What users read, in Chinese."""
        if self._message:
            return self._message
        return self.title if self.detail == self.title else f"{self.title}：{self.detail}"

    def line(self) -> str:
        """The command line's one line for it: `错误 [code]：message`."""
        return f"错误 [{self.code}]：{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "code": self.code,
            "title": self.title,
            "message": self.message,
            "detail": self.detail,
            "data": self.data,
        }
