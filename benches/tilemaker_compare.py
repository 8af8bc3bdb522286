#!/usr/bin/env python3
"""Side by side with tilemaker: `python3 benches/tilemaker_compare.py`.

Times Debian's `tilemaker` (2.2) making vector tiles alone, z10-15, with a profile carrying the
same layers and features as Aidmap's tiles (benches/tilemaker/), against the *whole* Aidmap
pack build (`aidmap region build`: read, road graph, contraction order, address index, tiles,
write). Median of 3 runs each, wall time including process start-up. Needs `tilemaker`
(`apt-get install tilemaker`) and a release build of `aidmap` (built when missing).
Not part of `make test`; a benchmark to run by hand.
"""
import json, os, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AIDMAP = os.path.join(ROOT, "target", "release", "aidmap")
PROFILE = os.path.join(ROOT, "benches", "tilemaker")


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    if not shutil.which("tilemaker"):
        sys.exit("tilemaker is not installed: apt-get install tilemaker")
    if not os.path.exists(AIDMAP):
        subprocess.run(["cargo", "build", "--release", "-p", "aidmap", "--bin", "aidmap"], check=True, cwd=ROOT)
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "tilemaker"], capture_output=True, text=True).stdout
    print(f"tilemaker {version} (tiles only, z10-15) vs aidmap region build (whole pack), median of 3 runs\n")
    print(f"{'extract':10} {'tilemaker s':>12} {'tiles':>6} {'aidmap s':>9} {'tiles':>6} {'pack MB':>8} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as work:
        for name in ["monaco", "helsinki"]:
            pbf = os.path.join(ROOT, "src", "demo" if name == "monaco" else "tests/fixtures", f"{name}.osm.pbf")
            mbtiles = os.path.join(work, f"{name}.mbtiles")
            region = os.path.join(work, f"{name}.region")
            tm, am = [], []
            for _ in range(3):
                for f in (mbtiles, region):
                    if os.path.exists(f):
                        os.remove(f)
                try:
                    tm.append(timed(["tilemaker", "--input", pbf, "--output", mbtiles, "--config",
                                     os.path.join(PROFILE, "config.json"), "--process",
                                     os.path.join(PROFILE, "process.lua"), "--skip-integrity"]))
                except subprocess.CalledProcessError as e:
                    tm.append(None)  # e.g. the clipped Helsinki extract: aborts on a missing node
                am.append(timed([AIDMAP, "region", "build", pbf, "--out", region]))
            ok = [x for x in tm if x is not None]
            tm_tiles = sqlite3.connect(mbtiles).execute("SELECT count(*) FROM tiles").fetchone()[0] if ok else 0
            info = subprocess.run([AIDMAP, "region", "info", region], capture_output=True, text=True, check=True).stdout
            info = json.loads(info)
            a = statistics.median(am)
            size = os.path.getsize(region) / 1e6
            if ok:
                t = statistics.median(ok)
                print(f"{name:10} {t:12.3f} {tm_tiles:6d} {a:9.3f} {info['tiles']:6d} {size:8.2f} {t / a:5.1f}x")
            else:
                print(f"{name:10} {'failed':>12} {'-':>6} {a:9.3f} {info['tiles']:6d} {size:8.2f}    -")
                print(f"{'':10} (tilemaker aborted: the extract has ways whose nodes it lacks)")


if __name__ == "__main__":
    main()
