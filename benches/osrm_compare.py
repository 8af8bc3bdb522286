#!/usr/bin/env python3
"""Side by side with OSRM on the same 1000 points: `python3 benches/osrm_compare.py`.

Needs the OSRM binaries of the PyPI wheel `osrm-bindings` 26.10.0 (osrm-extract, osrm-contract,
osrm-routed and the car profile): the script downloads the wheel with pip into
target/osrm/ when it is missing. Prints preprocessing time (OSRM extract + contract vs
`aidmap region build`) and the 1000x1000 duration+distance table (OSRM's HTTP table vs
`aidmap route matrix`, both as JSON, both including their own start-up).
Not part of `make test` (it downloads); a benchmark to run by hand.
"""
import glob, json, os, random, subprocess, sys, time, urllib.request, zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "osrm")
AIDMAP = os.path.join(ROOT, "target", "release", "aidmap")
os.makedirs(WORK, exist_ok=True)


def osrm_bin():
    base = os.path.join(WORK, "wheel", "osrm")
    if not os.path.exists(os.path.join(base, "bin", "osrm-routed")):
        subprocess.run([sys.executable, "-m", "pip", "download", "osrm-bindings==26.10.0", "--no-deps",
                        "--only-binary=:all:", "--python-version", "3.12", "--platform",
                        "manylinux_2_28_x86_64", "-d", WORK], check=True)
        whl = glob.glob(os.path.join(WORK, "osrm_bindings-26.10.0-*.whl"))[0]
        zipfile.ZipFile(whl).extractall(os.path.join(WORK, "wheel"))
        for f in glob.glob(os.path.join(base, "bin", "*")):
            os.chmod(f, 0o755)
    return base


def timed(cmd, **kw):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def main():
    if not os.path.exists(AIDMAP):
        subprocess.run(["cargo", "build", "--release", "-p", "aidmap", "--bin", "aidmap"], check=True, cwd=ROOT)
    base = osrm_bin()
    for name in ["monaco", "helsinki"]:
        pbf = os.path.join(ROOT, "src", "demo" if name == "monaco" else "tests/fixtures", f"{name}.osm.pbf")
        osrm_pbf = os.path.join(WORK, f"{name}.osm.pbf")
        subprocess.run(["cp", pbf, osrm_pbf], check=True)
        extract = timed([os.path.join(base, "bin", "osrm-extract"), "-p", os.path.join(base, "share", "profiles", "car.lua"), osrm_pbf])
        contract = timed([os.path.join(base, "bin", "osrm-contract"), os.path.join(WORK, f"{name}.osrm")])
        region = os.path.join(WORK, f"{name}.region")
        if os.path.exists(region):
            os.remove(region)
        ours_build = timed([AIDMAP, "region", "build", pbf, "--out", region])
        info = json.loads(subprocess.run([AIDMAP, "region", "info", region], capture_output=True, check=True).stdout)
        (a, b, c, d) = info["bounds"]
        random.seed(7)
        pts = [(a + random.random() * (c - a), b + random.random() * (d - b)) for _ in range(1000)]
        csv = os.path.join(WORK, f"{name}-points.csv")
        with open(csv, "w") as f:
            f.write("id,lat,lon\n" + "".join(f"p{i},{lat:.6f},{lon:.6f}\n" for i, (lat, lon) in enumerate(pts)))
        port = 5055
        routed = subprocess.Popen([os.path.join(base, "bin", "osrm-routed"), "--algorithm", "ch", "--max-table-size", "2000",
                                   "-p", str(port), os.path.join(WORK, f"{name}.osrm")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/table/v1/driving/" + ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in pts) \
                + "?annotations=duration,distance"
            for _ in range(50):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/nearest/v1/driving/{pts[0][1]},{pts[0][0]}")
                    break
                except Exception:
                    time.sleep(0.1)
            osrm_times = []
            for _ in range(3):
                t = time.perf_counter()
                body = urllib.request.urlopen(url).read()
                osrm_times.append(time.perf_counter() - t)
            assert json.loads(body)["code"] == "Ok"
        finally:
            routed.terminate()
        ours_times = [timed([AIDMAP, "route", "matrix", "--region", region, "--points", csv]) for _ in range(3)]
        o, m = min(osrm_times), min(ours_times)
        print(f"== {name}: preprocessing OSRM extract+contract {1000*(extract+contract):.0f} ms, "
              f"aidmap region build {1000*ours_build:.0f} ms (routing + address search)")
        print(f"   1000x1000 table (durations + distances, JSON): OSRM HTTP {1000*o:.0f} ms, "
              f"aidmap CLI {1000*m:.0f} ms (incl. process start and pack open): {o/m:.1f}x")


if __name__ == "__main__":
    main()
