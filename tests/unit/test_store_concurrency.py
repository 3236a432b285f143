"""Several processes opening a fresh state database at once: one creates it, none fails."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from followup.store import Store


def _open(path: str, barrier: object, errors: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    try:
        store = Store(Path(path))
        store.stage_records()
        store.close()
    except Exception as exc:
        errors.put(repr(exc))  # type: ignore[attr-defined]


def test_processes_that_create_the_database_at_the_same_moment_all_succeed(
    tmp_path: Path,
) -> None:
    ctx = multiprocessing.get_context("fork")
    failures: list[str] = []
    for round_ in range(8):
        path = tmp_path / f"round{round_}" / "state.sqlite3"
        barrier = ctx.Barrier(6)
        errors = ctx.Queue()
        procs = [ctx.Process(target=_open, args=(str(path), barrier, errors)) for _ in range(6)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(60)
        while not errors.empty():
            failures.append(errors.get())
    assert failures == []
