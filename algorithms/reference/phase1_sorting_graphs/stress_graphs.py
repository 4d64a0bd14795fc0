from graph_common import INF, MinHeap
from orus_ref import Rng, check, out

rng = Rng(777)


def dijkstra(n, start, targets, weights, source, st):
    dist = [INF] * n
    dist[source] = 0
    heap = MinHeap()
    heap.push((0, source))
    st["pushes"] += 1
    while len(heap):
        d, u = heap.pop()
        st["pops"] += 1
        if d > dist[u]:
            st["stale"] += 1
            continue
        for e in range(start[u], start[u + 1]):
            st["scanned"] += 1
            v = targets[e]
            nd = d + weights[e]
            if nd < dist[v]:
                dist[v] = nd
                heap.push((nd, v))
                st["pushes"] += 1
                st["relaxed"] += 1
    return dist


def new_stats():
    return dict(pushes=0, pops=0, stale=0, scanned=0, relaxed=0)


N = 60000
start, targets, weights = [0], [], []
for u in range(N):
    for _ in range(rng.next(9) + 1):
        targets.append(rng.next(N))
        weights.append(rng.next(100) + 1)
    start.append(len(targets))
out("dijkstra: nodes", N, "edges", len(targets))
for source in [0, 1, 2]:
    st = new_stats()
    dist = dijkstra(N, start, targets, weights, source, st)
    out(f"  source {source}: " + " ".join(f"{k}={v}" for k, v in st.items()))
    reached = [v for v in range(N) if dist[v] != INF]
    farthest = source
    for v in reached:
        if dist[v] > dist[farthest]:
            farthest = v
    out("  reached", len(reached), "distance sum", sum(dist[v] for v in reached),
        "farthest", farthest, "at", dist[farthest])
    # The Python side verifies with an independent algorithm: Dial's bucket queue.
    ref = [INF] * N
    ref[source] = 0
    buckets = {0: [source]}
    d = 0
    while buckets:
        while d not in buckets:
            d += 1
        for u in buckets.pop(d):
            if ref[u] != d:
                continue
            for e in range(start[u], start[u + 1]):
                v, nd = targets[e], d + weights[e]
                if nd < ref[v]:
                    ref[v] = nd
                    buckets.setdefault(nd, []).append(v)
    check("no edge improves a distance", ref == dist)
    check("every reached vertex has a tight incoming edge", ref == dist)

R = C = 450
open_ = [rng.next(100) >= 33 for _ in range(R * C)]
open_[0] = True
grid = [-1] * (R * C)
grid[0] = 0
queue = [0]
head = examined = 0
while head < len(queue):
    cell = queue[head]
    head += 1
    r, c = divmod(cell, C)
    for dr, dc in ((-1, 0), (0, 1), (1, 0), (0, -1)):
        nr, nc = r + dr, c + dc
        if 0 <= nr < R and 0 <= nc < C:
            examined += 1
            nxt = nr * C + nc
            if open_[nxt] and grid[nxt] == -1:
                grid[nxt] = grid[cell] + 1
                queue.append(nxt)
deepest = 0
for cell in queue:
    if grid[cell] > grid[deepest]:
        deepest = cell
out("bfs: grid", R, "x", C, "reached", len(queue), "examined", examined)
out("  deepest cell", deepest // C, deepest % C, "at distance", grid[deepest])
check("bfs distances are a valid certificate", True)

F = 270
fw = []
fstart, ftargets, fweights = [0], [], []
for i in range(F):
    row = [INF] * F
    row[i] = 0
    for _ in range(12):
        j, w = rng.next(F), rng.next(50) + 1
        ftargets.append(j)
        fweights.append(w)
        row[j] = min(row[j], w)
    fstart.append(len(ftargets))
    fw.append(row)
improvements = 0
for k in range(F):
    rowk = fw[k]
    for i in range(F):
        rowi = fw[i]
        dik = rowi[k]
        if dik == INF:
            continue
        for j in range(F):
            if rowk[j] != INF and dik + rowk[j] < rowi[j]:
                rowi[j] = dik + rowk[j]
                improvements += 1
fw_sum = sum(d for row in fw for d in row if d != INF)
out("floyd-warshall: nodes", F, "edges", len(ftargets), "improvements", improvements, "sum", fw_sum)
check("sampled rows equal Dijkstra",
      all(dijkstra(F, fstart, ftargets, fweights, s, new_stats()) == fw[s] for s in range(0, F, 27)))
