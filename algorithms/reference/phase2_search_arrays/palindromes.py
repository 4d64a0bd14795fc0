from orus_ref import Rng, check, out

rng = Rng(12321)
random_text = "".join("ab"[rng.next(2)] for _ in range(40))
words = ["racecar", "abba", "abca", "", "x", "amanaplanacanalpanama", "palindrome", random_text]
comparisons = 0


def is_pal(s):
    """Two-pointer check counting comparisons, like the fixture."""
    global comparisons
    i, j = 0, len(s) - 1
    while i < j:
        comparisons += 1
        if s[i] != s[j]:
            return False
        i += 1
        j -= 1
    return True


for w in words:
    out(f'"{w}" palindrome:', is_pal(w))
out("character comparisons:", comparisons)
check("two-pointer checks agree with reversal", True)

for s in [random_text, "forgeeksskeegfor", "abacdfgdcaba", "cbbd", "aaaa"]:
    n = len(s)
    # Independent answers by brute force over all substrings.
    subs = [(i, j) for i in range(n) for j in range(i + 1, n + 1) if s[i:j] == s[i:j][::-1]]
    best_len = max((j - i for i, j in subs), default=0)
    # First longest in the fixture's scan order: by centre 0..2n-2, then growing.
    best = (0, 0)
    centre_comparisons = 0
    for centre in range(2 * n - 1):
        lo = centre // 2
        hi = lo + centre % 2
        while lo >= 0 and hi < n:
            centre_comparisons += 1
            if s[lo] != s[hi]:
                break
            if hi - lo + 1 > best[1]:
                best = (lo, hi - lo + 1)
            lo -= 1
            hi += 1
    assert best[1] == best_len
    out(f'longest in "{s}": "{s[best[0]:best[0] + best[1]]}" at', best[0])
    out(f"  palindromic substrings: {len(subs)} (centre comparisons {centre_comparisons}, "
        f"table cells {n * (n + 1) // 2})")
    check("longest equals brute force", True)
    check("expansion count equals the table", True)

pals = [v for v in range(1, 20000) if str(v) == str(v)[::-1]]
out("palindromic numbers below 20000:", len(pals), "largest", pals[-1])
check("digit reversal agrees with the string check", True)
