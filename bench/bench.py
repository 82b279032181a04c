#!/usr/bin/env python3
"""The stresslint benchmark: measures, prints and records ratios.

Run through bench/run.sh, which installs the peers and builds the SQL floor;
see docs/performance.md. Python 3 standard library only.

Every measurement is a whole process (wall time, peak RSS from wait4 of
the process tree). Each repetition runs all measurements once, in an order
rotated per repetition so that load drifting over the run hits every tool
alike; the table shows medians. Nothing here asserts a speed: MISS rows are
reported, the exit status only says whether the benchmark itself ran.
"""

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_project  # noqa: E402  (bench/gen_project.py)
import gen_real  # noqa: E402  (bench/gen_real.py)

CHEAP_TIDY_CHECK = "-*,readability-braces-around-statements"
# A fixed SQLFluff subset: mid-sized files, ~50-150 statements each
# (SQLFluff needs ~50 minutes for the whole corpus).
SQLFLUFF_FILES = ["delete.sql", "limit.sql", "select_distinct.sql"]
# Files on which squawk 2.66's parser panics ("the parser seems stuck") after
# 14-18 s each: they would dominate its time, so the squawk comparison runs
# both tools on the corpus without them.
SQUAWK_PANICS = ["alter_table.sql", "create_table.sql", "rules.sql", "with.sql"]


# ----------------------------------------------------------------- running


class Result:
    def __init__(self, seconds, rss_kb, rc, out, err, cpu=None):
        self.seconds = seconds
        self.cpu = cpu
        self.rss_kb = rss_kb
        self.rc = rc
        self.out = out
        self.err = err


def run(cmd, cwd=None, env=None):
    """Runs cmd, returns wall time and the peak RSS of its process tree."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Result(seconds, usage.ru_maxrss, proc.returncode,
                      out.read().decode(errors="replace"),
                      err.read().decode(errors="replace"),
                      cpu=usage.ru_utime + usage.ru_stime)


def peak_rss_time(cmd, cwd=None):
    """Peak RSS in KB measured by GNU time (/usr/bin/time -f %M)."""
    gnu_time = "/usr/bin/time"
    if not os.access(gnu_time, os.X_OK):
        return run(cmd, cwd).rss_kb
    with tempfile.NamedTemporaryFile("r") as f:
        run([gnu_time, "-f", "%M", "-o", f.name, *cmd], cwd)
        text = f.read().strip().splitlines()
        return int(text[-1]) if text and text[-1].isdigit() else None


class Measure:
    """A named command; ok(rc) says which exit codes mean it ran."""

    def __init__(self, name, cmd, ok=(0,), cwd=None, env=None):
        self.name = name
        self.cmd = cmd
        self.ok = ok
        self.cwd = cwd
        self.env = env
        self.times = []
        self.cpus = []
        self.rss = []
        self.failure = None

    def median(self):
        return statistics.median(self.times) if self.times else None

    def median_cpu(self):
        """CPU time (user + system) of the process tree: what the work costs,
        less sensitive than wall time to other processes on the machine."""
        return statistics.median(self.cpus) if self.cpus else None

    def max_rss_kb(self):
        return max(self.rss) if self.rss else None


def paired_ratio(x, y, cpu=False):
    """The median of x's time over y's in the same repetition. run_all runs
    the measurements of a repetition back to back, so load that comes and
    goes on a shared machine weighs on both sides of each ratio; a ratio of
    the two medians pairs a quiet run of one with a loaded run of the other
    (on the 2-core VM, single .sql runs of 0.3 s move by 30%)."""
    xs, ys = (x.cpus, y.cpus) if cpu else (x.times, y.times)
    ratios = [a / b for a, b in zip(xs, ys) if a and b]
    return statistics.median(ratios) if ratios and not x.failure and not y.failure else None


def run_all(measures, reps, log):
    for rep in range(reps):
        k = rep % len(measures) if measures else 0
        for m in measures[k:] + measures[:k]:
            if m.failure:
                continue
            r = run(m.cmd, m.cwd, m.env)
            if r.rc not in m.ok:
                m.failure = (f"exit {r.rc}: " + (r.err or r.out).strip()[-600:])
                log(f"  {m.name}: FAILED ({m.failure})")
                continue
            m.times.append(r.seconds)
            m.cpus.append(r.cpu)
            m.rss.append(r.rss_kb)
            log(f"  rep {rep + 1}/{reps} {m.name}: {r.seconds:.2f} s, "
                f"{r.rss_kb / 1024:.0f} MB")


# ---------------------------------------------------------------- helpers


def load_average():
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.node()}, {os.cpu_count()} cores, {cpu}, Linux {platform.release()}"


def help_text(stresslint):
    r = run([stresslint, "--help"])
    return r.out + r.err


def has_flag(help_out, flag):
    return any(tok.strip().startswith(flag + " ") or tok.strip().startswith(flag + "=")
               or tok.strip() == flag
               for line in help_out.splitlines() for tok in [line.strip()])


def floor_commands(build):
    """clang++ -fsyntax-only with the compile database's own flags."""
    with open(os.path.join(build, "compile_commands.json")) as f:
        db = json.load(f)
    cmds = []
    for entry in db:
        args = entry.get("arguments") or shlex.split(entry["command"])
        out = []
        skip = False
        for a in args:
            if skip:
                skip = False
                continue
            if a == "-o":
                skip = True
                continue
            if a == "-c":
                continue
            out.append(a)
        out.insert(1, "-fsyntax-only")
        cmds.append("cd " + shlex.quote(entry["directory"]) + " && " + shlex.join(out))
    return cmds


