"""The synth error: bad arguments (years, scale, fault kinds or rates)."""

from industry_brain.errors import BrainError


class SynthError(BrainError, ValueError):
    """An argument of generate_population or write_city is not usable; the message says why."""

    code, title, status = "synth_invalid", "合成数据参数有误", 422
