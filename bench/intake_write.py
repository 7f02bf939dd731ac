"""Benchmark 1, the intake write path: ``POST /clients`` on intake vs a bare Flask endpoint.

All run under gunicorn with the same settings (2 workers x 4 threads) on SQLite files in a
temp dir, and are driven by the same closed-loop generator (``CONNECTIONS`` keep-alive
connections, each sending its next request when the last one answered). The servers run
side by side and are loaded in turns (baseline, intake, intake on the deployment key,
then again), so a machine that slows down during the run slows all of them.

The third server is intake without per-client keys (``bench/intake_deployment_key_app.py``:
the same app, its key store detached), so the run also shows what a client's own key costs
a registration.

    .venv/bin/python -m bench.intake_write
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.common import (
    BIN,
    REDIS_URL,
    Http,
    closed_loop,
    dev_env,
    ensure_redis,
    exit_on_sigterm,
    flush_bench_redis,
    free_port,
    percentile,
    scaled,
    start,
    stop,
    table,
    wait_http,
)

CONNECTIONS = 8
GUNICORN = ["--workers", "2", "--threads", "4", "--log-level", "warning"]
ROUNDS = 2
FOUNDATION = "bench-intake"

FIRST = ["Budi", "Andi", "Siti", "Rahmat", "Dewi", "Agus", "Putri", "Yusuf", "Rina", "Joko"]
LAST = ["Santoso", "Wijaya", "Siregar", "Nasution", "Lubis", "Harahap", "Sinaga", "Tanjung"]
SUBSTANCES = ["methamphetamine", "cannabis", "alcohol", "heroin", "ecstasy"]


def client_body(rng) -> dict:
    """A realistic registration: identity, use history, referral, one family contact who
    may be messaged, and the client's consent. NIK and birth date vary per request."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return {
        "full_name": f"{first} {rng.choice(FIRST)} {last}",
        "nik": "".join(rng.choice("0123456789") for _ in range(16)),
        "date_of_birth": f"{rng.randint(1970, 2004)}-{rng.randint(1, 12):02d}-"
        f"{rng.randint(1, 28):02d}",
        "sex": rng.choice(["male", "female"]),
        "phone": f"0812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        "address": f"Jl. Sei Batang Hari {rng.randint(1, 200)}, Medan",
        "primary_substances": rng.sample(SUBSTANCES, 2),
        "use_duration_months": rng.randint(1, 120),
        "route_of_use": "smoked",
        "referral": {"source": "family", "compulsory": False},
        "family_contacts": [
            {
                "name": rng.choice(FIRST),
                "relationship": "mother",
                "phone": f"0813-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                "channel": "sms",
                "may_contact": True,
            }
        ],
        "consent": {"contact_family": True, "share_progress": False, "given_by": "client"},
    }


INTAKE_APP = "services.intake.app:create_app()"
DEPLOYMENT_KEY_APP = "bench.intake_deployment_key_app:create_app()"


def _start_intake(
    tmp: Path, app: str = INTAKE_APP, name: str = "intake"
) -> tuple[object, int, str]:
    from ops.migrations import upgrade
    from shared.auth import issue_token
    from shared.settings import load_settings

    url = f"sqlite:///{tmp / (name + '.sqlite')}"
    env = dev_env(tmp, INTAKE_DATABASE_URL=url)
    settings = load_settings(env)  # generates the dev secrets under tmp
    upgrade("intake", url)
    port = free_port()
    process = start(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            *GUNICORN,
            app,
        ],
        env,
        tmp / f"{name}.log",
    )
    wait_http(port)
    operator = issue_token(settings.secret_key, sub="bench", role="operator")
    status, body = Http(port, operator).call(
        "POST", "/foundations", {"slug": FOUNDATION, "name": "Yayasan Bench"}
    )
    assert status == 201, (status, body)
    token = issue_token(
        settings.secret_key,
        sub="sw-bench",
        role="social_worker",
        foundation=FOUNDATION,
        ttl_seconds=3600,
    )
    return process, port, token