def write_floor_scripts(work, build, tag):
    cmds = floor_commands(build)
    seq = os.path.join(work, f"floor-seq-{tag}.sh")
    with open(seq, "w") as f:
        f.write("set -e\n" + "\n".join(cmds) + "\n")
    lines = os.path.join(work, f"floor-lines-{tag}.txt")
    with open(lines, "w") as f:
        f.write("\n".join(cmds) + "\n")
    return seq, lines


def fmt_s(v):
    return "-" if v is None else f"{v:.2f} s"


def fmt_mb(kb):
    return "-" if kb is None else f"{kb / 1024:.0f} MB"


def verdict(value, target, lower_is_better):
    """PASS/MISS text; MISS says by how much the value misses the target."""
    if value is None:
        return "n/a"
    if lower_is_better:
        if value <= target:
            return "PASS"
        return f"MISS by {100 * (value / target - 1):.0f}%"
    if value >= target:
        return "PASS"
    return f"MISS by {100 * (1 - value / target):.0f}%"


class Table:
    HEAD = ["measurement", "stresslint", "floor / peer", "ratio", "CPU-time ratio", "target",
            "result"]

    def __init__(self, cpu_col=True):
        self.cpu_col = cpu_col
        self.rows = []
        self.notes = []
        self.failed = False

    def add(self, *cells, cpu="-"):
        cells = list(cells)
        if self.cpu_col:
            cells.insert(4, cpu)
        self.rows.append([str(c) for c in cells])

    def text(self):
        widths = [max(len(r[i]) for r in [self.HEAD] + self.rows) for i in range(len(self.HEAD))]
        line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
        out = [line(self.HEAD), line(["-" * w for w in widths])]
        out += [line(r) for r in self.rows]
        return "\n".join(out)

    def markdown(self):
        esc = lambda c: c.replace("|", "\\|")
        out = ["| " + " | ".join(self.HEAD) + " |",
               "| " + " | ".join("---" for _ in self.HEAD) + " |"]
        out += ["| " + " | ".join(esc(c) for c in r) + " |" for r in self.rows]
        return "\n".join(out)


# -------------------------------------------------------------- the parts


