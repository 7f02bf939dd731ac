"""Benchmark 4, footprint: resident memory of the ``pendamping run`` process tree, idle and
under the admission load of the pipeline benchmark.

RSS is ``VmRSS`` from ``/proc/<pid>/status``, summed over the runner and every descendant
(the runner starts each component in its own process group, so the tree is followed by
parent id). Shared pages (forked Celery and gunicorn children share their parent's code)
count once per process in that sum, so PSS (``/proc/<pid>/smaps_rollup``, shared pages
divided among their sharers) is given beside it.

    .venv/bin/python -m bench.footprint
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from bench.common import exit_on_sigterm, table

# cmdline fragment -> component name, first match wins
COMPONENTS = [
    ("ops.embedded_web", "web: 3 APIs and console (one gunicorn)"),
    ("services.intake.app", "intake API (gunicorn)"),
    ("services.assessment.app", "assessment API (gunicorn)"),
    ("services.notifications.app", "notifications API (gunicorn)"),
    ("services.console.app", "staff console (gunicorn)"),
    ("services.intake.worker", "intake worker (celery)"),
    ("services.assessment.worker", "assessment worker (celery)"),
    ("services.notifications.worker", "notifications worker (celery)"),
    ("ops.scheduler", "scheduler (celery beat)"),
    ("redis-server", "redis (embedded)"),
    ("pendamping", "runner (pendamping run)"),
]


def _read(pid: int, name: str) -> str:
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def children_by_parent() -> dict[int, list[int]]:
    """Each live process's children, from ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _read(int(entry.name), "stat")
            if stat:
                # the command name may hold spaces and parentheses: split after the last ')'
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
    return children


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants that are alive now."""
    children = children_by_parent()
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def rss_kib(pid: int) -> int:
    for line in _read(pid, "status").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0  # gone, or a zombie


def component(pid: int) -> str:
    cmdline = _read(pid, "cmdline").replace("\0", " ")
    for fragment, name in COMPONENTS:
        if fragment in cmdline:
            return name
    return "other"


def pss_kib(pid: int) -> int:
    """Proportional set size: shared pages divided among the processes sharing them."""
    for line in _read(pid, "smaps_rollup").splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def snapshot(root: int) -> dict[str, int]:
    """KiB of RSS per component, plus the tree's total PSS and number of processes."""
    tree = process_tree(root)
    by_component: dict[str, int] = {}
    for pid in tree:
        name = component(pid)
        by_component[name] = by_component.get(name, 0) + rss_kib(pid)
    by_component["_processes"] = len(tree)
    by_component["_pss"] = sum(pss_kib(pid) for pid in tree)
    return by_component


def cpu_seconds(root: int) -> dict[str, float]:
    """CPU seconds (user + system) used so far, per component of the tree."""
    tick = os.sysconf("SC_CLK_TCK")
    by_component: dict[str, float] = {}
    for pid in process_tree(root):
        stat = _read(pid, "stat")
        if stat:
            fields = stat.rsplit(")", 1)[1].split()
            used = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            name = component(pid)
            by_component[name] = by_component.get(name, 0.0) + used
    return by_component


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    tick = os.sysconf("SC_CLK_TCK")
    line = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    values = [int(v) for v in line[:8]]  # user nice system idle iowait irq softirq steal
    idle = values[3] + values[4]
    return (sum(values) - idle) / tick, sum(values) / tick


class Sampler:
    """Samples the tree's memory every ``interval`` seconds on a thread until stopped (a
    sample costs about 25 ms of CPU, taken from the machine being measured: keep it rare)."""

    def __init__(self, root: int, interval: float = 1.0):
        self.root, self.interval = root, interval
        self.samples: list[dict[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(snapshot(self.root))
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def total(sample: dict[str, int]) -> int:
    return sum(v for k, v in sample.items() if not k.startswith("_"))


def idle(root: int, seconds: float = 5) -> tuple[dict[str, int], float]:
    """The tree at rest: the largest of a few RSS samples over ``seconds``, and the CPU
    cores it kept busy meanwhile (the scheduler's sweeps run every second)."""
    samples = []
    cpu_before, started = sum(cpu_seconds(root).values()), time.monotonic()
    while time.monotonic() - started < seconds:
        samples.append(snapshot(root))
        time.sleep(1)
    cores = (sum(cpu_seconds(root).values()) - cpu_before) / (time.monotonic() - started)
    return max(samples, key=total), cores


def summarise(idle_result: tuple[dict[str, int], float], load_samples: list[dict]) -> dict:
    idle_sample, idle_cores = idle_result
    peak = max(load_samples, key=total)
    return {
        "idle_cores": idle_cores,
        "idle": idle_sample,
        "peak": peak,
        "idle_mib": total(idle_sample) / 1024,
        "peak_mib": total(peak) / 1024,
        "mean_mib": sum(map(total, load_samples)) / len(load_samples) / 1024,
        "samples": len(load_samples),
    }


def render(result: dict) -> str:
    idle_s, peak_s = result["idle"], result["peak"]
    known = [name for _, name in COMPONENTS]
    names = [name for name in [*known, "other"] if name in idle_s or name in peak_s]
    rows = [[n, idle_s.get(n, 0) / 1024, peak_s.get(n, 0) / 1024] for n in names]
    rows.append(
        [
            f"total ({idle_s['_processes']} / {peak_s['_processes']} processes)",
            result["idle_mib"],
            result["peak_mib"],
        ]
    )
    rows.append(["ratio peak under load / idle", "", result["peak_mib"] / result["idle_mib"]])
    rows.append(
        ["total PSS (shared pages counted once)", idle_s["_pss"] / 1024, peak_s["_pss"] / 1024]
    )
    rows.append(["CPU used while idle (sweeps every second), cores", result["idle_cores"], ""])
    return table(
        f"Footprint of `pendamping run`: RSS in MiB, idle and at the peak of the admission "
        f"load ({result['samples']} samples, mean under load {result['mean_mib']:.1f} MiB)",
        ["component", "idle MiB", "under load MiB"],
        rows,
    )


def main() -> None:
    exit_on_sigterm()
    from bench import pipeline

    result = pipeline.run(footprint=True, baseline=False, latency_run=False)
    print(render(result["footprint"]))


if __name__ == "__main__":
    main()
