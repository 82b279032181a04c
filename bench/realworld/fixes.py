#!/usr/bin/env python3
"""How the fixes fare on real code: for each benchmark project (flags mode),
how many `SELECT *` and OFFSET findings get a fix, and whether each file the
fixes touch still compiles (`clang++-16 -fsyntax-only` with the project's
flags) after `stresslint --fix-notes` applied them to a copy.

    bench/realworld/fixes.py --mirrors /work/.mirror [--set all] [--project KEY]

Needs python3-yaml (to read `--export-fixes`). The checkouts are the ones
run.py makes; the fixes are applied to a copy beside each.
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402  (the benchmark's project loading and checkouts)

RULES = ("stress-select-star", "stress-offset-pagination")


def compiles(path, flags, cwd):
    r = subprocess.run(["clang++-16", "-fsyntax-only", "-xc++"] + flags + [path], cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       errors="replace")
    return r.returncode == 0, r.stderr


def main():
    try:
        import yaml
    except ImportError:
        sys.exit("fixes.py needs python3-yaml (apt-get install python3-yaml)")
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--stresslint", default=os.path.join(run.ROOT, "build", "bin", "stresslint"))
    ap.add_argument("--mirrors", default=os.environ.get("STRESSLINT_MIRRORS", ""))
    ap.add_argument("--work", default="/tmp/stresslint-realworld")
    ap.add_argument("--set", default="all", choices=["train", "test", "all"])
    ap.add_argument("--project", action="append", default=[])
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()

    totals = collections.Counter()
    why = collections.Counter()
    for p in run.load_projects(args.set, args.project):
        if run.missing_packages(p):
            print(f"{p['repo']}: skipped (missing packages)")
            continue
        src = run.checkout(p, args.work, args.mirrors)
        copy = src + ".fixed"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(src, copy, symlinks=True)
        exported = copy + ".fixes.yaml"
        inputs = p.get("inputs") or sorted({os.path.dirname(f) or "." for f in p["scope"]})
        flags = run.flags_of(p, copy)
        cmd = [args.stresslint, "--format=json", "--no-cache", "--quiet", "--progress=never",
               f"-j{args.jobs}", "--fix-notes", f"--export-fixes={exported}"] + inputs
        r = subprocess.run(cmd + ["--"] + flags, cwd=copy, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, errors="replace")
        if r.returncode not in (0, 1, 3):
            sys.exit(f"stresslint exited with {r.returncode} on {p['repo']}:\n{r.stderr}")
        findings = [f for f in json.loads(r.stdout)["findings"] if f["rule"] in RULES]
        with open(exported, encoding="utf-8") as f:
            diags = (yaml.safe_load(f) or {}).get("Diagnostics") or []
        fixed = collections.Counter()
        for d in diags:
            if d["DiagnosticName"] not in RULES:
                continue
            own = d["DiagnosticMessage"].get("Replacements") or []
            notes = [n for n in d.get("Notes") or [] if n.get("Replacements")]
            if own or notes:
                fixed[d["DiagnosticName"]] += 1
                continue
            reasons = [n["Message"].split(":")[1].split(",")[0].strip().split("(")[0].strip()
                       for n in d.get("Notes") or []
                       if n["Message"].startswith(("no fix offered: ", "no keyset fix offered: "))]
            why[(d["DiagnosticName"], reasons[0] if reasons else
                 "no run of the SQL here (a literal or fragment no known database call runs "
                 "in that function, or a page query whose order is not unique)")] += 1
        changed = []
        for root, _, files in os.walk(copy):
            for name in files:
                path = os.path.join(root, name)
                rel = os.path.relpath(path, copy)
                orig = os.path.join(src, rel)
                if os.path.exists(orig) and not os.path.islink(path) and \
                        open(path, "rb").read() != open(orig, "rb").read():
                    changed.append(rel)
        still, before_broken, broken = 0, 0, []
        for rel in changed:
            if not rel.endswith((".cpp", ".cc", ".cxx", ".h", ".hpp")):
                continue
            ok_before, _ = compiles(os.path.join(src, rel), run.flags_of(p, src), src)
            ok_after, err = compiles(os.path.join(copy, rel), flags, copy)
            if not ok_before:
                before_broken += 1
            elif ok_after:
                still += 1
            else:
                broken.append((rel, err.splitlines()[:3]))
        counts = collections.Counter(f["rule"] for f in findings)
        print(f"{p['repo']}: " + ", ".join(
            f"{rule.split('-', 1)[1]} {fixed[rule]}/{counts[rule]} fixed" for rule in RULES) +
            f"; {len(changed)} files changed: {still} still compile, {len(broken)} broken, "
            f"{before_broken} did not compile before")
        for rel, err in broken:
            print(f"  BROKEN {rel}: " + " | ".join(err))
        for rule in RULES:
            totals[rule + " findings"] += counts[rule]
            totals[rule + " fixed"] += fixed[rule]
        totals["files changed"] += len(changed)
        totals["still compile"] += still
        totals["broken"] += len(broken)
        totals["not compilable before"] += before_broken
    print("\ntotals: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    print("why no fix (rule, reason: findings):")
    for (rule, reason), n in why.most_common():
        print(f"  {rule}: {reason}: {n}")


if __name__ == "__main__":
    main()
