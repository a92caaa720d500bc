#!/usr/bin/env python3
"""Proves that no published pathological Markdown input, and none of
charter's own known bad cases, makes `charter check` super-linear or hang.

Each input of inputs.py is written at 1k, 10k and 100k repetitions into a
one-page site and checked by $CHARTER, each run in its own process, whose
CPU time (user + sys, from wait4) is measured. An input fails when 10x the
input costs more than 15x the CPU time (1k->10k and 10k->100k, against the
real ratio of input bytes, times below FLOOR counting as FLOOR), when its
report grows faster than that, when a run is killed for taking too long, or
when charter exits with anything but 0 or 1. Known slow inputs (inputs.py)
skip the linearity check but must be stopped by the per-page budget
limits.page_seconds (2 s for them) at 100k (or their stop_n), or at 3x or
9x that on a machine fast enough to finish the smaller size: exit status 2
and a [time-limit] error naming the page. See README.md.

  CHARTER=build/charter python3 tests/pathological/run.py [--only NAME,...] [-v]
  python3 tests/pathological/run.py --cmark-only [--only NAME,...] [-v]

--cmark-only times the same bodies through Debian's libcmark-gfm alone (same
options and extensions as generator/markdown.c), which tells a slowness of
cmark-gfm from one of charter's: the evidence behind the known slow list.
"""

import argparse
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import inputs  # noqa: E402

FLOOR = 0.030            # CPU seconds: start-up noise cannot fail a ratio
OUT_FLOOR = 64 << 10     # report bytes below this count as this much
MAX_RATIO = 1.5          # allowed growth: 1.5 x the growth of the input (15x for 10x)
HANG = 60.0              # wall seconds past which a run is killed as hung (or 5x
                         # its CPU allowance, if more: wall time includes the load)
SLOW_10K = 10.0          # CPU seconds at 10k past which 100k is not run
PAGE_SECONDS = 5         # limits.page_seconds of the generated site
KNOWN_SLOW_SECONDS = 2   # limits.page_seconds for a known slow input
KNOWN_SLOW_WAIT = 15 * KNOWN_SLOW_SECONDS  # a known slow input must stop well before this
KNOWN_SLOW_GROWTH = (1, 3, 9)  # sizes tried, times stop_n, until the budget stops one
OUT_CAP_PER_BYTE = 256   # report bytes per input byte past which a run is killed
OUT_CAP_MIN = 4 << 20
MEMORY_CAP = 8 << 30     # address space of a run: keeps a blow-up off the machine
KEEP = 16 << 10          # bytes kept of each stream's head and tail, for messages

FRONT_MATTER = "---\ntitle: P\nowner: o\nlast_reviewed: 2026-01-01\n---\n"
AS_OF = "2026-06-01"


def site_yml(raised=None, page_seconds=PAGE_SECONDS, settings=""):
    """The site's settings: a title and the page budget, plus any raised
    limits and the input's own settings."""
    limits = {"page_seconds": page_seconds}
    limits.update(raised or {})
    return "title: p\nlimits: {%s}\n%s" % (", ".join("%s: %s" % kv for kv in limits.items()),
                                           settings)


class Run:
    """One process: its exit status, CPU seconds, wall seconds, bytes written
    to stdout and stderr, the kept text, and why it was killed (or None)."""

    def __init__(self):
        self.rc = None
        self.cpu = 0.0
        self.wall = 0.0
        self.out_bytes = {1: 0, 2: 0}
        self.head = {1: b"", 2: b""}
        self.tail = {1: b"", 2: b""}
        self.killed = None

    def text(self):
        parts = []
        for fd in (1, 2):
            parts.append(self.head[fd].decode("utf-8", "replace"))
            parts.append(self.tail[fd].decode("utf-8", "replace"))
        return "\n".join(parts)

    def total_out(self):
        return self.out_bytes[1] + self.out_bytes[2]


def limit_memory():
    """Caps this process's address space, and so every run's (inherited: a
    preexec_fn is not safe beside the second lane's thread)."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_so_far(pid):
    """CPU seconds (user + sys, all threads) a running process has used."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0.0


