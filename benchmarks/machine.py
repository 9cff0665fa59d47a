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
