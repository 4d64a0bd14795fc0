from orus_ref import check, out
from sudoku_common import parse, show, solve, valid


def report(name, st, grid, clues):
    out(f"  {name}: " + " ".join(f"{k}={v}" for k, v in st.items()))
    check(name + " solution is valid", valid(grid, clues))


puzzles = [
    "800000000003600000070090200050007000000045700000100030001000068008500010090000400",
    "000000010400000000020000000000050407008000300001090000300400200050100000000806000",
    "100007090030020008009600500005300900010080002600004000300000010040000007007000300",
]
for p, text in enumerate(puzzles):
    clues = parse(text)
    found, st = solve(text, True, 2)
    out("puzzle", p + 1)
    for line in show(found[0]):
        out(line)
    report("fewest candidates", st, found[0], clues)
    check("puzzle has a unique solution", len(found) == 1)
    if p == 0:
        found2, st2 = solve(text, False, 1)
        report("row-major", st2, found2[0], clues)
        check("both solvers find the same grid", found2[0] == found[0])
