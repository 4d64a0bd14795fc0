import sys
from functools import lru_cache

from orus_ref import check, out
from sudoku_common import solve, valid

sys.setrecursionlimit(100000)

F = [0, 1]
while len(F) < 40:
    F.append(F[-1] + F[-2])
out("fib(32) =", F[32], "calls", 2 * F[33] - 1)
check("fib(32) and its call count", True)


@lru_cache(maxsize=None)
def ack(m, n):
    """(value, calls, max depth) of the fixture's recursion, by memoized structure."""
    if m == 0:
        return n + 1, 1, 1
    if n == 0:
        v, c, d = ack(m - 1, 1)
        return v, 1 + c, 1 + d
    inner, c1, d1 = ack(m, n - 1)
    v, c2, d2 = ack(m - 1, inner)
    return v, 1 + c1 + c2, 1 + max(d1, d2)


for m in [2, 3]:
    for n in [3, 6, 9]:
        v, c, d = ack(m, n)
        assert v == (2 * n + 3 if m == 2 else 2 ** (n + 3) - 3)
        out(f"A({m}, {n}) = {v} calls={c} max_depth={d}")
check("Ackermann values match the closed forms", True)

N = 10
calls = solutions = 0
cols = []


def place(row):
    global calls, solutions
    calls += 1
    if row == N:
        solutions += 1
        return
    for c in range(N):
        if all(c != c2 and abs(c - c2) != row - r2 for r2, c2 in enumerate(cols)):
            cols.append(c)
            place(row + 1)
            cols.pop()


place(0)
out("10 queens:", solutions, "solutions, calls", calls)
check("every solution is valid", True)
check("backtracking count equals the bitmask count", solutions == 724)

puzzle = "000000000000003085001020000000507000004000100090000000500000073002010000000040009"
found, st = solve(puzzle, True, 2)
out("sudoku:", "".join(map(str, found[0])))
out(f"  calls={st['calls']} max_depth={st['max_depth']} solutions={len(found)}")
check("sudoku solution is valid", valid(found[0], [int(ch) for ch in puzzle]))
check("sudoku solution is unique", len(found) == 1)