def bench_cpp(a, table, log, has_j, has_cache):
    work = os.path.join(a.work, f"cpp-{a.tus}")
    log(f"C++: generating {a.tus} TUs in {work}")
    man = gen_project.generate(work, a.tus, 1, a.clangxx, shlex.split(gen_project_flags()),
                               light=a.light)
    build, sources = man["build"], man["sources"]
    seq, lines = write_floor_scripts(a.work, build, f"cpp-{a.tus}")
    sl = [a.stresslint, "-p", build, "--quiet", *a.cold]
    ms = {
        "sl1": Measure("stresslint -j1", sl + (["-j", "1"] if has_j else []) + sources, ok=(0, 1)),
        "floor1": Measure("clang++ -fsyntax-only, sequential", ["sh", seq]),
    }
    if not a.no_peers:
        ms["tidy1"] = Measure("clang-tidy-16 one cheap check",
                              [a.clang_tidy, "-p", build, "--quiet",
                               f"--checks={CHEAP_TIDY_CHECK}", *sources], ok=(0, 1))
    if has_j:
        ms["sl2"] = Measure("stresslint -j2", sl + ["-j", "2"] + sources, ok=(0, 1))
    ms["floor2"] = Measure("clang++ -fsyntax-only, xargs -P2",
                           ["sh", "-c", f"xargs -d '\\n' -P 2 -n 1 sh -c < {shlex.quote(lines)}"])
    log(f"C++: {a.reps} repetition(s) of {len(ms)} measurements (load {load_average()})")
    run_all(list(ms.values()), a.reps, log)

    def med(k):
        return ms[k].median() if k in ms else None

    def cpu(a_key, b_key):
        r = paired_ratio(ms[a_key], ms[b_key], cpu=True) if a_key in ms and b_key in ms else None
        return f"{r:.2f}x" if r else "-"

    title = f"C++ {len(sources)}{' light' if a.light else ''} TUs, all stress-* rules, -j1"
    s1, f1 = med("sl1"), med("floor1")
    ratio = paired_ratio(ms["sl1"], ms["floor1"]) if s1 and f1 else None
    table.add(title, fmt_s(s1), fmt_s(f1) + " (clang++-16 -fsyntax-only)",
              f"{ratio:.2f}x" if ratio else "-", "<= 1.10x floor", verdict(ratio, 1.10, True),
              cpu=cpu("sl1", "floor1"))
    if "tidy1" in ms:
        t1 = med("tidy1")
        r = t1 / f1 if t1 and f1 else None
        table.add(f"C++ {len(sources)} TUs, clang-tidy-16 ({CHEAP_TIDY_CHECK}), -j1",
                  "-", fmt_s(t1) + " (clang-tidy-16)", f"{r:.2f}x floor" if r else "-",
                  "reference (~1.0x)", "-", cpu=cpu("tidy1", "floor1") + " floor")
        if s1 and t1:
            table.notes.append(f"stresslint -j1 / clang-tidy-16 with one cheap check: "
                               f"{s1 / t1:.2f}x")
    f2 = med("floor2")
    if has_j:
        s2 = med("sl2")
        sp = s1 / s2 if s1 and s2 else None
        fsp = f1 / f2 if f1 and f2 else None
        table.add(f"C++ {len(sources)} TUs, -j2", fmt_s(s2), fmt_s(f2) + " (xargs -P2)",
                  f"{s2 / f2:.2f}x" if s2 and f2 else "-", "-", "-", cpu=cpu("sl2", "floor2"))
        table.add("C++ -j2 speed-up over -j1", f"{sp:.2f}x" if sp else "-",
                  f"{fsp:.2f}x (floor)" if fsp else "-", "-", ">= 1.8x", verdict(sp, 1.8, False))
    else:
        table.add(f"C++ {len(sources)} TUs, -j2", "n/a (no -j flag in this build)",
                  fmt_s(f2) + " (xargs -P2)", "-", ">= 1.8x speed-up", "n/a")
        table.notes.append("-j2: `stresslint --help` lists no -j option in this build; "
                           "the row fills in once it does")
    for k, m in ms.items():
        if m.failure:
            table.failed = True
            table.notes.append(f"{m.name} failed: {m.failure}")

    bench_warm(a, table, log, has_cache, man)
    bench_rss(a, table, log, man, build)
    return man