def _start_baseline(tmp: Path) -> tuple[object, int]:
    from bench.baseline_app import init_db

    url = f"sqlite:///{tmp / 'baseline.sqlite'}"
    init_db(url)
    port = free_port()
    process = start(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            *GUNICORN,
            "bench.baseline_app:create_app()",
        ],
        dev_env(tmp, BASELINE_DATABASE_URL=url),
        tmp / "baseline.log",
    )
    wait_http(port)
    return process, port


def _merge(runs: list[dict], seconds: float) -> dict:
    """Rounds summed: requests over total measured time; percentiles of all latencies."""
    latencies = [x for run in runs for x in run["latencies"]]
    statuses: dict[int, int] = {}
    for run in runs:
        for code, count in run["statuses"].items():
            statuses[code] = statuses.get(code, 0) + count
    return {
        "requests": len(latencies),
        "rps": len(latencies) / (seconds * len(runs)),
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "statuses": statuses,
    }


def run() -> dict:
    seconds = scaled(8)  # per round and per server
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as name:
        tmp = Path(name)
        redis_process = ensure_redis(tmp)
        flush_bench_redis()
        processes = []
        try:
            intake, intake_port, token = _start_intake(tmp)
            processes.append(intake)
            plain, plain_port, plain_token = _start_intake(
                tmp, DEPLOYMENT_KEY_APP, "intake-deployment-key"
            )
            processes.append(plain)
            baseline, baseline_port = _start_baseline(tmp)
            processes.append(baseline)
            results: dict[str, list[dict]] = {k: [] for k in SERVERS}
            for _ in range(ROUNDS):
                for name_, port, tok in (
                    ("baseline", baseline_port, None),
                    ("intake", intake_port, token),
                    ("intake_deployment_key", plain_port, plain_token),
                ):
                    results[name_].append(
                        closed_loop(
                            port,
                            "/clients",
                            client_body,
                            token=tok,
                            connections=CONNECTIONS,
                            seconds=seconds,
                            warmup=1.5,
                        )
                    )
        finally:
            for process in processes:
                stop(process)
            flush_bench_redis()  # the events intake published to nobody
            if redis_process is not None:
                stop(redis_process)
    merged = {k: _merge(v, seconds) for k, v in results.items()}
    rps = {k: merged[k]["rps"] for k in SERVERS}
    merged["ratio"] = rps["intake"] / rps["baseline"]
    merged["ratio_deployment_key"] = rps["intake_deployment_key"] / rps["baseline"]
    merged["ratio_client_keys"] = rps["intake"] / rps["intake_deployment_key"]
    merged["seconds"] = seconds * ROUNDS
    return merged


SERVERS = {
    "baseline": "bare Flask + marshmallow + SQLAlchemy",
    "intake": "intake POST /clients (per-client keys)",
    "intake_deployment_key": "intake POST /clients, deployment key only",
}


def render(result: dict) -> str:
    rows = []
    for key, label in SERVERS.items():
        r = result[key]
        ok = sum(c for s, c in r["statuses"].items() if 200 <= s < 300)
        rows.append([label, r["requests"], ok, r["rps"], r["p50_ms"], r["p99_ms"]])
    rows.append(["ratio intake / baseline (goal >= 0.6)", "", "", result["ratio"], "", ""])
    rows.append(
        [
            "ratio intake, deployment key only / baseline",
            "",
            "",
            result["ratio_deployment_key"],
            "",
            "",
        ]
    )
    rows.append(
        [
            "ratio per-client keys / deployment key only",
            "",
            "",
            result["ratio_client_keys"],
            "",
            "",
        ]
    )
    return table(
        f"Intake write path: {CONNECTIONS} keep-alive connections, gunicorn 2x4, "
        f"{result['seconds']} s measured per server (Redis {REDIS_URL})",
        ["server", "requests", "2xx", "req/s", "p50 ms", "p99 ms"],
        rows,
    )


def main() -> None:
    exit_on_sigterm()
    print(render(run()))


if __name__ == "__main__":
    main()
