"""A frozen, settable clock for the contract harness (imported by sitecustomize.py).

SkyPilot reads the time through `time.time()` (database timestamps, durations on the controller) and
`pendulum.now()` (the "2 hrs ago" texts). Both are pinned so a scenario prints the same text on every run.
"""
import os
import time as _time

_now = float(os.environ.get('SKYLOOP_CONTRACT_NOW', '0') or 0)


def now() -> float:
    return _now


def _pin_pendulum() -> None:
    # pendulum's own time travel needs an optional extra; its clock is one classmethod.
    import pendulum  # pylint: disable=import-outside-toplevel

    def frozen_now(cls, tz=None):
        del cls
        return pendulum.from_timestamp(_now, tz='UTC' if tz in (None, 'local') else tz)

    pendulum.DateTime.now = classmethod(frozen_now)


def set_now(t: float) -> None:
    global _now  # pylint: disable=global-statement
    _now = float(t)


_real_time = _time.time


def install() -> None:
    _time.time = lambda: _now or _real_time()
    _time.time_ns = lambda: int((_now or _real_time()) * 1e9)
    try:
        _pin_pendulum()
    except ImportError:
        pass
