"""``make bench``: every benchmark, each next to its baseline, then one table of ratios.

    .venv/bin/python -m bench.run_all            # about 5 minutes on 2 cores
    BENCH_SCALE=2 .venv/bin/python -m bench.run_all   # longer runs, more messages

Each benchmark prints its own table as it finishes; the last table gathers the ratios and
the goals they are read against. Nothing here fails on a missed goal: these are
measurements, not tests.
"""

from __future__ import annotations

import sys
import time

from bench import footprint, intake_write, morning_burst, pipeline, scheduler_scale
from bench.common import REDIS_URL, SCALE, exit_on_sigterm, machine, table


def _say(text: str) -> None:
    print(f"--> {text}", file=sys.stderr, flush=True)


def ratios(intake: dict, pipe: dict, scale: dict, burst: dict) -> str:
    lat = pipe["latency"]
    claim = scale["claim"]
    sizes = sorted(claim)
    rows = [
        [
            "intake POST /clients, req/s",
            intake["intake"]["rps"],
            intake["baseline"]["rps"],
            intake["ratio"],
            ">= 0.6",
            intake["ratio"] >= 0.6,
        ],
        [
            "intake POST /clients, req/s: per-client keys vs deployment key only",
            intake["intake"]["rps"],
            intake["intake_deployment_key"]["rps"],
            intake["ratio_client_keys"],
            "(reported)",
            "",
        ],
        [
            "event pipeline, admissions -> welcome sent per s vs no-op tasks per s",
            pipe["throughput"]["events_per_s"],
            pipe["noop"]["per_s"],
            pipe["ratio"],
            ">= 0.5",
            pipe["ratio"] >= 0.5,
        ],
        [
            f"admission -> welcome sent at {pipeline.RATE:g}/s, p50 ms",
            lat["p50_ms"],
            "",
            "",
            "< 100",
            lat["p50_ms"] < 100,
        ],
        [
            f"admission -> welcome sent at {pipeline.RATE:g}/s, p99 ms",
            lat["p99_ms"],
            "",
            "",
            "< 1000",
            lat["p99_ms"] < 1000,
        ],
    ]
    for small, big in zip(sizes, sizes[1:], strict=False):
        growth = claim[big]["seconds"] / claim[small]["seconds"]
        heap = claim[big]["heap_peak_mib"] / claim[small]["heap_peak_mib"]
        step = big / small
        rows.append(
            [
                f"claim_due time, {big:,} / {small:,} messages",
                claim[big]["seconds"],
                claim[small]["seconds"],
                growth,
                f"~{step:g} (linear)",
                growth <= step * 1.3,
            ]
        )
        rows.append(
            [
                f"claim_due heap peak, {big:,} / {small:,} messages",
                claim[big]["heap_peak_mib"],
                claim[small]["heap_peak_mib"],
                heap,
                "~1 (flat)",
                heap <= 1.3,
            ]
        )
    burst_sizes = sorted(burst["sizes"])
    small = burst["sizes"][burst_sizes[0]]
    rows.append(
        [
            f"morning burst, {burst_sizes[0]:,} due messages sent per s vs bare Celery task per s",
            small["project"]["per_s"],
            small["baseline"]["per_s"],
            small["ratio"],
            ">= 0.5",
            small["ratio"] >= 0.5,
        ]
    )
    if len(burst_sizes) > 1:
        big = burst["sizes"][burst_sizes[-1]]
        rss = big["project"]["rss_peak_mib"] / small["project"]["rss_peak_mib"]
        rows.append(
            [
                f"morning burst worker RSS peak, {burst_sizes[-1]:,} / {burst_sizes[0]:,}",
                big["project"]["rss_peak_mib"],
                small["project"]["rss_peak_mib"],
                rss,
                "~1 (flat)",
                rss <= 1.3,
            ]
        )
    fp = pipe["footprint"]
    pss_idle, pss_peak = fp["idle"]["_pss"] / 1024, fp["peak"]["_pss"] / 1024
    rows += [
        ["`pendamping run` PSS MiB, idle", pss_idle, "", "", "<= 600", pss_idle <= 600],
        [
            "`pendamping run` PSS MiB, peak under admission load / idle",
            pss_peak,
            pss_idle,
            pss_peak / pss_idle,
            "<= 1.1",
            pss_peak / pss_idle <= 1.1,
        ],
    ]
    suite_ms = pipeline.suite_cpu_ms_per_admission(pipe["throughput"])
    rows.append(
        [
            "CPU ms per admission, every process of the suite (request to welcome sent)",
            suite_ms,
            "",
            "",
            "<= 10",
            suite_ms <= 10,
        ]
    )
    noop_ms = pipe["noop"]["cpu_ms_per_task"]
    rows.append(
        [
            "CPU per admission / CPU per no-op Celery task (the machine's pace divided out)",
            suite_ms,
            noop_ms,
            suite_ms / noop_ms,
            "(reported)",
            "",
        ]
    )
    rows = [[*row[:5], {True: "yes", False: "NO", "": ""}[row[5]]] for row in rows]
    return table(
        "Ratios (project vs baseline, same machine, same run)",
        ["measure", "project", "baseline / smaller", "ratio", "goal", "met"],
        rows,
    )


def main() -> None:
    exit_on_sigterm()
    started = time.monotonic()
    print(f"Pendamping benchmarks: {machine()}, BENCH_SCALE={SCALE:g}, Redis {REDIS_URL}\n")
    _say("1/4 intake write path (about 65 s)")
    intake = intake_write.run()
    print(intake_write.render(intake), flush=True)
    _say("2/4 event pipeline and footprint (about 90 s)")
    pipe = pipeline.run(footprint=True)
    print(pipeline.render(pipe), flush=True)
    print(footprint.render(pipe["footprint"]), flush=True)
    _say("3/4 scheduler scale (about 40 s)")
    scale = scheduler_scale.run()
    print(scheduler_scale.render(scale), flush=True)
    # the burst's smaller size only: 100,000 messages drain for many minutes (run
    # `python -m bench.morning_burst` for both sizes and the memory between them)
    _say("4/4 morning burst (about 3 minutes)")
    burst = morning_burst.run(morning_burst.SIZES[:1])
    print(morning_burst.render(burst), flush=True)
    print(ratios(intake, pipe, scale, burst))
    print(f"(all benchmarks: {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
