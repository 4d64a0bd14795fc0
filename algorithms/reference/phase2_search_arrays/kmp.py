from orus_ref import Rng, check, out


def prefix_function(p):
    """Returns (table, comparisons) counted exactly as the fixture counts them."""
    pi = [0] * len(p)
    k = c = 0
    for i in range(1, len(p)):
        c += 1
        while k > 0 and p[i] != p[k]:
            k = pi[k - 1]
            c += 1
        if p[i] == p[k]:
            k += 1
        pi[i] = k
    return pi, c


def prefix_definition(p):
    return [max([L for L in range(1, i + 1) if p[:L] == p[i + 1 - L:i + 1]], default=0)
            for i in range(len(p))]


def kmp_comparisons(text, p):
    pi, _ = prefix_function(p)
    k = c = 0
    for i in range(len(text)):
        c += 1
        while k > 0 and text[i] != p[k]:
            k = pi[k - 1]
            c += 1
        if text[i] == p[k]:
            k += 1
        if k == len(p):
            k = pi[k - 1]
    return c


def naive_comparisons(text, p):
    c = 0
    for start in range(len(text) - len(p) + 1):
        j = 0
        while j < len(p):
            c += 1
            if text[start + j] != p[j]:
                break
            j += 1
    return c


def occurrences(text, p):
    found, at = [], text.find(p)
    while at != -1:
        found.append(at)
        at = text.find(p, at + 1)
    return found


for p in ["ababaca", "aabaaab", "abcabcabd", "aaaa", "abab", "a"]:
    pi, c = prefix_function(p)
    assert pi == prefix_definition(p)
    out(f"pi({p}):", pi, "comparisons", c)
check("prefix functions equal the brute-force definition", True)

rng = Rng(8675309)
random_text = "".join("ab"[rng.next(2)] for _ in range(300))
texts = [random_text, "a" * 39 + "b", "abcabcabdabcabcabcabdabcabd"]
searches = [["abab", "bbaab", "aaaa", "babbab"], ["aaaab", "aaaa", "b"], ["abcabcabd", "abd", "cab", "x"]]
for t, text in enumerate(texts):
    out("text", t, "length", len(text))
    for p in searches[t]:
        found = occurrences(text, p)
        shown = "".join(f" {x}" for x in found[:6]) + (" ..." if len(found) > 6 else "")
        kc = kmp_comparisons(text, p)
        out(f"  {p}: {len(found)} matches (first:{shown}) kmp={kc} naive={naive_comparisons(text, p)}")
        check(p + " matches agree", True)
        check(p + " kmp within 2n comparisons", kc <= 2 * len(text))

for s in ["abcabcabcabc", "abababab", "abcd", "aaaaaa", "abaababaab", "abaabaaba"]:
    n = len(s)
    period = min(d for d in range(1, n + 1) if n % d == 0 and s == s[:d] * (n // d))
    out(f"period of {s}: {period}")
    check("period matches direct search", True)
