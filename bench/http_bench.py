"""HTTP benchmark of the caseload and resident pages at region size, served by gunicorn.

    .venv/bin/python bench/http_bench.py [--size region|city] [--seconds 15] [--connections 10] [--fresh]

What it does:
1. Prepares a PostgreSQL database (127.0.0.1:5432, user postgres) named meedoen_bench_<size>, migrated and
   seeded with the deterministic demo of that size. It is kept between runs (``--fresh`` builds it again),
   because seeding the region (≈100,000 residents) takes a few minutes.
2. Starts gunicorn with the normal settings (DEBUG off, processing log on) on 127.0.0.1:8011.
3. Logs in as the demo klantmanager of Apeldoorn (a session with a verified second factor).
4. Drives each URL with wrk (Debian's ``wrk``; 2 threads, N connections) and reads p50/p95 and requests/s:
   a bare Django JSON view (``/health``, the floor), the caseload page, a caseload search over the whole
   domain, a resident page, and the live language check (``POST /taalcheck/``, as the htmx form sends it
   while someone types) of a 300-word note and of a 2,000-word text.
5. Writes the figures into bench/results/latest.json (merged with other benchmarks' figures).

Targets (issue "resident file"): p95 ≤ 50 ms for both pages at 10 concurrent users, and throughput ≥ 20% of
the bare floor. Issue "shared language": the live check answers within 100 ms p95.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
PORT = 8011
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT p50_us=%d p95_us=%d requests=%d seconds=%f errors=%d non2xx=%d\\n",
    latency:percentile(50), latency:percentile(95), summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1")
# Django accepts a 32-character secret in the CSRF cookie with the same value in the X-CSRFToken header.
CSRF_TOKEN = "benchbenchbenchbenchbenchbench12"


def post_script(body: str) -> str:
    """A wrk script that POSTs ``body`` as a form, with the CSRF cookie and header the htmx form sends."""
    return (
        f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["X-CSRFToken"] = "{CSRF_TOKEN}"\n'
        'wrk.headers["HX-Request"] = "true"\n'
    )


def check_text(words: int) -> str:
    """The form body of a live check of a ``words``-word note (the language benchmark's text)."""
    from urllib.parse import urlencode

    sys.path.insert(0, str(ROOT))
    from bench.language_bench import text_of

    return urlencode({"veld": "tekst", "tekst": text_of(words, random.Random(words))})


def database_url(size: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/meedoen_bench_{size}"


def prepare_database(size: str, fresh: bool) -> None:
    import psycopg

    name = f"meedoen_bench_{size}"
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": database_url(size),
        "DJANGO_SETTINGS_MODULE": "meedoen.settings.base",
    }
    meedoen = str(ROOT / ".venv" / "bin" / "meedoen")
    subprocess.run([meedoen, "migrate", "--verbosity", "0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([meedoen, "seed", "--size", size], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"database ready ({time.perf_counter() - started:.0f} s to seed or check)")


def session_for(size: str, **membership: str) -> tuple[str, object]:
    """A session cookie for the Apeldoorn membership that ``membership`` selects (``user__username=...`` or
    ``role=...``), logged in with a second factor as after a real login, and the membership."""
    os.environ["DATABASE_URL"] = database_url(size)
    os.environ["DJANGO_SETTINGS_MODULE"] = "meedoen.settings.base"
    os.environ["REDIS_URL"] = REDIS_URL
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from meedoen.accounts.middleware import SESSION_KEY as MEMBERSHIP_KEY
    from meedoen.accounts.models import Membership

    found = Membership.objects.select_related("user", "municipality").get(
        municipality__slug="apeldoorn", **membership
    )
    user = found.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[MEMBERSHIP_KEY] = str(found.pk)
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key or "", found


def make_session(size: str) -> tuple[str, str]:
    """A session cookie for the demo klantmanager of Apeldoorn, and one resident id in their caseload."""
    cookie, membership = session_for(size, user__username="km.apeldoorn")
    from meedoen.residents.models import Resident

    resident = Resident.objects.filter(caseworker_work=membership.user).order_by("family_name").first()  # type: ignore[attr-defined]
    assert resident is not None
    return cookie, str(resident.pk)


def start_server(size: str, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(size),
        "DJANGO_SETTINGS_MODULE": "meedoen.settings.base",
        "DEBUG": "false",
        "REDIS_URL": REDIS_URL,
    }
    env.pop("MEEDOEN_DEMO_MODE", None)
    command = [
        str(ROOT / ".venv" / "bin" / "python"), "-m", "gunicorn", "meedoen.wsgi:application",
        "--bind", f"127.0.0.1:{PORT}", "--workers", str(workers), "--log-level", "warning",
        *(["--worker-class", "gthread", "--threads", str(threads)] if threads else ["--worker-class=sync"]),
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health", timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    stop_server(server)
    raise RuntimeError("gunicorn did not start")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=20)


def _cookies(cookie: str, body: str | None) -> str:
    return f"sessionid={cookie}" + (f"; csrftoken={CSRF_TOKEN}" if body is not None else "")


def check_page(url: str, cookie: str, body: str | None = None) -> None:
    headers = {"Cookie": _cookies(cookie, body)}
    if body is not None:
        headers |= {"X-CSRFToken": CSRF_TOKEN, "Content-Type": "application/x-www-form-urlencoded"}
    data = body.encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        text = response.read().decode()
        if response.status != 200 or "Inloggen bij Meedoen" in text:
            raise RuntimeError(f"{url} did not render the page for the logged-in caseworker")
        if body is not None and "B1" not in text:
            raise RuntimeError(f"{url} did not answer with the language check")


def run_wrk(
    url: str, cookie: str | None, seconds: int, connections: int, body: str | None = None
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write((post_script(body) if body is not None else "") + WRK_SCRIPT)
    try:
        result = subprocess.run(
            [
                "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", script.name,
                *(["-H", f"Cookie: {_cookies(cookie, body)}"] if cookie else []), url,
            ],
            capture_output=True, text=True, check=True, timeout=seconds + 30,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    match = re.search(
        r"RESULT p50_us=(\d+) p95_us=(\d+) requests=(\d+) seconds=([\d.]+) errors=(\d+) non2xx=(\d+)",
        result.stdout,
    )
    if not match:
        raise RuntimeError(f"could not read wrk's output:\n{result.stdout}\n{result.stderr}")
    p50, p95, requests, duration, errors, non2xx = match.groups()
    if int(errors) or int(non2xx):
        raise RuntimeError(f"{url}: {errors} connection errors and {non2xx} non-2xx answers")
    return {"p50_ms": int(p50) / 1000, "p95_ms": int(p95) / 1000, "rps": int(requests) / float(duration)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", choices=["small", "city", "region"], default="region")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=10)
    # As `meedoen serve` runs: one sync worker per core plus one (the reasons are in default_workers).
    from meedoen.web.management.commands.serve import default_workers

    parser.add_argument("--workers", type=int, default=int(default_workers()))
    parser.add_argument(
        "--threads", type=int, default=0, help="gunicorn's gthread worker with this many threads (0: sync)"
    )
    parser.add_argument("--only", nargs="*", help="measure only these (bare_json is always measured)")
    parser.add_argument("--fresh", action="store_true", help="drop and seed the bench database again")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed for this benchmark: apt-get install wrk")

    prepare_database(args.size, args.fresh)
    cookie, resident_id = make_session(args.size)
    server = start_server(args.size, args.workers, args.threads)
    base = f"http://127.0.0.1:{PORT}"
    targets = {
        "bare_json": f"{base}/health",  # the floor: no session, no database
        "bare_json_logged_in": f"{base}/health",  # the same view behind session, user, 2FA and membership
        "caseload_page": f"{base}/inwoners/",
        "caseload_search_domain": f"{base}/inwoners/?alle=1&zoek=jan",
        "resident_page": f"{base}/inwoners/{resident_id}/",
        "live_language_check_300_words": f"{base}/taalcheck/",
        "live_language_check_2000_words": f"{base}/taalcheck/",
    }
    bodies = {
        "live_language_check_300_words": check_text(300),
        "live_language_check_2000_words": check_text(2000),
    }
    if args.only:
        targets = {name: url for name, url in targets.items() if name == "bare_json" or name in args.only}
    figures: dict[str, dict[str, float]] = {}
    try:
        for name, url in targets.items():
            session = None if name == "bare_json" else cookie
            body = bodies.get(name)
            if not name.startswith("bare_json"):
                check_page(url, cookie, body)
            run_wrk(url, session, 3, args.connections, body)  # warm up
            figures[name] = run_wrk(url, session, args.seconds, args.connections, body)
    finally:
        stop_server(server)

    floor = figures["bare_json"]["rps"]
    kind = (
        f"{args.workers} gthread workers × {args.threads} threads"
        if args.threads
        else f"{args.workers} sync workers"
    )
    setup = f"gunicorn ({kind}), PostgreSQL, {args.size}, {args.connections} connections"
    print(f"\nHTTP, {setup}")
    print(f"{'page':<26}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}{'of floor':>10}")
    results: dict[str, dict[str, float | str]] = {}
    for name, f in figures.items():
        share = f["rps"] / floor * 100
        print(f"{name:<26}{f['p50_ms']:>9.1f}{f['p95_ms']:>9.1f}{f['rps']:>9.0f}{share:>9.0f}%")
        results[f"http_{args.size}_{name}_p50"] = {"value": round(f["p50_ms"], 2), "unit": "ms"}
        results[f"http_{args.size}_{name}_p95"] = {"value": round(f["p95_ms"], 2), "unit": "ms"}
        results[f"http_{args.size}_{name}_rps"] = {"value": round(f["rps"], 1), "unit": "req/s"}
        if name != "bare_json":
            results[f"http_{args.size}_{name}_share_of_floor"] = {"value": round(share, 1), "unit": "%"}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    merged = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged.update(results)
    RESULTS.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
