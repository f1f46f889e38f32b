"""The password rule: at least 10 characters, not the user's name (nor containing it), not one
character repeated, not a run on the keyboard or the digits, and not among the passwords people
choose most (a list of common ones, English and Chinese pinyin, kept with the package). The
reason is said in Chinese."""

from __future__ import annotations

import functools
import re
from importlib import resources

MIN_LENGTH = 10
_RUNS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm",
         "1qaz2wsx3edc4rfv", "qazwsxedcrfv")  # fmt: skip


@functools.cache
def common() -> frozenset[str]:
    text = resources.files("industry_brain.web").joinpath("data/common_passwords.txt")
    lines = text.read_text("utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def _a_run(text: str) -> bool:
    """'1234567890', 'abcdefghij', 'qwertyuiop' and their reverses, or one block repeated."""
    low = text.lower()
    for run in _RUNS:
        if low in run * 3 or low in run[::-1] * 3:
            return True
    return any(low == low[:n] * (len(low) // n) + low[: len(low) % n] for n in range(1, 5))


def problem(password: str, username: str) -> str | None:
    """Why a password may not be used (in Chinese), or None when it may."""
    if len(password) < MIN_LENGTH:
        return f"密码至少需要 {MIN_LENGTH} 个字符"
    if not password.strip():
        return "密码不能全是空格"
    name = username.strip().lower()
    if name and name in password.lower():
        return "密码不能包含用户名"
    if _a_run(password):
        return "密码不能是重复或连续的字符（如 aaaaaaaaaa、1234567890、qwertyuiop）"
    if password.lower() in common() or re.sub(r"\d+$", "", password.lower()) in common():
        return "密码过于常见，请换一个不易猜到的密码"
    return None
