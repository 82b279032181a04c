#!/usr/bin/env python3
"""Scores stresslint on pinned public projects against hand-made labels.

See bench/realworld/README.md. Only the Python standard library is used.
"""
import argparse
import csv
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RULES = [
    "stress-select-star",
    "stress-offset-pagination",
    "stress-leading-wildcard-like",
    "stress-unbounded-row-lock",
    "stress-hot-path-aggregate",
    "stress-query-in-loop",
    "stress-blocking-call-in-handler",
    "stress-lock-in-fan-out",
]
MODES = ["noflags", "flags"]


def load_projects(selected_set, only):
    projects = []
    for path in sorted(glob.glob(os.path.join(HERE, "projects", "*.json"))):
        with open(path, encoding="utf-8") as f:
            p = json.load(f)
        p["key"] = p["repo"].replace("/", "+")
        if only and p["repo"] not in only and p["key"] not in only:
            continue
        if selected_set != "all" and p.get("set") != selected_set:
            continue
        p["labels"] = load_labels(p)
        projects.append(p)
    return projects


def load_labels(p):
    path = os.path.join(HERE, "labels", p["key"] + ".csv")
    labels = []
    if not os.path.exists(path):
        return labels
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if not row.get("path"):
                continue
            if row["commit"] != p["commit"]:
                sys.exit(f"{path}: label at {row['path']}:{row['line']} is for commit "
                         f"{row['commit']}, the project is pinned at {p['commit']}")
            if row["rule"] not in RULES:
                sys.exit(f"{path}: unknown rule {row['rule']!r}")
            if row["expect"] not in ("yes", "no"):
                sys.exit(f"{path}: expect must be yes or no, not {row['expect']!r}")
            row["line"] = int(row["line"])
            labels.append(row)
    return labels


class Unavailable(Exception):
    """A project or one of its submodules has no local mirror and cannot be
    cloned (no network): the project is skipped with a message."""


def extract(repo, commit, into, mirrors, paths=()):
    """Puts \p repo (`owner/name`) at \p commit into the empty directory
    \p into: from its local mirror when there is one, else cloned. With
    \p paths, only those directories are taken from a mirror (a mirror may
    lack the blobs of a project's large assets)."""
    mirror = os.path.join(mirrors, repo.replace("/", "+"), "repo") if mirrors else None
    if mirror and os.path.isdir(mirror):
        archive = subprocess.run(["git", "-C", mirror, "archive", commit, *paths],
                                 check=True, stdout=subprocess.PIPE).stdout
        subprocess.run(["tar", "-x", "-C", into], input=archive, check=True)
    else:
        url = f"https://github.com/{repo}.git"
        try:
            subprocess.run(["git", "clone", "--quiet", "--no-checkout", url, into], check=True)
            subprocess.run(["git", "-C", into, "checkout", "--quiet", commit], check=True)
        except subprocess.CalledProcessError:
            where = f"no mirror at {mirror}" if mirror else "no --mirrors given"
            raise Unavailable(f"{repo}: {where}, and cloning {url} failed")


def checkout(p, work, mirrors):
    dest = os.path.join(work, f"{p['key']}-{p['commit'][:12]}")
    if os.path.isdir(dest) and os.path.exists(os.path.join(dest, ".stresslint-checkout")):
        add_submodules(p, dest, mirrors)
        return dest
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    extract(p["repo"], p["commit"], dest, mirrors, p.get("paths", []))
    open(os.path.join(dest, ".stresslint-checkout"), "w").close()
    add_submodules(p, dest, mirrors)
    return dest


def add_submodules(p, dest, mirrors):
    """Extracts each of the project's git submodules (`submodules`: path,
    repo, commit — the commit the project's gitlink pins) into the checkout,
    as a CI clone with `--recurse-submodules` has them."""
    for m in p.get("submodules", []):
        into = os.path.join(dest, m["path"])
        marker = os.path.join(into, ".stresslint-submodule-" + m["commit"][:12])
        if os.path.exists(marker):
            continue
        shutil.rmtree(into, ignore_errors=True)
        os.makedirs(into)
        extract(m["repo"], m["commit"], into, mirrors)
        open(marker, "w").close()


def missing_packages(p):
    missing = []
    for pkg in p.get("packages", []):
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if "install ok installed" not in r.stdout:
            missing.append(pkg)
    return missing


def flags_of(p, src):
    """The compiler flags of the "with flags" mode for checkout \p src: the
    project's, and the include directory of its `stubs` (headers the
    project's build generates: config.h, export macros; a CI run has them,
    a bare checkout does not), written beside the checkout."""
    flags = [f.replace("{root}", src) for f in p.get("flags", [])]
    if p.get("stubs"):
        stubs = src + ".stubs"
        for name, text in p["stubs"].items():
            os.makedirs(os.path.dirname(os.path.join(stubs, name)), exist_ok=True)
            with open(os.path.join(stubs, name), "w", encoding="utf-8") as f:
                f.write(text + "\n")
        flags.append(f"-I{stubs}")
    return flags


