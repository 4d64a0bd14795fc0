"""The prelude shared by the phase-1 sorting references (mirrors the Orus prelude)."""

from orus_ref import Rng, check, out  # noqa: F401  (re-exported for the sort references)


def is_sorted(xs):
    return all(xs[i - 1] <= xs[i] for i in range(1, len(xs)))


def same_multiset(a, b):
    # Python's own sort: independent of every algorithm under test.
    return sorted(a) == sorted(b)


def make_input(kind, rng):
    if kind == "random":
        return [rng.next(1000) for _ in range(16)]
    if kind == "sorted":
        return [i * 5 for i in range(12)]
    if kind == "reversed":
        return [(12 - i) * 5 for i in range(12)]
    if kind == "duplicates":
        return [rng.next(4) for _ in range(20)]
    if kind == "negative":
        return [rng.next(1000) - 900 for _ in range(14)]
    if kind == "single":
        return [42]
    return []


KINDS = ["random", "sorted", "reversed", "duplicates", "negative", "single", "empty"]


def run_all(title, sort, counters, seed=2024):
    """Runs `sort(xs) -> stats dict` on each input; prints like the Orus driver loop."""
    out(title)
    rng = Rng(seed)
    for kind in KINDS:
        original = make_input(kind, rng)
        xs = list(original)
        st = sort(xs)
        out(kind + ":", xs)
        out("  " + " ".join(f"{c}={st[c]}" for c in counters))
        check(kind + " sorted", is_sorted(xs))
        check(kind + " permutation", same_multiset(original, xs))