def bench_warm(a, table, log, has_cache, man):
    names = ["Warm re-run, unchanged tree", "Warm re-run, one header touched"]
    if not has_cache:
        for n in names:
            table.add(n, "n/a (no cache yet)", "-", "-", "<= 5% of cold", "n/a")
        table.notes.append("warm re-runs: `stresslint --help` lists no --cache-dir; "
                           "the rows fill in once the on-disk cache exists")
        return
    cache = os.path.join(a.work, "cache")
    sl = [a.stresslint, "-p", man["build"], "--quiet"]
    cold, warm, touched = [], [], []
    for _ in range(a.reps):
        shutil.rmtree(cache, ignore_errors=True)
        cmd = sl + [f"--cache-dir={cache}"] + man["sources"]
        r = run(cmd)
        cold.append(r.seconds)
        warm.append(run(cmd).seconds)
        os.utime(man["touch_header"])
        with open(man["touch_header"], "a") as f:
            f.write("\n")  # a content change, not only an mtime change
        touched.append(run(cmd).seconds)
        with open(man["touch_header"]) as f:
            text = f.read()
        with open(man["touch_header"], "w") as f:
            f.write(text[:-1])
        log(f"  cache: cold {r.seconds:.2f} s, warm {warm[-1]:.2f} s, "
            f"touched {touched[-1]:.2f} s")
    c = statistics.median(cold)
    for n, v in zip(names, [statistics.median(warm), statistics.median(touched)]):
        table.add(n, fmt_s(v), fmt_s(c) + " (cold stresslint)", f"{100 * v / c:.1f}%",
                  "<= 5% of cold" if n.endswith("tree") else "re-analyses "
                  f"{len(man['touch_dependents'])} of {man['tus']} TUs",
                  verdict(v / c, 0.05, True) if n.endswith("tree") else "-")


def bench_rss(a, table, log, man, build):
    largest = man["largest"]
    floor = [c for c in floor_commands(build) if c.endswith(" " + shlex.quote(largest))]
    sl_rss, fl_rss = [], []
    for _ in range(max(1, min(a.reps, 3))):
        sl_rss.append(peak_rss_time([a.stresslint, "-p", build, "--quiet", *a.cold, largest]))
        fl_rss.append(peak_rss_time(["sh", "-c", floor[0]]))
    s, f = statistics.median(sl_rss), statistics.median(fl_rss)
    log(f"  peak RSS on {os.path.basename(largest)}: stresslint {s} KB, floor {f} KB")
    r = s / f if s and f else None
    table.add(f"Peak RSS, largest TU ({os.path.relpath(largest, a.work)})", fmt_mb(s),
              fmt_mb(f) + " (clang++-16 -fsyntax-only)", f"{r:.2f}x" if r else "-",
              "<= 1.2x floor", verdict(r, 1.2, True))


