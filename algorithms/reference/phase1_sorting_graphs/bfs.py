from collections import deque

from orus_ref import Rng, check, out

ROWS, COLS = 10, 16
SEED = 5

rng = Rng(SEED)
open_ = [rng.next(100) >= 30 for _ in range(ROWS * COLS)]
start, goal = 0, ROWS * COLS - 1
open_[start] = open_[goal] = True


def neighbours(cell):
    r, c = divmod(cell, COLS)
    for dr, dc in ((-1, 0), (0, 1), (1, 0), (0, -1)):
        nr, nc = r + dr, c + dc
        if 0 <= nr < ROWS and 0 <= nc < COLS:
            yield nr * COLS + nc


st = dict(dequeued=0, enqueued=1, examined=0, peak_queue=0)
dist = [-1] * (ROWS * COLS)
parent = [-1] * (ROWS * COLS)
dist[start] = 0
queue = deque([start])
while queue:
    cell = queue.popleft()
    st["dequeued"] += 1
    for nxt in neighbours(cell):
        st["examined"] += 1
        if open_[nxt] and dist[nxt] == -1:
            dist[nxt] = dist[cell] + 1
            parent[nxt] = cell
            queue.append(nxt)
            st["enqueued"] += 1
            st["peak_queue"] = max(st["peak_queue"], len(queue))
out(f"grid {ROWS} x {COLS}, shortest path length", dist[goal])
out(" ".join(f"{k}={v}" for k, v in st.items()))

path = []
at = goal
while at != -1:
    path.append(at)
    at = parent[at]
for r in range(ROWS):
    out("".join("*" if r * COLS + c in path else "." if open_[r * COLS + c] else "#"
                for c in range(COLS)))
check("path has dist+1 cells", len(path) == dist[goal] + 1)
check("path ends at start", path[-1] == start)
check("path steps are open neighbours",
      all(open_[a] and open_[b] and b in neighbours(a) for a, b in zip(path, path[1:])))

# Independent: sweeps of relaxation until a fixed point, in cell order.
big = 1000000
ref = [big] * (ROWS * COLS)
ref[start] = 0
sweeps, changed = 0, True
while changed:
    changed = False
    sweeps += 1
    for cell in range(ROWS * COLS):
        if open_[cell]:
            for other in neighbours(cell):
                if ref[other] + 1 < ref[cell]:
                    ref[cell] = ref[other] + 1
                    changed = True
out("relaxation sweeps:", sweeps)
ref = [-1 if d == big else d for d in ref]
out("reachable cells:", sum(d != -1 for d in dist))
check("bfs distances equal relaxation distances", ref == dist)

N = 14
adj = [[] for _ in range(N)]
edges = 0
source = -1
for _ in range(18):
    u, v = rng.next(N), rng.next(N)
    if u != v:
        adj[u].append(v)
        adj[v].append(u)
        edges += 1
        if source == -1:
            source = u
level = [-1] * N
level[source] = 0
order = [source]
head = 0
while head < len(order):
    u = order[head]
    head += 1
    for v in adj[u]:
        if level[v] == -1:
            level[v] = level[u] + 1
            order.append(v)
out("graph edges:", edges, "source:", source)
out("visit order:", order)
out("levels:", level)
check("edges join levels at most one apart",
      all(level[u] == -1 or (level[v] != -1 and abs(level[u] - level[v]) <= 1)
          for u in range(N) for v in adj[u]))
check("every reached vertex has a neighbour one level up",
      all(level[u] <= 0 or any(level[v] == level[u] - 1 for v in adj[u]) for u in range(N)))
