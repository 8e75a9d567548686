"""The PDF stage's work queue: jobs by priority, handed to worker processes a few at a time.

Jobs wait here rather than in the pool, so that an urgent job (a merge) still overtakes the
many body parts queued before it; only ``BACKLOG`` jobs are in the pool at any time.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import heapq
import itertools
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from typing import Any

logger = logging.getLogger("workbook")

BACKLOG = 48
"""Jobs handed to the pool ahead of time: enough to keep the workers busy while this
process lays out the next workbook, few enough that a merge waits little for its turn."""
MERGE, UNBLOCK, BODY = 0, 1, 2  # job priorities, most urgent first
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


class _Inline(Executor):
    """An executor that runs each job at once, in this process."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        future: Future[object] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as problem:  # handed over like a pool would
            future.set_exception(problem)
        return future


def _die_with_parent(parent: int | None) -> None:
    """Have the kernel kill this worker when the process that started it ends, however it
    ends (even by SIGKILL, which leaves no chance to stop the pool); Linux only.

    The signal comes when the thread that started the worker ends: workers are started by
    the thread that submits the first job, the main thread of a build. ``parent`` is the pid
    the worker should have as parent (None when it is not known, as with a fork server): if
    it already has another one, the build died before the signal was armed.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return
    if armed and parent is not None and os.getppid() != parent:
        os._exit(1)


def _init_worker(level: int, parent: int | None) -> None:
    _die_with_parent(parent)
    # What the worker inherits (the whole content model) is never garbage: keep the
    # collector from walking it again on every collection, which grows with the content.
    gc.freeze()
    if not logger.handlers:  # a spawned (not forked) process: log like the parent
        from generator import log

        log.configure()
        logger.setLevel(level)


@contextlib.contextmanager
def workers(jobs: int) -> Iterator[Executor]:
    """``jobs`` worker processes, or this process alone for one job."""
    if jobs <= 1:
        yield _Inline()
        return
    context = multiprocessing.get_context()
    # Workers are children of this process, except with a fork server (its children).
    parent = None if context.get_start_method() == "forkserver" else os.getpid()
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_init_worker,
        initargs=(logger.level, parent),
    ) as pool:
        yield pool


class JobQueue:
    """Jobs by (priority, rank, arrival); ``finished`` yields (kind, item, result)."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self.waiting: list[tuple[int, int, int, str, Any, Callable[..., Any], tuple[Any, ...]]] = []
        self.order = itertools.count()
        self.running: dict[Future[Any], tuple[str, Any]] = {}

    def __len__(self) -> int:
        return len(self.waiting) + len(self.running)

    def has_enough(self) -> bool:
        """Enough jobs waiting or running to keep the workers busy for a while."""
        return len(self) >= 2 * BACKLOG

    def push(
        self, priority: int, rank: int, kind: str, item: Any, job: Callable[..., Any], *args: Any
    ) -> None:
        heapq.heappush(self.waiting, (priority, rank, next(self.order), kind, item, job, args))

    def pump(self) -> None:
        """Hand the most urgent jobs to the workers, up to ``BACKLOG`` at a time."""
        while self.waiting and len(self.running) < BACKLOG:
            *_, kind, item, job, args = heapq.heappop(self.waiting)
            self.running[self.executor.submit(job, *args)] = (kind, item)

    def finished(self) -> Iterator[tuple[str, Any, Any]]:
        """Wait for at least one job to end; yield each ended one (its error is raised)."""
        self.pump()
        done, _ = wait(list(self.running), return_when=FIRST_COMPLETED)
        for future in done:
            kind, item = self.running.pop(future)
            yield kind, item, future.result()
