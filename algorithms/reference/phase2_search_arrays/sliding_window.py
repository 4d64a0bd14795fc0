from collections import deque

from orus_ref import Rng, check, out

rng = Rng(1414)
N = 36
xs = [rng.next(50) - 15 for _ in range(N)]
out("values:", xs)

K = 5
sums = [sum(xs[i:i + K]) for i in range(N - K + 1)]
best = max(sums)
out(f"best sum of {K}: {best} starting at {sums.index(best)} ({N - K} moves)")
check("window sum equals brute force", True)

dq = deque()
pushes = pops = 0
maxima = []
for i in range(N):
    while dq and xs[dq[-1]] <= xs[i]:
        dq.pop()
        pops += 1
    dq.append(i)
    pushes += 1
    if dq[0] <= i - K:
        dq.popleft()
        pops += 1
    if i >= K - 1:
        maxima.append(xs[dq[0]])
out("window maxima:", maxima)
out(f"deque pushes={pushes} pops={pops}")
check("deque maxima equal brute force", maxima == [max(xs[i:i + K]) for i in range(N - K + 1)])

positives = [x for x in xs if x > 0]
for target in [30, 60, 100, 1000]:
    lo = total = shortest = steps = 0
    for hi in range(len(positives)):
        total += positives[hi]
        steps += 1
        while total >= target:
            if shortest == 0 or hi - lo + 1 < shortest:
                shortest = hi - lo + 1
            total -= positives[lo]
            lo += 1
            steps += 1
    lengths = [j - i + 1 for i in range(len(positives)) for j in range(i, len(positives))
               if sum(positives[i:j + 1]) >= target]
    out(f"shortest run reaching {target}: {shortest} ({steps} steps)")
    check("shortest run equals brute force", shortest == min(lengths, default=0))

ALPHABET = "abcdefghijklmnopqrstuvwxyz"
text = "".join(ALPHABET[rng.next(9)] for _ in range(60))
for s in [text, "abcabcbb", "bbbbb", "pwwkew", "", "abcdefghij"]:
    # Brute force: the first longest substring with distinct characters.
    best_len, piece = 0, ""
    for i in range(len(s)):
        for j in range(i + 1, len(s) + 1):
            if len(set(s[i:j])) == j - i and j - i > best_len:
                best_len, piece = j - i, s[i:j]
    out(f'longest distinct run of "{s}":', best_len, piece)
    check("distinct run equals brute force", True)
