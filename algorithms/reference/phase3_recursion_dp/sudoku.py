from orus_ref import check, out
from sudoku_common import candidates, parse, show, valid


def run(name, text):
    grid = parse(text)
    clues = list(grid)
    st = dict(calls=0, placements=0, dead_ends=0, max_depth=0)
    found = []

    def solve(start, depth):
        st["calls"] += 1
        st["max_depth"] = max(st["max_depth"], depth)
        cell = start
        while cell < 81 and grid[cell] != 0:
            cell += 1
        if cell == 81:
            found.append(list(grid))
            return
        placed = False
        for v in candidates(grid, cell):
            if len(found) >= 2:
                break
            grid[cell] = v
            st["placements"] += 1
            placed = True
            solve(cell + 1, depth + 1)
            grid[cell] = 0
        if not placed:
            st["dead_ends"] += 1

    solve(0, 1)
    out(name + f": {sum(v != 0 for v in clues)} clues")
    if found:
        for line in show(found[0]):
            out(line)
    else:
        out("  no solution")
    out("  " + " ".join(f"{k}={v}" for k, v in st.items()))
    out("  " + ("unsolvable" if not found else "unique" if len(found) == 1 else "several solutions"))
    if found:
        check(name + " rows, columns and boxes hold 1..9 and clues are kept", valid(found[0], clues))


run("easy", "530070000600195000098000060800060003400803001700020006060000280000419005000080079")
run("medium", "000260701680070090190004500820100040004602900050003028009300074040050036703018000")
run("empty grid", "0" * 81)
run("unsolvable", "516849732307605000809700065135060907472591006968370050253186074684207500791050608")
