"""Sudoku helpers shared by the phase-3 references."""


def parse(text):
    return [int(ch) if ch in "123456789" else 0 for ch in text]


def valid(grid, clues):
    units = [[r * 9 + c for c in range(9)] for r in range(9)]
    units += [[r * 9 + c for r in range(9)] for c in range(9)]
    units += [[(b // 3) * 27 + (b % 3) * 3 + (k // 3) * 9 + k % 3 for k in range(9)] for b in range(9)]
    return (all(sorted(grid[i] for i in u) == list(range(1, 10)) for u in units)
            and all(c == 0 or c == g for c, g in zip(clues, grid)))


def show(grid):
    return ["  " + " ".join("".join(str(v) for v in grid[r * 9 + c:r * 9 + c + 3]) for c in (0, 3, 6))
            for r in range(9)]


def box_of(cell):
    return (cell // 27) * 3 + (cell % 9) // 3


PEERS = [sorted({(cell // 9) * 9 + k for k in range(9)} | {k * 9 + cell % 9 for k in range(9)}
                | {i for i in range(81) if box_of(i) == box_of(cell)})
         for cell in range(81)]


def candidates(grid, cell):
    """Digits 1..9 (ascending) not used in the cell's row, column or box."""
    used = {grid[i] for i in PEERS[cell]}
    return [v for v in range(1, 10) if v not in used]


def solve(text, mrv, limit):
    """Backtracking as in the fixtures: fewest candidates first (`mrv`) or row-major;
    stops once `limit` solutions are known. Returns (solutions, counters)."""
    grid = parse(text)
    st = dict(calls=0, guesses=0, dead_ends=0, max_depth=0, solutions=0)
    found = []

    def branch(options, cell, rec):
        for v in options:
            if len(found) >= limit:
                break
            grid[cell] = v
            st["guesses"] += 1
            rec()
            grid[cell] = 0

    def solve_mrv(depth):
        st["calls"] += 1
        st["max_depth"] = max(st["max_depth"], depth)
        empty = [c for c in range(81) if grid[c] == 0]
        if not empty:
            found.append(list(grid))
            return
        # First cell (row-major) with the fewest candidates.
        best = min(empty, key=lambda c: len(candidates(grid, c)))
        options = candidates(grid, best)
        if not options:
            st["dead_ends"] += 1
            return
        branch(options, best, lambda: solve_mrv(depth + 1))

    def solve_plain(start, depth):
        st["calls"] += 1
        st["max_depth"] = max(st["max_depth"], depth)
        cell = start
        while cell < 81 and grid[cell] != 0:
            cell += 1
        if cell == 81:
            found.append(list(grid))
            return
        options = candidates(grid, cell)
        if not options:
            st["dead_ends"] += 1
        branch(options, cell, lambda: solve_plain(cell + 1, depth + 1))

    if mrv:
        solve_mrv(1)
    else:
        solve_plain(0, 1)
    st["solutions"] = len(found)
    return found, st
