"""PDF workers end with the build that started them, however it ends (even by SIGKILL)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.pdf import jobs
from tests.conftest import bank_yaml, exercise_yaml, write_content

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG is Linux's"
)
DEADLINE = 60.0  # seconds for the build to start its workers (the site comes first)
GRACE = 5.0  # seconds for the killed build's workers to disappear


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()  # after "pid (command)", which may hold spaces
    return fields[0], int(fields[1])


def _cmdline(pid: int) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            stat = _stat(int(entry))
            if stat is not None and stat[1] == parent:
                found.append(int(entry))
    return found


def _alive(pid: int, cmdline: bytes) -> bool:
    """Whether ``pid`` is still the worker it was (not gone, not a zombie, not reused)."""
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z" and _cmdline(pid) == cmdline


def test_killed_build_leaves_no_worker(tmp_path: Path) -> None:
    banks = {
        name: bank_yaml(name, [exercise_yaml(f"{name}-{index}") for index in range(4)])
        for name in ("alpha", "beta")
    }
    content = write_content(tmp_path / "content", banks=banks)
    command = [sys.executable, "-m", "generator", "build", "--quiet", "--jobs", "2", "--no-cache"]
    command += ["--content", str(content), "--out", str(tmp_path / "site")]
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        build_cmdline = None
        workers: list[int] = []
        deadline = time.monotonic() + DEADLINE
        while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
            build_cmdline = build_cmdline or _cmdline(build.pid)
            # Forked workers share the build's command line; mkdocs and Pagefind do not.
            workers = [pid for pid in _children(build.pid) if _cmdline(pid) == build_cmdline]
            time.sleep(0.01)
        assert len(workers) == 2, "the build ended before its PDF workers were seen"
        assert build_cmdline is not None
        build.send_signal(signal.SIGKILL)
        build.wait()
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        assert build.stderr is not None
        build.stderr.close()
    assert build.returncode == -signal.SIGKILL
    deadline = time.monotonic() + GRACE
    while any(_alive(pid, build_cmdline) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.02)
    left = [pid for pid in workers if _alive(pid, build_cmdline)]
    for pid in left:  # do not leave them running for good, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []


def _orphan(parent: int) -> None:
    jobs._die_with_parent(parent)


def test_worker_whose_parent_already_changed_exits() -> None:
    """A worker that finds another parent than the one it was started by exits at once."""
    context = multiprocessing.get_context("fork")
    process = context.Process(target=_orphan, args=(os.getpid() + 1_000_000,))
    process.start()
    process.join(timeout=30)
    assert process.exitcode == 1


def test_worker_with_its_parent_goes_on() -> None:
    context = multiprocessing.get_context("fork")
    process = context.Process(target=_orphan, args=(os.getpid(),))
    process.start()
    process.join(timeout=30)
    assert process.exitcode == 0
