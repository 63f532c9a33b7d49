#!/usr/bin/env python3
"""Side-by-side benchmark of `coursepack build` against the physical floor (`tar -cf`: every byte
read once and written once) and other packagers.

Generates the corpora with ../shared/bench/gen-course (beside the checkout), then runs every
command interleaved, RUNS rounds (default 5), and prints the median wall time, peak RSS and
output size of each, and the ratios the speed targets are stated in. Absolute times drift on
shared machines; the ratios, each the median of the rounds' own ratios, are what to compare.
Every command starts after a `sync`, so that none pays for writing back the output of the one
before.

    benches/compare.py                 # small and large corpora
    benches/compare.py --huge          # also 10,000 pages (text work only scales with pages)
    benches/compare.py --deflate-all   # also Info-ZIP deflating the media (slow)
    benches/compare.py --baseline OLD  # also another coursepack binary (a change's parent)
    RUNS=9 benches/compare.py
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen-course"
CORPORA = {
    "small": ["--modules", "5", "--pages-per-module", "10", "--media-mb", "20"],
    "large": ["--modules", "20", "--pages-per-module", "50", "--media-mb", "300"],
    "huge": ["--modules", "100", "--pages-per-module", "100", "--media-mb", "300"],
}


def run(command, cwd=None, env=None):
    """Runs a command under GNU time; returns (seconds, peak RSS in MiB). GNU time is a small
    program, so the peak RSS is the command's own, not this script's (a forked Python counts)."""
    timed = ["/usr/bin/time", "-f", "%M", "-o", "/dev/stderr", *command]
    start = time.perf_counter()
    process = subprocess.run(timed, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"failed ({process.returncode}): {' '.join(map(str, command))}\n{process.stderr.decode()}")
    return elapsed, int(process.stderr.decode().strip().splitlines()[-1]) / 1024


def size_of(path):
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def generate(work, name, layout="coursepack"):
    target = work / f"{name}-{layout}"
    if not target.exists():
        subprocess.run([sys.executable, str(GEN), str(target), "--quiet", "--layout", layout, *CORPORA[name]], check=True)
    return target


def commands(source, out, binary, mdbook_source, deflate_all, baseline):
    """name -> (command, cwd, env, output path). Each writes a fresh output under `out`."""
    single = dict(os.environ, RAYON_NUM_THREADS="1")
    table = {
        "tar -cf": (["tar", "-cf", str(out / "tree.tar"), "-C", str(source), "."], None, None, out / "tree.tar"),
        "zip -6 -n media": (["zip", "-r", "-q", "-6", "-n", ".png:.jpg:.mp4:.pdf", str(out / "info-n.zip"), "."], source, None, out / "info-n.zip"),
        "coursepack": ([str(binary), "build", str(source), "-o", str(out / "cp"), "-q"], None, None, out / "cp"),
        "coursepack 1 thread": ([str(binary), "build", str(source), "-o", str(out / "cp1"), "-q"], None, single, out / "cp1"),
        "coursepack check": ([str(binary), "check", str(source), "-q"], None, None, None),
    }
    if baseline is not None:
        table["baseline"] = ([str(baseline), "build", str(source), "-o", str(out / "base"), "-q"], None, None, out / "base")
        table["baseline check"] = ([str(baseline), "check", str(source), "-q"], None, None, None)
    if deflate_all:
        table["zip -6"] = (["zip", "-r", "-q", "-6", str(out / "info.zip"), "."], source, None, out / "info.zip")
    if mdbook_source is not None:
        table["mdbook build + zip"] = (
            ["sh", "-c", f"mdbook build -d {out / 'book'} {mdbook_source} >/dev/null 2>&1 && cd {out / 'book'} && zip -r -q {out / 'book.zip'} ."],
            None, None, out / "book.zip",
        )
    return table


def bench(name, work, binary, rounds, deflate_all, baseline):
    source = generate(work, name)
    mdbook_source = generate(work, name, "mdbook") if shutil.which("mdbook") else None
    results = {}
    for round in range(rounds):
        out = Path(tempfile.mkdtemp(dir=work))
        for label, (command, cwd, env, output) in commands(source, out, binary, mdbook_source, deflate_all, baseline).items():
            # Each command starts with nothing left to write back from the one before: the
            # kernel flushing the last 300 MB output takes CPU from whichever command runs
            # next, which costs a command using both cores more than a single-threaded one.
            os.sync()
            seconds, rss = run(command, cwd, env)
            size = size_of(output) if output is not None else 0
            results.setdefault(label, []).append((seconds, rss, size))
        if round == 0:
            same_content = info_zip_of_package(out / "cp", out)
            if sorted(p.read_bytes() for p in (out / "cp").glob("*.zip")) != sorted(p.read_bytes() for p in (out / "cp1").glob("*.zip")):
                sys.exit(f"{name}: the packages built with all cores and with one differ")
        shutil.rmtree(out)
    medians = {label: tuple(statistics.median(v[i] for v in runs) for i in range(3)) for label, runs in results.items()}
    print(f"\n{name} corpus ({source.name}), medians of {rounds} interleaved rounds")
    print(f"  {'command':<22} {'wall':>9} {'peak RSS':>10} {'output':>11}")
    for label, (seconds, rss, size) in medians.items():
        shown = f"{size / 2**20:8.1f} MiB" if size else "-"
        print(f"  {label:<22} {seconds:8.3f}s {rss:7.1f} MiB {shown:>11}")
    def ratio(label, reference):
        """The median of each round's own ratio: a round's commands run back to back, so the
        machine's drift between rounds (up to 1.7x on shared machines) cancels out."""
        return statistics.median(a[0] / b[0] for a, b in zip(results[label], results[reference]))

    # The targets are set for the 1,000-page corpus; elsewhere the ratios are for reading.
    def target(text):
        return f"  (target {text})" if name == "large" else ""

    print(f"  coursepack / tar -cf          = {ratio('coursepack', 'tar -cf'):.2f}{target('<= 1.5')}")
    print(f"  coursepack / zip -6 -n media  = {ratio('coursepack', 'zip -6 -n media'):.2f}{target('<= 0.25')}")
    print(f"  1 thread / tar -cf            = {ratio('coursepack 1 thread', 'tar -cf'):.2f}")
    if baseline is not None:
        print(f"  coursepack / baseline         = {ratio('coursepack', 'baseline'):.2f}")
        print(f"  check / baseline check        = {ratio('coursepack check', 'baseline check'):.2f}{target('<= 1.10')}")
    print(f"  coursepack peak RSS           = {medians['coursepack'][1]:.1f} MiB{target('<= 64')}")
    print("  packages built with all cores and with one: byte-identical")
    print(f"  zip size, the same files (the package unpacked) through zip -6 -n media: "
          f"coursepack {medians['coursepack'][2]:,} B, Info-ZIP {same_content:,} B")
    return medians