def run_process(argv, timeout, out_cap, cpu_cap=None):
    """Runs argv in its own process, reading (and counting, not storing) its
    output; kills it past `timeout` wall seconds, `cpu_cap` CPU seconds or
    `out_cap` output bytes. CPU time is that process's own, from wait4, so
    load elsewhere does not count."""
    r = Run()
    start = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    sel = selectors.DefaultSelector()
    streams = {p.stdout.fileno(): 1, p.stderr.fileno(): 2}
    for f in (p.stdout, p.stderr):
        os.set_blocking(f.fileno(), False)
        sel.register(f.fileno(), selectors.EVENT_READ)
    open_fds = set(streams)
    while open_fds:
        left = timeout - (time.monotonic() - start)
        if left <= 0:
            r.killed = "killed after %.0f s" % timeout
            break
        if cpu_cap is not None and cpu_so_far(p.pid) > cpu_cap:
            r.killed = "killed past its linear allowance of %.2f s of CPU" % cpu_cap
            break
        for key, _ in sel.select(min(left, 0.1)):
            fd = key.fd
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                continue
            if not chunk:
                sel.unregister(fd)
                open_fds.discard(fd)
                continue
            s = streams[fd]
            r.out_bytes[s] += len(chunk)
            if len(r.head[s]) < KEEP:
                r.head[s] += chunk[:KEEP - len(r.head[s])]
            r.tail[s] = (r.tail[s] + chunk)[-KEEP:]
        if r.total_out() > out_cap:
            r.killed = "killed: its report passed %s (%d bytes per input byte, at least %s)" % (
                human_bytes(out_cap), OUT_CAP_PER_BYTE, human_bytes(OUT_CAP_MIN))
            break
    if r.killed:
        p.send_signal(signal.SIGKILL)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    r.wall = time.monotonic() - start
    r.rc = p.returncode
    r.cpu = usage.ru_utime + usage.ru_stime
    sel.close()
    p.stdout.close()
    p.stderr.close()
    return r


def human_bytes(n):
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return ("%d %s" if unit == "B" else "%.1f %s") % (n, unit)
        n /= 1024.0


