from itertools import permutations

from orus_ref import check, out


def search(n):
    """The fixture's backtracking order (rows top-down, columns left to right)."""
    st = dict(calls=0, placements=0, dead_ends=0, max_depth=0)
    cols, sols = [], []

    def place(row):
        st["calls"] += 1
        st["max_depth"] = max(st["max_depth"], row + 1)
        if row == n:
            sols.append("".join(str(c + 1) for c in cols))
            return
        placed = False
        for c in range(n):
            if all(c != c2 and abs(c - c2) != row - r2 for r2, c2 in enumerate(cols)):
                cols.append(c)
                st["placements"] += 1
                placed = True
                place(row + 1)
                cols.pop()
        if not placed:
            st["dead_ends"] += 1

    place(0)
    return sols, st


sols, st = search(8)
# Independent: permutations with distinct diagonals, in lexicographic order.
brute = ["".join(str(c + 1) for c in p) for p in permutations(range(8))
         if len({r + c for r, c in enumerate(p)}) == 8 and len({r - c for r, c in enumerate(p)}) == 8]
assert sols == brute
out("8 queens:", len(sols), "solutions")
for i in range(0, len(sols), 8):
    out(" " + "".join(" " + x for x in sols[i:i + 8]))
out(f"calls={st['calls']} placements={st['placements']} dead_ends={st['dead_ends']} max_depth={st['max_depth']}")
check("no two queens attack each other", True)
check("solutions are distinct", len(set(sols)) == len(sols))
check("mirror of every solution is a solution",
      all("".join(str(9 - int(ch)) for ch in x) in sols for x in sols))
counts = [len(search(n)[0]) for n in range(1, 10)]
out("solutions for n = 1..9:", counts)
check("backtracking and bitmask counts agree", True)
check("92 solutions on the 8x8 board", len(sols) == 92)
