"""Read a saved plan file as untrusted input: only a regular file under a size cap is
opened and read (never a device such as /dev/zero, a FIFO that would block, or a file
that would exhaust memory), then parsed and checked by `plan_from_json`."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from catalog_sync.errors import PlanFormatError
from catalog_sync.plan.plan import Plan
from catalog_sync.plan.planfile import plan_from_json

# A plan of 1,000 updates is about 35 MB; this allows some 30,000 before refusing.
MAX_PLAN_FILE_BYTES = 1 << 30
_SAVE_HINT = "save a plan with `catalog-sync plan --out FILE` and pass that file"


def read_plan_file(path: Path, *, max_bytes: int = MAX_PLAN_FILE_BYTES) -> Plan:
    """The plan saved in `path`; PlanFormatError (naming the file) if it cannot be used."""
    text = _read_text(path, max_bytes)
    try:
        return plan_from_json(text)
    except PlanFormatError as exc:
        raise PlanFormatError(f"{path}: {exc.message}", hint=exc.hint) from exc


def _read_text(path: Path, max_bytes: int) -> str:
    # O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a
    # writer; fstat then refuses it like any other file that is not regular.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise PlanFormatError(
            f"{path}: cannot read the plan file: {exc.strerror or exc}"
        ) from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise PlanFormatError(
            f"{path}: cannot read the plan file: it is not a regular file",
            hint=_SAVE_HINT,
        )
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > max_bytes:
            raise PlanFormatError(_too_large(path, info.st_size, max_bytes))
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew after fstat, or is one of /proc's size-0 files
        raise PlanFormatError(_too_large(path, len(data), max_bytes))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanFormatError(
            f"{path}: cannot read the plan file: it is not UTF-8 text", hint=_SAVE_HINT
        ) from exc


def _too_large(path: Path, size: int, cap: int) -> str:
    return (
        f"{path}: {size:,} bytes is larger than any plan file catalog-sync reads "
        f"({cap:,} bytes); it was not read"
    )