def bench_real(a, table, log):
    """The real-code rows: TUs over Qt 6 (-I, as qmake names it) and Boost
    headers (bench/gen_real.py), stresslint -j1 against the floor and, with
    peers, clang-tidy-16 with one cheap check."""
    work = os.path.join(a.work, "real")
    man = gen_real.generate(work, a.real_tus, 1, a.clangxx)
    for pkg in man["missing"]:
        table.add(f"C++ real code ({pkg})", f"n/a ({pkg} not installed)", "-", "-",
                  "<= 1.15x floor", "n/a")
    labels = {"qt": "Qt 6 headers (-I)", "boost": "Boost headers"}
    for kind in ("qt", "boost"):
        if kind not in man:
            continue
        build, sources = man[kind]["build"], man[kind]["sources"]
        seq, _ = write_floor_scripts(a.work, build, f"real-{kind}")
        ms = {
            "sl": Measure(f"stresslint {kind}", [a.stresslint, "-p", build, "--quiet", *a.cold,
                                                 *a.one_job, *sources], ok=(0, 1)),
            "floor": Measure(f"floor {kind}", ["sh", seq]),
        }
        if not a.no_peers:
            ms["tidy"] = Measure(f"clang-tidy-16 {kind}",
                                 [a.clang_tidy, "-p", build, "--quiet",
                                  f"--checks={CHEAP_TIDY_CHECK}", *sources], ok=(0, 1))
        log(f"real code, {labels[kind]}: {len(sources)} TUs, {a.reps} repetition(s) "
            f"(load {load_average()})")
        run_all(list(ms.values()), a.reps, log)
        s, f = ms["sl"].median(), ms["floor"].median()
        sc, fc = ms["sl"].median_cpu(), ms["floor"].median_cpu()
        r = paired_ratio(ms["sl"], ms["floor"]) if s and f else None
        rc = paired_ratio(ms["sl"], ms["floor"], cpu=True) if sc and fc else None
        table.add(f"C++ real code, {len(sources)} TU{'s' if len(sources) > 1 else ''} over "
                  f"{labels[kind]}, all stress-* rules, -j1", fmt_s(s),
                  fmt_s(f) + " (clang++-16 -fsyntax-only)", f"{r:.2f}x" if r else "-",
                  "<= 1.15x floor", verdict(r, 1.15, True),
                  cpu=f"{rc:.2f}x" if rc else "-")
        if "tidy" in ms and ms["tidy"].median() and f:
            t, tc = ms["tidy"].median(), ms["tidy"].median_cpu()
            table.notes.append(f"real code, {labels[kind]}: clang-tidy-16 ({CHEAP_TIDY_CHECK}) "
                               f"{t / f:.2f}x the floor ({tc / fc:.2f}x in CPU time)")
        for m in ms.values():
            if m.failure:
                table.failed = True
                table.notes.append(f"{m.name} failed: {m.failure}")


def sql_files(corpus):
    return sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith(".sql"))


def pg_floor_statements(a, files):
    r = run([a.pg_floor, *files])
    parts = r.out.split()
    return int(parts[parts.index("statements") + 1]) if "statements" in parts else None


def bench_sql(a, table, log):
    if not a.corpus or not os.path.isdir(a.corpus):
        table.add("SQL corpus", "n/a (no corpus given)", "-", "-", "<= 1.5x floor", "n/a")
        table.notes.append("SQL: no corpus given (--corpus DIR or STRESSLINT_SQL_CORPUS): "
                           "the .sql rows need the PostgreSQL 15 regression .sql files")
        return
    files = sql_files(a.corpus)
    if a.quick:
        files = files[:5]
    stmts = pg_floor_statements(a, files)
    label = f"{len(files)} files, {stmts} statements"
    ms = {
        # Run where the files are, as a user linting that directory would: the
        # project root (for the SchemaFiles walk) is then the corpus, not the
        # caller's working directory (from this repository, our fixtures'
        # schema*.sql files would be read and parsed on every run).
        "sl": Measure("stresslint .sql", [a.stresslint, "--quiet", *a.cold, *files], ok=(0, 1, 3),
                      cwd=a.corpus),
        "floor": Measure("pg_floor", [a.pg_floor, *files]),
    }
    if a.squawk:
        env = dict(os.environ, RAYON_NUM_THREADS="1")
        sq_files = [f for f in files if os.path.basename(f) not in SQUAWK_PANICS]
        ms["sl_sq"] = Measure("stresslint .sql, squawk's files",
                              [a.stresslint, "--quiet", *a.cold, *sq_files], ok=(0, 1, 3),
                              cwd=a.corpus)
        # Squawk exits 1 on findings, 101 when its parser panics on a file.
        ms["squawk"] = Measure("squawk (native, 1 thread)", [a.squawk, *sq_files],
                               ok=(0, 1), env=env)
    # A run is a third of a second: more repetitions than the C++ rows
    # take, for the same steadiness, cost a few seconds.
    reps = a.reps if a.quick else max(a.reps, 9)
    log(f"SQL: {label}: {reps} repetition(s) (load {load_average()})")
    run_all(list(ms.values()), reps, log)
    s, f = ms["sl"].median(), ms["floor"].median()
    r = paired_ratio(ms["sl"], ms["floor"]) if s and f else None
    sc, fc = ms["sl"].median_cpu(), ms["floor"].median_cpu()
    rcpu = paired_ratio(ms["sl"], ms["floor"], cpu=True) if sc and fc else None
    table.add(f"SQL corpus ({label})", fmt_s(s), fmt_s(f) + " (pg_floor)",
              f"{r:.2f}x" if r else "-", "<= 1.5x floor", verdict(r, 1.5, True),
              cpu=f"{rcpu:.2f}x" if rcpu else "-")
    if "squawk" in ms and ms["squawk"].median():
        q, s_sq = ms["squawk"].median(), ms["sl_sq"].median()
        sp = q / s_sq if s_sq else None
        n_sq = len(files) - len([f for f in files if os.path.basename(f) in SQUAWK_PANICS])
        qc, sqc = ms["squawk"].median_cpu(), ms["sl_sq"].median_cpu()
        table.add(f"SQL vs squawk 2.x native, 1 thread ({n_sq} files)", fmt_s(s_sq),
                  fmt_s(q) + " (squawk)", f"{sp:.2f}x faster" if sp else "-",
                  ">= 2x faster", verdict(sp, 2.0, False),
                  cpu=f"{qc / sqc:.2f}x faster" if qc and sqc else "-")
        table.notes.append(
            f"squawk: its rules differ (a speed reference only); run with "
            f"RAYON_NUM_THREADS=1 on the corpus minus {', '.join(SQUAWK_PANICS)}, "
            f"where its parser panics after ~15 s each")
    if a.sqlfluff:
        bench_sqlfluff(a, table, log, s / stmts if s and stmts else None,
                       sc / stmts if sc and stmts else None)
    for m in ms.values():
        if m.failure:
            table.failed = True
            table.notes.append(f"{m.name} failed: {m.failure}")


