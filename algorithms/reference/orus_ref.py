"""Helpers shared by the reference programs: Orus print formatting and the fixtures' LCG.

Every `reference/<phase>/<name>.py` re-implements `fixtures/<phase>/<name>.orus` in plain
Python (same algorithm, same counters, same inputs) and prints what the Orus program must
print. Python integers do not wrap, so the programs keep every value inside i32/i64 range
the way the Orus programs do, and use `tdiv`/`tmod` where Orus' truncating division could
meet a negative operand.
"""

MOD31 = 2147483648


class Rng:
    """The fixtures' linear congruential generator (glibc constants, modulus 2^31)."""

    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        self.state = (self.state * 1103515245 + 12345) % MOD31
        return (self.state // 65536) % bound


def fmt(value):
    """A value as Orus `print` renders it (arrays without brackets, joined by ', ')."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(fmt(v) for v in value)
    return str(value)


def out(*args):
    """Orus `print(a, b, ...)` without `@` templates (no fixture prints an `@`)."""
    print(" ".join(fmt(a) for a in args))


def check(label, cond):
    out("ok" if cond else "FAILED", label)


def tdiv(a, b):
    """Integer division truncating toward zero, as in Orus."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def tmod(a, b):
    """Remainder with the sign of the dividend, as in Orus."""
    return a - tdiv(a, b) * b
