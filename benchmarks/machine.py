"""What the benchmarks report about the machine they ran on, and peak memory."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import resource
from pathlib import Path


def maxrss_mib() -> float:
    """This process's own resident-set high-water mark, in MiB.

    Linux's ``VmHWM`` where there is one. ``ru_maxrss`` is no good for a spawned child:
    Linux carries the parent's high-water mark over the fork and the exec, so a child
    started by a process holding 300 MiB reports at least 300 MiB, whatever it uses.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, bytes on macOS


def machine(*packages: str) -> dict:
    """CPU, memory, Python and the versions of ``packages`` (those installed)."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0")
    versions = {}
    for package in packages:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return {"cpus": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)), "cpu_model": cpu,
            "memory_gib": round(int(memory) / 2**20, 1), "python": platform.python_version(),
            "platform": platform.platform(), **versions}


class ProcessTreePeak:
    """The peak memory of this process and its worker processes together, sampled.

    Each process's proportional set size (``Pss`` in ``/proc/<pid>/smaps_rollup``: a
    page shared by n processes counts 1/n in each) summed over this process and its
    descendants, every ``interval`` seconds on a thread, the highest sum kept. Summing
    resident sets instead would count the catalogue's pages, which forked workers
    share with the build's process, once per process. Linux only (``peak_mib`` is None
    elsewhere); a peak shorter than the interval can be missed.
    """

    def __init__(self, interval: float = 0.1, *, enabled: bool = True) -> None:
        import threading

        self.enabled = enabled
        self.interval = interval
        self.peak_mib: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ProcessTreePeak:
        if self.enabled and Path("/proc/self/smaps_rollup").exists():
            self.peak_mib = 0.0
            self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        if self._thread.is_alive():
            self._stop.set()
            self._thread.join()

    def _sample(self) -> None:
        while True:
            self.peak_mib = max(self.peak_mib or 0.0, _tree_pss_mib(os.getpid()))
            if self._stop.wait(self.interval):
                return


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                # "pid (name) state ppid ...": the name may hold spaces and parentheses
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _tree_pss_mib(pid: int) -> float:
    total_kib = 0
    waiting = [pid]
    while waiting:
        current = waiting.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kib += int(line.split()[1])
                    break
        except OSError:  # it ended meanwhile
            continue
        waiting += _children(current)
    return total_kib / 1024