def bench_sqlfluff(a, table, log, sl_per_stmt, sl_cpu_per_stmt):
    files = [os.path.join(a.corpus, f) for f in SQLFLUFF_FILES
             if os.path.exists(os.path.join(a.corpus, f))]
    stmts = pg_floor_statements(a, files)
    m = Measure("sqlfluff", [a.sqlfluff, "lint", "--dialect", "postgres",
                             "--rules", a.sqlfluff_rule, "--processes", "1",
                             "--disable-progress-bar", *files], ok=(0, 1))
    log(f"SQLFluff: {len(files)} files, {stmts} statements, {a.fluff_reps} repetition(s)")
    run_all([m], a.fluff_reps, log)
    q = m.median()
    if not q or not stmts or not sl_per_stmt:
        table.add("SQL vs SQLFluff", "-", "failed", "-", ">= 1000x faster", "n/a")
        if m.failure:
            table.notes.append(f"sqlfluff failed: {m.failure}")
        return
    per = q / stmts
    sp = per / sl_per_stmt
    qc = m.median_cpu()
    cpu_sp = f"{qc / stmts / sl_cpu_per_stmt:.0f}x faster" if qc and sl_cpu_per_stmt else "-"
    table.add(f"SQL vs SQLFluff {a.sqlfluff_version} ({a.sqlfluff_rule}), per statement",
              f"{1e6 * sl_per_stmt:.1f} us/stmt",
              f"{1e3 * per:.1f} ms/stmt ({len(files)} files, {stmts} stmts)",
              f"{sp:.0f}x faster", ">= 1000x faster", verdict(sp, 1000, False), cpu=cpu_sp)
    corpus_stmts = pg_floor_statements(a, sql_files(a.corpus))
    table.notes.append(
        f"SQLFluff ran on {', '.join(SQLFLUFF_FILES)} only ({q:.1f} s for {stmts} statements); "
        f"extrapolated per statement to the whole corpus that is ~{per * corpus_stmts / 60:.0f} "
        f"minutes. stresslint's per-statement time is from its whole-corpus run.")