def run_stresslint(exe, p, src, mode, jobs):
    # The call graph needs the code around the scope: by default every
    # directory that holds a scope file (stresslint walks it recursively).
    inputs = p.get("inputs") or sorted({os.path.dirname(f) or "." for f in p["scope"]})
    args = [exe, "--format=json", "--no-cache", "--quiet", "--progress=never",
            f"-j{jobs}"] + inputs
    if mode == "flags":
        args += ["--"] + flags_of(p, src)
    start = time.monotonic()
    r = subprocess.run(args, cwd=src, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors="replace")
    seconds = time.monotonic() - start
    if r.returncode not in (0, 1, 3):
        sys.stderr.write(r.stderr)
        sys.exit(f"stresslint exited with {r.returncode} on {p['repo']} ({mode})")
    report = json.loads(r.stdout)
    findings = []
    compile_errors = 0
    for f in report["findings"]:
        if f["rule"] not in RULES:  # clang-diagnostic-error: counted, not scored
            compile_errors += 1
            continue
        path = os.path.relpath(os.path.join(src, f["file"]), src) \
            if not os.path.isabs(f["file"]) else os.path.relpath(f["file"], src)
        # `and again here`: another site in the same loop or handler that
        # reaches the statement the finding reports (one finding per scope
        # and statement, the other sites as its notes).
        again = [n["line"] for n in f.get("notes", [])
                 if n.get("message") == "and again here" and n.get("file") == f["file"]]
        findings.append({"path": path, "line": f["line"], "rule": f["rule"],
                         "message": f["message"], "again": again})
    # A file whose analysis failed (a crash, a timeout) has no findings: say
    # so, or its misses would read as the rules'.
    failed = [l for l in r.stderr.splitlines() if "analysis crashed" in l or "timed out" in l]
    return findings, seconds, compile_errors, failed


def score(p, findings, window):
    """Matches findings to labels one-to-one (nearest line first)."""
    scope = set(p["scope"])
    yes = [l for l in p["labels"] if l["expect"] == "yes"]
    no = [l for l in p["labels"] if l["expect"] == "no"]
    matched_label = set()
    result = {"tp": [], "fp": [], "fn": [], "unlabelled": []}
    pairs = []
    for fi, f in enumerate(findings):
        for li, l in enumerate(yes):
            if l["path"] == f["path"] and l["rule"] == f["rule"]:
                d = abs(l["line"] - f["line"])
                if d <= window:
                    pairs.append((d, fi, li))
    pairs.sort()
    matched_finding = set()
    for d, fi, li in pairs:
        if fi in matched_finding or li in matched_label:
            continue
        matched_finding.add(fi)
        matched_label.add(li)
        result["tp"].append((findings[fi], yes[li]))
    for fi, f in enumerate(findings):
        if fi in matched_finding:
            continue
        if f["path"] in scope:
            trap = next((l for l in no if l["path"] == f["path"] and l["rule"] == f["rule"]
                         and abs(l["line"] - f["line"]) <= window), None)
            # A second finding of one labelled occurrence is a duplicate: a
            # false alarm too (one diagnostic per anti-pattern).
            result["fp"].append((f, trap))
        else:
            result["unlabelled"].append(f)
    # A label at a site the tool names in a note of a matched or unmatched
    # finding as the same statement again (`and again here`) is found: the
    # user is shown that line, as the rule means to show it.
    for li, l in enumerate(yes):
        if li in matched_label:
            continue
        again = next((f for f in findings if f["path"] == l["path"] and
                      f["rule"] == l["rule"] and
                      any(abs(a - l["line"]) <= window for a in f["again"])), None)
        if again is not None:
            matched_label.add(li)
            result["tp"].append((again, l))
        else:
            result["fn"].append(l)
    # A trap the tool names that way is a false alarm, as a finding there is.
    for l in no:
        f = next((f for f in findings if f["path"] == l["path"] and f["rule"] == l["rule"]
                  and any(abs(a - l["line"]) <= window for a in f["again"])), None)
        if f is not None and f["path"] in scope and \
                not any(t is l for _, t in result["fp"]):
            result["fp"].append((dict(f, line=l["line"]), l))
    return result