def size_label(n):
    return "%dk" % (n // 1000) if n % 1000 == 0 else str(n)


def write_site(site, inp, n):
    body = inp.make(n)
    text = body if inp.page else FRONT_MATTER + body
    with open(os.path.join(site, "content", "p.md"), "wb") as f:
        f.write(text.encode("utf-8"))
    return len(body.encode("utf-8"))


def charter_argv(site, fmt):
    return [os.environ["CHARTER"], "check", "--site", site, "--as-of", AS_OF, "--format", fmt]


def cmark_argv(site, fmt):
    return [sys.executable, os.path.abspath(__file__), "--cmark-child",
            os.path.join(site, "content", "p.md")]


class Series:
    """The runs of one input in one report format (and site.yml), and what
    failed."""

    def __init__(self, inp, fmt, raised):
        self.inp = inp
        self.fmt = fmt
        tags = ([] if fmt == "json" else [fmt]) + (["limits raised"] if raised else [])
        self.label = inp.name + "".join(" [%s]" % t for t in tags)
        self.rows = []   # (n, input bytes, Run)
        self.failures = []
        self.known_slow_ok = False


def check_exit(series, n, r):
    if r.killed:
        return
    if r.rc not in (0, 1):
        said = (r.head[2] or r.head[1]).decode("utf-8", "replace").strip().splitlines()
        series.failures.append("exit status %d at %s: %s" % (
            r.rc, size_label(n), said[0][:300] if said else "no output"))


def run_series(inp, fmt, raised, site, sizes, argv_for, runner, known_slow, verbose):
    s = Series(inp, fmt, raised)
    with open(os.path.join(site, "site.yml"), "w") as f:
        f.write(site_yml(raised, settings=inp.settings))
    if known_slow:
        # Stopping depends on the machine's speed, so the input grows until
        # the budget stops it: a known slow input is at least quadratic, so
        # each step costs 9x the last, and a machine fast enough to finish
        # all of them would be 81x faster than the one that stopped at
        # stop_n. Finishing the largest size is the failure.
        with open(os.path.join(site, "site.yml"), "w") as f:
            f.write(site_yml(raised, KNOWN_SLOW_SECONDS, inp.settings))
        for k in KNOWN_SLOW_GROWTH:
            n = (inp.stop_n or sizes[-1]) * k
            nbytes = write_site(site, inp, n)
            r = runner(argv_for(site, fmt), KNOWN_SLOW_WAIT, cap(nbytes))
            s.rows.append((n, nbytes, r))
            report_row(s, n, nbytes, r, verbose)
            if r.killed or r.rc not in (0, 1):
                break
        text = r.text()
        if r.killed:
            s.failures.append("known slow, but not stopped by limits.page_seconds (%d s): %s"
                              % (KNOWN_SLOW_SECONDS, r.killed))
        elif r.rc != 2 or "time-limit" not in text or "content/p.md" not in text:
            s.failures.append("known slow: expected exit status 2 and a [time-limit] error naming "
                              "content/p.md by %s, got exit status %d after %.1f s of CPU%s"
                              % (size_label(n), r.rc, r.cpu, " (no longer slow? try --ignore-known-slow)"
                                 if r.rc in (0, 1) else ""))
        else:
            s.known_slow_ok = True
        return s
    prev = None
    for n in sizes:
        nbytes = write_site(site, inp, n)
        cpu_cap = None
        if prev is not None:
            # Past this much CPU the ratio has failed already: stop waiting.
            pn, pbytes, pr = prev
            cpu_cap = MAX_RATIO * nbytes / pbytes * max(pr.cpu, FLOOR)
        argv, hang = argv_for(site, fmt), max(HANG, 5 * (cpu_cap or 0))
        r = runner(argv, hang, cap(nbytes), cpu_cap)
        report_row(s, n, nbytes, r, verbose)
        if r.rc == 2 and "time-limit" in r.text() and r.cpu < PAGE_SECONDS:
            # The budget is wall time, which load stretches: stopped with less
            # CPU than the budget, the run measured the machine, not charter.
            # Time it again with a budget that load cannot reach.
            with open(os.path.join(site, "site.yml"), "w") as f:
                f.write(site_yml(raised, page_seconds=int(HANG), settings=inp.settings))
            r = runner(argv, hang, cap(nbytes), cpu_cap)
            report_row(s, n, nbytes, r, verbose, "  (again: stopped by the page budget "
                       "with less CPU than the budget, under load)")
            with open(os.path.join(site, "site.yml"), "w") as f:
                f.write(site_yml(raised, settings=inp.settings))
        s.rows.append((n, nbytes, r))
        check_exit(s, n, r)
        if r.killed:
            if prev is not None and cpu_cap is not None and r.cpu > cpu_cap:
                pn, pbytes, pr = prev
                s.failures.append("super-linear CPU time: %s->%s input x%.1f, CPU %.3f s at %s, %s at %s"
                                  % (size_label(pn), size_label(n), nbytes / pbytes, pr.cpu,
                                     size_label(pn), r.killed, size_label(n)))
            else:
                s.failures.append("%s at %s (%s of input)" % (r.killed, size_label(n), human_bytes(nbytes)))
            break
        if prev is not None:
            pn, pbytes, pr = prev
            grow = nbytes / pbytes
            cpu_ratio = max(r.cpu, FLOOR) / max(pr.cpu, FLOOR)
            if cpu_ratio > MAX_RATIO * grow:
                s.failures.append("super-linear CPU time: %s->%s input x%.1f, CPU %.3f s -> %.3f s (x%.1f, allowed x%.1f)"
                                  % (size_label(pn), size_label(n), grow, pr.cpu, r.cpu, cpu_ratio, MAX_RATIO * grow))
            out_ratio = max(r.total_out(), OUT_FLOOR) / max(pr.total_out(), OUT_FLOOR)
            if out_ratio > MAX_RATIO * grow:
                s.failures.append("super-linear report size: %s->%s input x%.1f, report %s -> %s (x%.1f)"
                                  % (size_label(pn), size_label(n), grow, human_bytes(pr.total_out()),
                                     human_bytes(r.total_out()), out_ratio))
        if n != sizes[-1] and r.cpu > SLOW_10K:
            s.failures.append("%.1f s of CPU at %s: not running %s (counted as super-linear)"
                              % (r.cpu, size_label(n), size_label(sizes[sizes.index(n) + 1])))
            break
        prev = (n, nbytes, r)
    return s


def cap(nbytes):
    return max(OUT_CAP_MIN, OUT_CAP_PER_BYTE * nbytes)


def report_row(s, n, nbytes, r, verbose, note=""):
    if not verbose:
        return
    print("    %-50s %5s %9s  cpu %7.3f s  wall %7.3f s  exit %3s  stdout %9s  stderr %9s%s%s" % (
        s.label, size_label(n), human_bytes(nbytes), r.cpu, r.wall, r.rc,
        human_bytes(r.out_bytes[1]), human_bytes(r.out_bytes[2]),
        "  " + r.killed if r.killed else "", note), flush=True)


def summary_line(s):
    times = ", ".join("%s %.3fs" % (size_label(n), r.cpu) for n, _, r in s.rows)
    if s.failures:
        return "FAIL %s (%s)\n" % (s.label, times) + "".join("       %s\n" % f for f in s.failures)
    if s.known_slow_ok:
        return "ok   %s (known slow, stopped by the page budget: %s)\n" % (s.label, times)
    return "ok   %s (%s)\n" % (s.label, times)


# --- --cmark-child: the body through libcmark-gfm alone, timed in-process ---

def cmark_child(path):
    import ctypes
    lib = ctypes.CDLL("libcmark-gfm.so.0.29.0.gfm.6")
    ext = ctypes.CDLL("libcmark-gfm-extensions.so.0.29.0.gfm.6")
    libc = ctypes.CDLL(None)
    vp = ctypes.c_void_p
    lib.cmark_parser_new.restype = vp
    lib.cmark_find_syntax_extension.restype = vp
    lib.cmark_find_syntax_extension.argtypes = [ctypes.c_char_p]
    lib.cmark_parser_attach_syntax_extension.argtypes = [vp, vp]
    lib.cmark_parser_feed.argtypes = [vp, ctypes.c_char_p, ctypes.c_size_t]
    lib.cmark_parser_finish.restype = vp
    lib.cmark_parser_finish.argtypes = [vp]
    lib.cmark_parser_get_syntax_extensions.restype = vp
    lib.cmark_parser_get_syntax_extensions.argtypes = [vp]
    lib.cmark_render_html.restype = vp
    lib.cmark_render_html.argtypes = [vp, ctypes.c_int, vp]
    lib.cmark_node_free.argtypes = [vp]
    lib.cmark_parser_free.argtypes = [vp]
    libc.free.argtypes = [vp]
    ext.cmark_gfm_core_extensions_ensure_registered()
    with open(path, "rb") as f:
        text = f.read()
    if text.startswith(FRONT_MATTER.encode()):
        text = text[len(FRONT_MATTER):]
    text = text.replace(b"\x00", "\ufffd".encode())  # as charter does before cmark-gfm
    options = (1 << 13) | (1 << 11)  # CMARK_OPT_FOOTNOTES | CMARK_OPT_GITHUB_PRE_LANG
    start = time.process_time()
    parser = lib.cmark_parser_new(options)
    for name in (b"table", b"strikethrough", b"autolink", b"tagfilter", b"tasklist"):
        lib.cmark_parser_attach_syntax_extension(parser, lib.cmark_find_syntax_extension(name))
    lib.cmark_parser_feed(parser, text, len(text))
    root = lib.cmark_parser_finish(parser)
    html = lib.cmark_render_html(root, options, lib.cmark_parser_get_syntax_extensions(parser))
    libc.free(html)
    lib.cmark_node_free(root)
    lib.cmark_parser_free(parser)
    print("cmark-cpu %.6f" % (time.process_time() - start))


def cmark_run_process(argv, timeout, out_cap, cpu_cap=None):
    # The child's own measure of the library, without Python's start-up
    # (which is why the CPU cap, counted on the whole child, is loosened).
    r = run_process(argv, timeout, out_cap, cpu_cap and cpu_cap + 1.0)
    for line in r.text().splitlines():
        if line.startswith("cmark-cpu "):
            r.cpu = float(line.split()[1])
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="comma-separated input names (see inputs.py)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every run's timings")
    ap.add_argument("--sizes", default=",".join(str(n) for n in inputs.SIZES),
                    help="repetition counts, smallest first (default %(default)s)")
    ap.add_argument("--cmark-only", action="store_true",
                    help="time the bodies through libcmark-gfm alone instead of charter")
    ap.add_argument("--ignore-known-slow", action="store_true",
                    help="run the known slow inputs through the linearity check too")
    ap.add_argument("--list", action="store_true", help="list the inputs and exit")
    ap.add_argument("--jobs", type=int, default=2,
                    help="1: run the known slow inputs after the others, not beside them")
    ap.add_argument("--cmark-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.cmark_child:
        cmark_child(args.cmark_child)
        return 0

    table = inputs.by_name()
    chosen = list(inputs.INPUTS)
    if args.only:
        names = [x for x in args.only.split(",") if x]
        unknown = [x for x in names if x not in table]
        if unknown:
            print("pathological: unknown input(s): %s (try --list)" % ", ".join(unknown), file=sys.stderr)
            return 2
        chosen = [table[x] for x in names]
    if args.list:
        for i in chosen:
            print("%-45s %-15s %s%s" % (i.name, i.cve or "-", i.source,
                                        "  [known slow]" if i.known_slow else ""))
        return 0
    sizes = [int(x) for x in args.sizes.split(",")]
    if args.cmark_only:
        argv_for, runner = cmark_argv, cmark_run_process
    else:
        if not os.environ.get("CHARTER"):
            print("pathological: set CHARTER to the charter binary", file=sys.stderr)
            return 2
        argv_for, runner = charter_argv, run_process
        # Without malloc's huge pages (generator/heap.c): with them a run's
        # CPU time depends on what the kernel has free (one input's 10k run
        # took 0.071-0.118 s, its 100k run 0.81-1.07 s), noise the ratios
        # must not see. They measure charter's parsers, not the allocator.
        kept = [t for t in os.environ.get("GLIBC_TUNABLES", "").split(":")
                if t and not t.startswith("glibc.malloc.hugetlb=")]
        os.environ["GLIBC_TUNABLES"] = ":".join(kept + ["glibc.malloc.hugetlb=0"])

    limit_memory()
    started = time.monotonic()
    # Two lanes side by side: the known slow inputs, which spend most of the
    # suite's time burning their page budget (wall time), and the rest, whose
    # CPU time (their own, from wait4) is what is measured. Each lane has a
    # site of its own and runs one charter at a time, so on two cores neither
    # measures the other; a run that load stretched into its page budget is
    # timed again (run_series). --jobs 1 runs them one after the other.
    def is_slow(inp):
        return bool(inp.known_slow) and not (args.cmark_only or args.ignore_known_slow)
    lanes = [[i for i in chosen if not is_slow(i)], [i for i in chosen if is_slow(i)]]
    if args.jobs < 2:
        lanes = [chosen]
    lock = threading.Lock()
    tally = {"failed": 0, "known": 0}

    def run_lane(lane):
        tmp = tempfile.mkdtemp(prefix="charter-pathological.")
        try:
            os.mkdir(os.path.join(tmp, "content"))
            for inp in lane:
                series = [(fmt, None) for fmt in inp.formats]
                if inp.raised_limits:
                    series.append(("json", inp.raised_limits))
                if args.cmark_only:
                    series = [("json", None)]
                slow = is_slow(inp)
                input_failed = False
                for fmt, raised in series:
                    s = run_series(inp, fmt, raised, tmp, sizes, argv_for, runner, slow, args.verbose)
                    with lock:
                        sys.stdout.write(summary_line(s))
                        sys.stdout.flush()
                    input_failed |= bool(s.failures)
                with lock:
                    tally["failed"] += input_failed
                    tally["known"] += slow
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    others = [threading.Thread(target=run_lane, args=(lane,)) for lane in lanes[1:] if lane]
    for t in others:
        t.start()
    try:
        run_lane(lanes[0])
    finally:
        for t in others:
            t.join()
    failed, known = tally["failed"], tally["known"]
    what = "cmark-gfm alone" if args.cmark_only else "pathological"
    print("%s: %d inputs, %d known slow, %d failed (%.0f s)" % (
        what, len(chosen), known, failed, time.monotonic() - started))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