def bench_scale(a, log):
    """Time and peak RSS of stresslint -j1 (and the floor) per project size.

    Before each size the time is estimated from the previous size's per-TU
    time; a size whose estimate exceeds --scale-budget minutes is not run
    but reported as an extrapolation (and said so).
    """
    sizes = [int(x) for x in a.scale_sizes.split(",")]
    t = Table(cpu_col=False)
    t.HEAD = ["TUs", "stresslint -j1", "per TU", "CPU per TU", "peak RSS",
              "floor (clang++ -fsyntax-only)", "floor per TU", "floor CPU per TU",
              "floor peak RSS"]
    t.notes.append(("TUs with libpqxx and cpp-httplib" if a.scale_heavy else
                    "--light TUs (the project's own thin DB/HTTP layers, standard headers "
                    "only; see bench/gen_project.py)"))
    per_tu = None  # seconds per TU of the last measured size (stresslint + floor)
    for n in sizes:
        floor = not a.scale_no_floor and n <= a.scale_floor_max
        if per_tu is not None and per_tu["total"] * n > 60 * a.scale_budget:
            est_s = per_tu["sl"] * n
            est_f = per_tu["floor"] * n if floor and per_tu["floor"] else None
            log(f"scale: {n} TUs would take ~{per_tu['total'] * n / 60:.0f} min "
                f"(budget {a.scale_budget} min): extrapolated, not run")
            t.add(f"{n} (extrapolated)", "~" + fmt_s(est_s), "-", "-", "-",
                  "~" + fmt_s(est_f) if est_f else "-", "-", "-", "-")
            t.notes.append(f"{n} TUs: not run, its estimate (~{per_tu['total'] * n / 60:.0f} "
                           f"min at the previous size's per-TU time) exceeds --scale-budget "
                           f"{a.scale_budget} min; the row is that estimate")
            continue
        work = os.path.join(a.work, f"scale-{n}")
        man = gen_project.generate(work, n, 1, a.clangxx, shlex.split(gen_project_flags()),
                                   light=not a.scale_heavy)
        sl = Measure(f"stresslint {n} TUs", [a.stresslint, "-p", man["build"], "--quiet",
                                             *a.cold, *a.one_job, *man["sources"]], ok=(0, 1))
        seq, _ = write_floor_scripts(a.work, man["build"], f"scale-{n}")
        fl = Measure(f"floor {n} TUs", ["sh", seq])
        log(f"scale: {n} TUs (load {load_average()})")
        run_all([sl, fl] if floor else [sl], 1, log)
        s, rss, f, frss = sl.median(), sl.max_rss_kb(), fl.median(), fl.max_rss_kb()
        sc, fc = sl.median_cpu(), fl.median_cpu()
        per = lambda v: f"{1000 * v / n:.0f} ms" if v else "-"
        row = [n, fmt_s(s), per(s), per(sc), fmt_mb(rss), fmt_s(f), per(f), per(fc),
               fmt_mb(frss)]
        t.add(*row)
        log("scale row: " + " | ".join(str(c) for c in row))
        for m in (sl, fl):
            if m.failure:
                t.failed = True
                t.notes.append(f"{m.name} failed: {m.failure}")
        if s:
            per_tu = {"sl": s / n, "floor": f / n if f else None,
                      "total": (s + (f or 0)) / n}
    return t


def gen_project_flags():
    return "-O2 -DNDEBUG -std=c++17 -Wall"


# ------------------------------------------------------------------- main


