#!/usr/bin/env python3
"""Derives and checks the fixtures' expected output from the Python reference programs.

    python3 reference/check.py                 # compare each reference's output with .stdout
    python3 reference/check.py --write         # (re)write .stdout from the references
    python3 reference/check.py --orus BIN      # also run BIN on each fixture, compare, time it
    python3 reference/check.py [...] NAME      # only fixtures whose path contains NAME
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--orus")
    ap.add_argument("filter", nargs="*")
    args = ap.parse_args()
    failures = 0
    env = dict(os.environ, PYTHONPATH=HERE)
    for phase in sorted(os.listdir(FIXTURES)):
        for name in sorted(os.listdir(os.path.join(FIXTURES, phase))):
            if not name.endswith(".orus"):
                continue
            stem = name[:-5]
            rel = f"{phase}/{stem}"
            if args.filter and not any(f in rel for f in args.filter):
                continue
            ref = os.path.join(HERE, phase, stem + ".py")
            expected_path = os.path.join(FIXTURES, phase, stem + ".stdout")
            if not os.path.exists(ref):
                print(f"MISSING reference {rel}")
                failures += 1
                continue
            start = time.time()
            py = subprocess.run([sys.executable, ref], capture_output=True, text=True, env=env)
            py_time = time.time() - start
            if py.returncode != 0:
                print(f"ERROR   python {rel}\n{py.stderr}")
                failures += 1
                continue
            status = []
            if args.write:
                with open(expected_path, "w") as f:
                    f.write(py.stdout)
            else:
                try:
                    with open(expected_path) as f:
                        stored = f.read()
                except FileNotFoundError:
                    stored = None
                status.append("stored=" + ("same" if stored == py.stdout else "DIFFERENT"))
                failures += stored != py.stdout
            if "FAILED" in py.stdout:
                status.append("python-self-check=FAILED")
                failures += 1
            if args.orus:
                start = time.time()
                orus = subprocess.run([os.path.abspath(args.orus), name], capture_output=True,
                                      text=True, cwd=os.path.join(FIXTURES, phase))
                orus_time = time.time() - start
                same = orus.stdout == py.stdout and orus.returncode == 0
                status.append(f"orus={'same' if same else 'DIFFERENT'} ({orus_time:.2f}s)")
                failures += not same
                if not same:
                    import difflib
                    diff = difflib.unified_diff(py.stdout.splitlines(), orus.stdout.splitlines(),
                                                "python", "orus", lineterm="", n=1)
                    status.append("\n" + "\n".join(list(diff)[:30]) + "\n" + orus.stderr[:2000])
            print(f"{rel:50} python {py_time:6.2f}s  " + "  ".join(status))
    print("failures:", failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