def ratio(a, b):
    return f"{a / b:.2f}" if b else "–"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--stresslint", default=os.path.join(ROOT, "build", "bin", "stresslint"))
    ap.add_argument("--mirrors", default=os.environ.get("STRESSLINT_MIRRORS",
                                                        os.path.join(ROOT, "..", ".mirror")))
    ap.add_argument("--work", default="/tmp/stresslint-realworld")
    ap.add_argument("--set", default="all", choices=["train", "test", "all"])
    ap.add_argument("--mode", default="both", choices=["noflags", "flags", "both"])
    ap.add_argument("--project", action="append", default=[])
    ap.add_argument("--window", type=int, default=3)
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--show", default="", help="comma list of: misses, fps, tps")
    ap.add_argument("--unlabelled", type=int, default=0,
                    help="print a random sample of this many findings outside the scopes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="write the per-rule table as JSON here")
    args = ap.parse_args()

    projects = load_projects(args.set, args.project)
    if not projects:
        sys.exit("no projects selected")
    modes = MODES if args.mode == "both" else [args.mode]
    show = set(filter(None, args.show.split(",")))
    os.makedirs(args.work, exist_ok=True)
    totals = defaultdict(lambda: defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "labels": 0}))
    unlabelled = {m: [] for m in modes}
    timing = {m: 0.0 for m in modes}
    for p in projects:
        try:
            src = checkout(p, args.work, args.mirrors)
        except Unavailable as e:
            print(f"skipped: {e}", file=sys.stderr)
            continue
        if "flags" in modes and missing_packages(p):
            print(f"warning: {p['repo']}: the flags mode wants these Debian packages: "
                  f"{' '.join(missing_packages(p))}", file=sys.stderr)
        for m in modes:
            findings, secs, errors, failed = run_stresslint(args.stresslint, p, src, m,
                                                            args.jobs)
            timing[m] += secs
            r = score(p, findings, args.window)
            for key in (m, f"{m}, {p.get('set')} set"):
                for f, l in r["tp"]:
                    totals[key][f["rule"]]["tp"] += 1
                for f, trap in r["fp"]:
                    totals[key][f["rule"]]["fp"] += 1
                for l in r["fn"]:
                    totals[key][l["rule"]]["fn"] += 1
                for l in p["labels"]:
                    if l["expect"] == "yes":
                        totals[key][l["rule"]]["labels"] += 1
            unlabelled[m] += [(p["repo"], f) for f in r["unlabelled"]]
            print(f"{p['repo']} [{p.get('set')}] {m}: {len(findings)} findings, "
                  f"TP {len(r['tp'])} FP {len(r['fp'])} FN {len(r['fn'])} "
                  f"({len(r['unlabelled'])} outside scope, {errors} compile errors) in {secs:.1f} s")
            for line in failed:
                print(f"  FAILED {line}")
            if "misses" in show:
                for l in r["fn"]:
                    print(f"  MISS {l['path']}:{l['line']} {l['rule']}  ({l['why']})")
            if "fps" in show:
                for f, trap in r["fp"]:
                    why = f" [trap: {trap['why']}]" if trap else ""
                    print(f"  FP   {f['path']}:{f['line']} {f['rule']}{why}  {f['message'][:110]}")
            if "tps" in show:
                for f, l in r["tp"]:
                    print(f"  TP   {f['path']}:{f['line']} {f['rule']}  ({l['why']})")

    print()
    sets = sorted({p.get("set") for p in projects})
    print(f"projects: {', '.join(p['repo'] for p in projects)}  (sets: {', '.join(sets)})")
    table = {}
    for key in sorted(totals):
        m = key.split(",")[0]
        print(f"\nmode {key} ({timing[m]:.0f} s of stresslint in mode {m})")
        print(f"{'rule':34} {'labels':>6} {'TP':>4} {'FN':>4} {'FP':>4} {'recall':>7} {'precision':>9}")
        t = {"tp": 0, "fp": 0, "fn": 0, "labels": 0}
        for rule in RULES:
            c = totals[key][rule]
            for k in t:
                t[k] += c[k]
            print(f"{rule:34} {c['labels']:6} {c['tp']:4} {c['fn']:4} {c['fp']:4} "
                  f"{ratio(c['tp'], c['tp'] + c['fn']):>7} {ratio(c['tp'], c['tp'] + c['fp']):>9}")
            table.setdefault(key, {})[rule] = dict(c)
        print(f"{'all rules':34} {t['labels']:6} {t['tp']:4} {t['fn']:4} {t['fp']:4} "
              f"{ratio(t['tp'], t['tp'] + t['fn']):>7} {ratio(t['tp'], t['tp'] + t['fp']):>9}")
        if key == m and args.unlabelled and unlabelled[m]:
            rng = random.Random(args.seed)
            sample = rng.sample(unlabelled[m], min(args.unlabelled, len(unlabelled[m])))
            print(f"\n{len(sample)} of {len(unlabelled[m])} findings outside the scopes ({m}):")
            for repo, f in sample:
                print(f"  {repo} {f['path']}:{f['line']} {f['rule']}  {f['message'][:120]}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(table, f, indent=2)


if __name__ == "__main__":
    main()