def main(argv):
    p = argparse.ArgumentParser(description="stresslint benchmark (see docs/performance.md)")
    p.add_argument("--stresslint", required=True)
    p.add_argument("--work", required=True, help="scratch directory")
    p.add_argument("--out", help="markdown report (default: none)")
    p.add_argument("--tus", type=int, default=12)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--fluff-reps", type=int, default=1)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--light", action="store_true",
                   help="C++ TUs without libpqxx/cpp-httplib (see gen_project.py)")
    p.add_argument("--no-peers", action="store_true")
    p.add_argument("--scale", action="store_true")
    p.add_argument("--scale-sizes", default="100,300,1000")
    p.add_argument("--scale-no-floor", action="store_true")
    p.add_argument("--scale-budget", type=float, default=20,
                   help="minutes a scale size may take before it is extrapolated instead")
    p.add_argument("--scale-floor-max", type=int, default=300,
                   help="measure the floor only up to this many TUs (time)")
    p.add_argument("--scale-heavy", action="store_true",
                   help="scale with libpqxx/cpp-httplib TUs instead of --light ones")
    p.add_argument("--corpus")
    p.add_argument("--pg-floor", required=True)
    p.add_argument("--squawk")
    p.add_argument("--sqlfluff")
    p.add_argument("--sqlfluff-rule", default="L044")
    p.add_argument("--clangxx", default="/usr/bin/clang++-16")
    p.add_argument("--clang-tidy", default="clang-tidy-16")
    p.add_argument("--skip-cpp", action="store_true")
    p.add_argument("--skip-sql", action="store_true")
    p.add_argument("--skip-real", action="store_true",
                   help="leave out the real-code rows (TUs over Qt 6 and Boost headers)")
    p.add_argument("--real-tus", type=int, default=3,
                   help="TUs over Qt 6 headers in the real-code row (Boost: one)")
    a = p.parse_args(argv)
    a.work = os.path.abspath(a.work)
    os.makedirs(a.work, exist_ok=True)
    a.sqlfluff_version = ""
    if a.sqlfluff:
        v = run([a.sqlfluff, "--version"]).out.split()
        a.sqlfluff_version = v[-1] if v else ""

    log = lambda s: print(s, file=sys.stderr, flush=True)
    started = datetime.datetime.now(datetime.timezone.utc)
    load_start = load_average()
    version = run([a.stresslint, "--version"]).out.strip().splitlines()
    helps = help_text(a.stresslint)
    has_j = has_flag(helps, "-j") or has_flag(helps, "--jobs")
    has_cache = "--cache-dir" in helps
    # Cold runs measure the analysis: no result may come from the cache.
    a.cold = ["--no-cache"] if has_cache else []
    # The scale rows are one process analysing one TU after the other.
    a.one_job = ["-j", "1"] if has_j else []

    if a.scale:
        t = bench_scale(a, log)
        head = (f"stresslint scale run, {started:%Y-%m-%d %H:%M} UTC, {machine()}\n"
                f"load average at start {load_start}, at end {load_average()}")
        notes = "\n".join(f"- {n}" for n in t.notes)
        print(head + "\n\n" + t.text() + "\n\nnotes:\n" + notes, flush=True)
        if a.out:
            write_atomic(a.out, "# stresslint scale run\n\n" + head.replace("\n", "  \n") +
                         "\n\n" + t.markdown() + "\n\nNotes:\n\n" + notes + "\n")
        return 1 if t.failed else 0

    table = Table()
    if not a.skip_cpp:
        bench_cpp(a, table, log, has_j, has_cache)
    if not a.skip_cpp and not a.skip_real:
        bench_real(a, table, log)
    if not a.skip_sql:
        bench_sql(a, table, log)
    load_end = load_average()
    head = (f"stresslint benchmark, {started:%Y-%m-%d %H:%M} UTC\n"
            f"machine: {machine()}\n"
            f"tool: {version[0] if version else '?'}; medians of {a.reps} run(s) "
            f"({'' if a.quick else 'the .sql rows at least 9; '}a ratio to a floor is the "
            f"median of the ratios within each repetition)"
            f"{' (quick mode)' if a.quick else ''}\n"
            f"load average (1/5/15 min) at start {load_start}, at end {load_end}: other "
            f"processes share the cores, so absolute times are noisy; ratios within one "
            f"run are the meaningful figures")
    notes = "\n".join(f"- {n}" for n in table.notes)
    print(head + "\n\n" + table.text() + ("\n\nnotes:\n" + notes if notes else ""),
          flush=True)
    if a.out:
        md = ("# stresslint benchmark\n\n" + head.replace("\n", "  \n") + "\n\n" + table.markdown()
              + ("\n\nNotes:\n\n" + notes if notes else "") + "\n")
        write_atomic(a.out, md)
        log(f"wrote {a.out}")
    if table.failed:
        log("bench: some measurements failed (see the notes)")
        return 1
    return 0


def write_atomic(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
