#!/usr/bin/env python3
"""Scaling probe: finds compiler and VM paths that are super-linear in one dimension.

The fuzzers' inputs are a few KiB and the program generator caps statements and depth, so
a quadratic lookup or an exponential re-check never shows up there. This script builds
each construct below at size N and at 4N, runs `orus` on both, and reports:

* a crash (exit status other than 0, 65 or 70, or a signal),
* a run past the time limit,
* growth: the 4N run taking more than SLOWDOWN times the N run (linear work takes ~4x).

Usage: python3 fuzz/scaling.py [--orus target/release/orus] [--n 2000] [--only NAME]
Exit status 1 when something was reported. Not part of CI (it takes about a minute).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

SLOWDOWN = 10.0
TIME_LIMIT = 30.0


def nested(n, open_line, inner):
    """`n` nested blocks, each opened by open_line(i), around `inner`."""
    lines = [("    " * i) + open_line(i) for i in range(n)]
    lines.append("    " * n + inner)
    return "\n".join(lines) + "\n"


# Each construct maps a size to a program. Sizes stay below the parser's nesting limit
# (256) where the construct nests.
CONSTRUCTS = {
    "globals": lambda n: "".join(f"g{i} = {i}\n" for i in range(n)) + f"print(g{n - 1})\n",
    "functions": lambda n: "".join(
        f"fn q{i}(a: i32) -> i32:\n    return a + {i}\n" for i in range(n)
    ) + f"print(q{n - 1}(1))\n",
    "forward_calls": lambda n: "".join(f"print(q{i}())\n" for i in range(n)) + "".join(
        f"fn q{i}() -> i32:\n    return {i}\n" for i in range(n)
    ),
    "call_chain": lambda n: "LIMIT = 1\n" + "".join(
        f"fn q{i}() -> i32:\n    return q{i + 1}()\n" for i in range(n)
    ) + f"fn q{n}() -> i32:\n    return LIMIT\nprint(q0())\n",
    "locals": lambda n: "fn f() -> i32:\n" + "".join(f"    v{i} = {i}\n" for i in range(n))
    + f"    return v{n - 1}\nprint(f())\n",
    "statements": lambda n: "mut x = 0\n" + "".join(f"x = x + {i % 7}\n" for i in range(n))
    + "print(x)\n",
    "elif_chain": lambda n: "x = 3\nif x == 0:\n    print(0)\n" + "".join(
        f"elif x == {i}:\n    print({i})\n" for i in range(1, n)
    ),
    "match_int_arms": lambda n: "x = 3\nr = match x:\n" + "".join(
        f"    {i} -> {i}\n" for i in range(n)
    ) + "    _ -> 0\nprint(r)\n",
    "enum_variants_match": lambda n: "enum E:\n" + "".join(f"    V{i}\n" for i in range(n))
    + "e = E.V1\nr = match e:\n" + "".join(f"    E.V{i} -> {i}\n" for i in range(n))
    + "print(r)\n",
    "struct_fields": lambda n: "struct S:\n" + "".join(f"    x{i}: i32 = {i}\n" for i in range(n))
    + "s = S{x0: 5}\nt = S{" + ", ".join(f"x{i}: {i}" for i in range(n)) + "}\n"
    + f"print(s.x{n - 1} + t.x0)\n",
    "methods": lambda n: "struct S:\n    x: i32\nimpl S:\n" + "".join(
        f"    fn m{i}(self) -> i32:\n        return self.x + {i}\n" for i in range(n)
    ) + "s = S{x: 1}\nmut t = 0\n" + "".join(f"t += s.m{i}()\n" for i in range(n))
    + "print(t)\n",
    "array_literal": lambda n: "x = [" + ", ".join(str(i) for i in range(n)) + "]\nprint(len(x))\n",
    "string_literals": lambda n: "".join(f's{i} = "text {i}"\n' for i in range(n))
    + f"print(s{n - 1})\n",
    "concat_chain": lambda n: "n = 1\ns = " + " + ".join(
        '"a"' if i % 2 else "(n as string)" for i in range(min(n, 240))
    ) + "\nprint(len(s))\n",
    "generic_instances": lambda n: "fn id(x):\n    return x\n" + "".join(
        f"print(len(id({'[' * (i % 40 + 1)}1{']' * (i % 40 + 1)})))\n" for i in range(n)
    ),
    "closures": lambda n: "fn f() -> i32:\n    base = 1\n" + "".join(
        f"    c{i} = fn() -> i32:\n        return base + {i}\n" for i in range(n)
    ) + f"    return c{n - 1}()\nprint(f())\n",
    "captures": lambda n: "fn f() -> i32:\n" + "".join(f"    v{i} = {i}\n" for i in range(n))
    + "    c = fn() -> i32:\n        return " + " + ".join(f"v{i}" for i in range(0, n, max(1, n // 200)))
    + "\n    return c()\nprint(f())\n",
    "print_args": lambda n: "x = 1\nprint(" + ", ".join("x" for _ in range(n)) + ")\n",
    "call_args": lambda n: "fn f(" + ", ".join(f"a{i}: i32" for i in range(n)) + ") -> i32:\n"
    f"    return a{n - 1}\nprint(f(" + ", ".join(str(i) for i in range(n)) + "))\n",
    "match_string_arms": lambda n: 's = "k3"\nr = match s:\n' + "".join(
        f'    "k{i}" -> {i}\n' for i in range(n)
    ) + "    _ -> 0\nprint(r)\n",
    "try_blocks": lambda n: "mut k = 0\n" + "".join(
        f'try:\n    k += 1\n    if k == {i + 1}:\n        throw "t"\ncatch e:\n    k += 0\n'
        for i in range(n)
    ) + "print(k)\n",
    "run_recursion_limit": lambda n: "fn down(k: i32) -> i32:\n    if k == 0:\n        return 0\n"
    "    return down(k - 1) + 1\nmut t = 0\n"
    f"for i in 0..{n // 100 + 1}:\n    try:\n        t += down(20000)\n    catch e:\n        t += 1\n"
    "print(t)\n",
    "run_live_structs": lambda n: "struct P:\n    x: i32\n    y: [i32]\nps: [P] = []\n"
    f"for i in 0..{n * 20}:\n    push(ps, P{{x: i, y: [i]}})\nprint(len(ps))\n",
    # Nesting dimensions: fixed at sizes below the limit, n / 4 and n.
    "nested_arrays": lambda n: "x = " + "[" * min(n // 8, 250) + "1" + "]" * min(n // 8, 250)
    + "\nprint(len(x))\n",
    "nested_ifs": lambda n: nested(min(n // 8, 250), lambda i: "if true:", "print(1)"),
    "nested_parens": lambda n: "x = " + "(" * min(n // 8, 250) + "1" + ")" * min(n // 8, 250)
    + "\nprint(x)\n",
    # Run time: the VM on growing data.
    "run_string_building": lambda n: f"mut s = \"\"\nfor i in 0..{n * 20}:\n"
    "    s = s + (i as string) + \",\"\nprint(len(s))\n",
    "run_array_push": lambda n: f"xs: [i32] = []\nfor i in 0..{n * 50}:\n    push(xs, i)\n"
    "print(len(xs))\n",
    "run_enum_list": lambda n: "enum L:\n    Nil\n    Cons(i32, L)\nmut l = L.Nil\n"
    f"for i in 0..{n * 20}:\n    l = L.Cons(i, l)\nmut m = L.Nil\nfor i in 0..{n * 20}:\n"
    "    m = L.Cons(i, m)\nprint(l == m)\n",
}


def run(orus, source, directory):
    path = os.path.join(directory, "probe.orus")
    with open(path, "w") as f:
        f.write(source)
    start = time.monotonic()
    try:
        proc = subprocess.run([orus, path], capture_output=True, timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        return None, TIME_LIMIT, ""
    return proc.returncode, time.monotonic() - start, proc.stderr.decode(errors="replace")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orus", default="target/release/orus")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--only")
    args = parser.parse_args()
    problems = 0
    with tempfile.TemporaryDirectory() as directory:
        for name, make in CONSTRUCTS.items():
            if args.only and name != args.only:
                continue
            results = []
            for n in (args.n, 4 * args.n):
                results.append(run(args.orus, make(n), directory))
            (rc1, t1, err1), (rc4, t4, err4) = results
            verdict = "ok"
            for rc, err in ((rc1, err1), (rc4, err4)):
                if rc is None:
                    verdict = f"TIMEOUT (> {TIME_LIMIT:.0f} s)"
                elif rc not in (0, 65, 70):
                    verdict = f"CRASH (exit {rc}): {err.strip().splitlines()[-1:] }"
            growth = t4 / max(t1, 0.005)
            if verdict == "ok" and t4 > 0.2 and growth > SLOWDOWN:
                verdict = f"SUPER-LINEAR ({growth:.1f}x for 4x the size)"
            if verdict != "ok":
                problems += 1
            print(f"{name:24} n={args.n:<6} {t1 * 1000:8.1f} ms   4n {t4 * 1000:8.1f} ms"
                  f"   exit {rc1},{rc4}   {verdict}")
    print(f"scaling: {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
