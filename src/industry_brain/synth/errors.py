"""The synth error: bad arguments (years, scale, fault kinds or rates)."""


class SynthError(ValueError):
    """An argument of generate_population or write_city is not usable; the message says why."""
