"""`make bench`: the portal under load, against the static-file ceiling and
against Datasette serving the same exhibits.

For each size (the real fixtures plus N synthetic records) it builds a
database, starts two gunicorn servers as `make serve` does (2 workers each;
one with the page cache off, "cold", one with it on, "warm"), and Datasette
twice on an export of the exhibits (defaults; tuned: immutable `-i` and
`--setting suggest_facets off`). Then, interleaved so that drift on a shared
machine hits every page alike, wrk measures each page for --duration
seconds at --connections connections: requests per second, p50 and p99
latency, the ratio to the static file, and afterwards each worker's RSS.

    make bench                                # SQLite, 1,000 and 100,000 records
    make bench BENCH_ARGS="--database postgres --postgres-url postgres://postgres@127.0.0.1:5432/bench"
    make bench BENCH_ARGS="--smoke"           # 60 records, 1-second runs: checks the pieces work

Needs wrk on PATH. Datasette is installed into bench/.venv (ignored by git;
not a project dependency) the first time. Synthetic data goes only into the
benchmark's own databases (--workdir, or the PostgreSQL database given).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
BENCH_VENV = ROOT / "bench" / ".venv"
DATASETTE_VERSION = "0.65.5"
SEARCH_WORD = "检测"  # a two-character word: "inspection"
# The servers run as in production, behind a TLS-terminating load balancer
# that says so in X-Forwarded-Proto; without it every page is a redirect to
# https (SECURE_SSL_REDIRECT), and the benchmark would measure redirects.
FORWARDED_PROTO = "https"


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass
class Target:
    label: str
    server: str
    url: str
    results: list[Result] = field(default_factory=list)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx itself comes back, as wrk would see it


NO_REDIRECTS = urllib.request.build_opener(_NoRedirects)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# wrk


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(output: str) -> Result:
    """Requests/sec, the 50% and 99% latencies, and failed requests from
    `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(n) for n in match.groups())
    return Result(rps, p50, p99, errors)


def wrk(url: str, duration: float, connections: int, threads: int) -> Result:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        "--timeout",
        "30s",
        "-H",
        "Accept-Encoding: gzip",
        "-H",
        f"X-Forwarded-Proto: {FORWARDED_PROTO}",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


# --------------------------------------------------------------------------
# Processes


def manage(env: dict, *args: str) -> str:
    return run_python(env, "manage.py", *args)


def run_python(env: dict, *args: str) -> str:
    """The project's Python on `args` (a script or `-m module`), from the
    checkout's root; exits with its output if it fails."""
    result = subprocess.run([str(PYTHON), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # As servers do: connections closed a moment ago must not hold the port.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{url}: the server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    sys.exit(f"{url} did not answer within {seconds} s")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


class Servers:
    def __init__(self) -> None:
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict, health_url: str) -> None:
        log(f"starting {name}: {' '.join(command)}")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        self.processes[name] = process
        wait_until_up(health_url, process)

    def memory(self) -> dict[str, list[float]]:
        """RSS of each gunicorn worker (the master forks them) or of the
        Datasette process."""
        memory = {}
        for name, process in self.processes.items():
            pids = children(process.pid) if name.startswith("portal") else [process.pid]
            memory[name] = [rss_mb(pid) for pid in pids]
        return memory

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def ensure_datasette() -> Path:
    datasette = BENCH_VENV / "bin" / "datasette"
    if not datasette.exists():
        log(f"installing datasette=={DATASETTE_VERSION} into {BENCH_VENV} (benchmark only)")
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(BENCH_VENV / "bin" / "pip"), "install", "--quiet", f"datasette=={DATASETTE_VERSION}"], check=True
        )
    return datasette


# --------------------------------------------------------------------------
# One size


def build_database(env: dict, records: int, marker: Path, reuse: bool) -> None:
    if reuse and marker.exists() and marker.read_text() == str(records):
        log(f"reusing the database with {records} synthetic records")
        return
    log(f"building the database: migrate, the fixtures, {records} synthetic records")
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_portal_data")
    run_python(env, "-m", "bench.synthetic", "--records", str(records))
    marker.write_text(str(records))
    log(f"built in {time.monotonic() - started:.0f} s")


def pick_urls(env: dict) -> dict[str, str]:
    """The pages measured: an exhibit from the middle of the list (a
    synthetic one), the first exhibit from the reports with a sector and an
    area (whose few neighbours sit among the synthetic ones: the detail page
    visitors read most), the most common kind for the filtered list, the
    first hashed CSS file."""
    script = (
        "import json\n"
        "from django.db.models import Count\n"
        "from exhibits.models import Exhibit, ExhibitKind\n"
        "ids = Exhibit.objects.published().order_by('order', 'slug').values_list('id', 'slug')\n"
        "middle = ids[ids.count() // 2]\n"
        "real = ids.exclude(slug__startswith='synthetic-').exclude(sectors=None).exclude(area=None).first()\n"
        "kind = ExhibitKind.objects.published().annotate(n=Count('exhibits')).order_by('-n').first()\n"
        "print(json.dumps({'id': middle[0], 'slug': middle[1], 'real_slug': real[1], 'kind': kind.slug}))\n"
    )
    picked = json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    css = next(hashed for name, hashed in manifest["paths"].items() if name.endswith(".css"))
    return picked | {"css": f"/static/{css}"}


def chosen(target: Target, only: str | None) -> bool:
    """Whether --only's regular expression finds the page's label or server
    ("detail.*cold|row page.*tuned": the cold details and Datasette's tuned
    row page)."""
    return only is None or re.search(only, f"{target.label} {target.server}") is not None


def measure_size(args: argparse.Namespace, records: int) -> tuple[list[Target], dict, dict]:
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": f"bench-{uuid.uuid4().hex}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        # The benchmark compares with the writer reading, as measured before.
        "ALLOW_WRITER_READS": os.environ.get("ALLOW_WRITER_READS", "true"),
    }
    env.pop("DATABASE_REPLICA_URL", None)
    if args.database == "postgres":
        env["DATABASE_URL"] = args.postgres_url
        env["DATABASE_POOL"] = "true"
        marker = workdir / f"{urllib.parse.urlparse(args.postgres_url).path.strip('/')}.records"
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / f'portal-{records}.sqlite3'}"
        marker = workdir / f"portal-{records}.records"
    build_database(env, records, marker, args.reuse)
    manage(env, "collectstatic", "--noinput", "-v0")
    urls = pick_urls(env)
    exported = workdir / f"exhibits-{records}.sqlite3"
    if not args.no_datasette:
        log(f"exporting exhibits for datasette to {exported}")
        subprocess.run([str(PYTHON), "-m", "bench.export_datasette", str(exported)], cwd=ROOT, env=env, check=True)

    base = args.port
    ports = {"portal-cold": base, "portal-warm": base + 1, "datasette": base + 2, "datasette-tuned": base + 3}
    busy = [port for port in ports.values() if not port_is_free(port)]
    if busy:
        sys.exit(f"ports {busy} are in use; pick others with --port")
    servers = Servers()
    gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "shell.wsgi:application", "-c", "shell/gunicorn_conf.py"]
    server_env = env | {"GUNICORN_WORKERS": str(args.workers), "GUNICORN_THREADS": "1"}
    if args.redis_url:
        server_env |= {"REDIS_URL": args.redis_url, "CACHE_KEY_PREFIX": f"bench-{uuid.uuid4().hex}"}
    search = urllib.parse.quote(SEARCH_WORD)
    pages = [
        ("home", "/"),
        ("exhibit list", "/exhibits/"),
        ("exhibit list, filtered", f"/exhibits/?kind={urls['kind']}"),
        ("exhibit detail", f"/exhibits/{urls['slug']}/"),
        ("exhibit detail, from the reports", f"/exhibits/{urls['real_slug']}/"),
        ("craftsmen", "/craftsmen/"),
        (f"search {SEARCH_WORD}", f"/search/?q={search}"),
    ]
    # The static file is always measured: every other figure is read against it.
    targets = [Target("static file (whitenoise)", "portal-warm", urls["css"])]
    for label, path in pages:
        for server in ("portal-cold", "portal-warm"):
            targets.append(Target(label, server, path))
    if not args.no_datasette:
        table = exported.stem
        for server in ("datasette", "datasette-tuned"):
            targets += [
                Target("Datasette table page", server, f"/{table}/exhibits"),
                Target("Datasette row page", server, f"/{table}/exhibits/{urls['id']}"),
                Target(f"Datasette search {SEARCH_WORD}", server, f"/{table}/exhibits?_search={search}"),
            ]
    targets = targets[:1] + [target for target in targets[1:] if chosen(target, args.only)]
    needed = {target.server for target in targets}

    try:
        for name, cache_seconds in (("portal-cold", "0"), ("portal-warm", "3600")):
            if name not in needed:
                continue
            port = ports[name]
            servers.start(
                name,
                gunicorn,
                server_env | {"PORT": str(port), "PAGE_CACHE_SECONDS": cache_seconds},
                f"http://127.0.0.1:{port}/healthz",
            )
        if not args.no_datasette:
            datasette = str(ensure_datasette())
            db = str(exported)
            common = ["--host", "127.0.0.1", "--setting", "sql_time_limit_ms", "10000"]
            tuned = ["-i", db, "--setting", "suggest_facets", "off"]
            for name, extra in (("datasette", [db]), ("datasette-tuned", tuned)):
                if name not in needed:
                    continue
                port = ports[name]
                servers.start(
                    name,
                    [datasette, "serve", *extra, "-p", str(port), *common],
                    os.environ | {"PATH": f"{BENCH_VENV / 'bin'}:{os.environ['PATH']}"},
                    f"http://127.0.0.1:{port}/-/versions.json",
                )

        for target in targets:
            target.url = f"http://127.0.0.1:{ports[target.server]}{target.url}"
            # As wrk asks; a redirect (the header missing or ignored) fails here.
            warm_up = urllib.request.Request(
                target.url, headers={"Accept-Encoding": "gzip", "X-Forwarded-Proto": FORWARDED_PROTO}
            )
            try:
                with NO_REDIRECTS.open(warm_up, timeout=120) as response:  # warm-up, and a check it answers
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            if status != 200:
                sys.exit(f"{target.url} answered {status}, not 200")

        for round_number in range(args.rounds):
            log(f"round {round_number + 1} of {args.rounds}: {len(targets)} measurements of {args.duration} s")
            for target in targets:
                target.results.append(wrk(target.url, args.duration, args.connections, args.threads))
                # Requests still queued when wrk stops would slow the next page
                # measured on this server: wait until it answers again.
                health = "/-/versions.json" if target.server.startswith("datasette") else "/healthz"
                wait_until_up(f"http://127.0.0.1:{ports[target.server]}{health}", servers.processes[target.server], 300)
        memory = servers.memory()
    finally:
        servers.stop()
    return targets, memory, urls


# --------------------------------------------------------------------------
# Report


def summarise(target: Target) -> Result:
    """The median of the rounds, by throughput."""
    ordered = sorted(target.results, key=lambda r: r.requests_per_second)
    return ordered[len(ordered) // 2] if len(ordered) % 2 else ordered[len(ordered) // 2 - 1]


def table(targets: list[Target], memory: dict, records: int, args: argparse.Namespace) -> str:
    ceiling = summarise(targets[0]).requests_per_second
    lines = [
        f"#### {args.database}, fixtures + {records:,} synthetic records",
        "",
        f"wrk, {args.connections} connections, {args.duration} s per measurement, {args.rounds} round(s); "
        f"gunicorn {args.workers} sync workers per server"
        + (", page cache in Redis" if args.redis_url else ", page cache in process memory"),
        "",
        "| page | server | req/s | p50 ms | p99 ms | % of static | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for target in targets:
        result = summarise(target)
        lines.append(
            f"| {target.label} | {target.server} | {result.requests_per_second:,.0f} | {result.p50_ms:.1f} "
            f"| {result.p99_ms:.1f} | {100 * result.requests_per_second / ceiling:.0f}% | {result.errors} |"
        )
    lines += [
        "",
        "Resident memory after the run (MB): "
        + "; ".join(f"{name} {', '.join(f'{mb:.0f}' for mb in values)}" for name, values in memory.items()),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000", help="synthetic record counts, comma-separated")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--workdir", default="/tmp/portal-bench", help="where the SQLite files and exports go")
    parser.add_argument("--duration", type=float, default=5, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds; the median is reported")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8150)), help="first of 4 ports")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL"), help="page cache in Redis")
    parser.add_argument("--reuse", action="store_true", help="keep a database already built at the same size")
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument(
        "--only",
        help="a regular expression: measure only the pages whose 'label server' it finds "
        "(the static file is always measured; servers with nothing to measure are not started)",
    )
    parser.add_argument("--smoke", action="store_true", help="60 records, 1-second runs: check the pieces work")
    parser.add_argument("--output", help="also write the tables to this file")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.duration, args.rounds = "60", 1, 1
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (apt-get install wrk)")
    if not PYTHON.exists():
        sys.exit("run `make` first: .venv is missing")

    tables = []
    for records in (int(size) for size in args.sizes.split(",")):
        targets, memory, _ = measure_size(args, records)
        tables.append(table(targets, memory, records, args))
        print(tables[-1] + "\n", flush=True)
    if args.output:
        Path(args.output).write_text("\n\n".join(tables) + "\n")


if __name__ == "__main__":
    main()