def info_zip_of_package(packages, out):
    """The size Info-ZIP gives the package's own files (rendered pages, run-time assets, media):
    the like-for-like size comparison, since the source corpus holds Markdown, not HTML."""
    package = next(packages.glob("*.zip"))
    unpacked = out / "unpacked"
    subprocess.run(["unzip", "-q", str(package), "-d", str(unpacked)], check=True)
    rezipped = out / "rezipped.zip"
    subprocess.run(["zip", "-r", "-q", "-6", "-n", ".png:.jpg:.mp4:.pdf", str(rezipped), "."], cwd=unpacked, check=True)
    return rezipped.stat().st_size


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--huge", action="store_true", help="also the 10,000-page corpus")
    parser.add_argument("--deflate-all", action="store_true", help="also Info-ZIP deflating the media")
    parser.add_argument("--baseline", type=Path, help="another coursepack binary to time alongside")
    parser.add_argument("--work", type=Path, help="folder for corpora and outputs (kept between runs)")
    args = parser.parse_args()
    rounds = int(os.environ.get("RUNS", "5"))
    if not GEN.exists():
        sys.exit(f"{GEN} not found: the benchmark corpora come from shared/bench/gen-course beside the checkout")
    for tool, package in [("zip", "zip"), ("unzip", "unzip"), ("cargo", "cargo"), ("/usr/bin/time", "time")]:
        if not shutil.which(tool):
            sys.exit(f"{tool} is required (apt-get install {package})")
    subprocess.run(["cargo", "build", "--profile", "dist", "--quiet"], cwd=ROOT, check=True)
    binary = ROOT / "target" / "dist" / "coursepack"
    work = args.work or Path(tempfile.mkdtemp(prefix="coursepack-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    names = ["small", "large"] + (["huge"] if args.huge else [])
    medians = {name: bench(name, work, binary, rounds, args.deflate_all, args.baseline) for name in names}
    small = medians["small"]["coursepack"][0]
    print(f"\nsmall corpus build: {small * 1000:.0f} ms (target <= 50 ms)")
    if "huge" in medians:
        ratio = medians["huge"]["coursepack check"][0] / medians["large"]["coursepack check"][0]
        print(f"text work, 10,000 vs 1,000 pages (check): {ratio:.1f}x (target <= 12)")
    large = medians["large"]
    print(f"large corpus zip size: coursepack {large['coursepack'][2] / 2**20:.1f} MiB vs Info-ZIP -6 -n {large['zip -6 -n media'][2] / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
