"""The migration report: per product what was converted, what was derived and from what,
and what needs a human (located); then totals. One JSON-shaped value (`build_report`),
rendered as text, Markdown or JSON; the text forms show exactly what the JSON holds."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from catalog_sync.english import plural
from catalog_sync.onboarding.files import FileMigration
from catalog_sync.onboarding.notes import NoteKind
from catalog_sync.problems import Problem
from catalog_sync.types import JSONObject

FORMAT_VERSION = 1


def build_report(
    files: Sequence[FileMigration], *, target: str, errors: Sequence[Problem] = ()
) -> JSONObject:
    """The report as plain data (the `--format json` document)."""
    entries = [_entry(item) for item in files]
    versions = Counter(e["source_version"] for e in entries if e["source_version"])
    totals = {
        "files": len(entries),
        "changed": sum(1 for e in entries if e["changed"]),
        "valid": sum(1 for e in entries if e["valid"]),
        "need_a_human": sum(1 for e in entries if not e["valid"]),
        "converted": sum(len(e["converted"]) for e in entries),
        "derived": sum(len(e["derived"]) for e in entries),
        "open_items": sum(len(e["open"]) for e in entries),
        "problems": sum(len(e["problems"]) for e in entries),
        "by_source_version": dict(sorted(versions.items())),
        "unreadable": len(errors),
    }
    return {
        "format_version": FORMAT_VERSION,
        "kind": "catalog-sync migration report",
        "target": target,
        "totals": totals,
        "files": entries,
        "errors": [_problem(p) for p in errors],
    }


def _entry(item: FileMigration) -> JSONObject:
    migration = item.migration
    notes = migration.notes if migration else ()
    open_paths = {o.path for o in item.open_items}
    return {
        "file": item.display_path,
        "productId": item.product_id,
        "source_version": migration.source_version if migration else None,
        "version_evidence": list(migration.version_evidence[:3]) if migration else [],
        "changed": bool(migration and migration.changed),
        "written": item.written,
        "valid": item.is_valid,
        "converted": [
            {"path": n.where, "message": n.message}
            for n in notes
            if n.kind is NoteKind.CONVERTED
        ],
        "derived": [
            {"path": n.where, "message": n.message, "evidence": n.evidence}
            for n in notes
            if n.kind is NoteKind.DERIVED
        ],
        "open": [
            {"line": o.line, "col": o.col, "path": o.path, "message": o.message}
            for o in item.open_items
        ],
        # Problems validate reports beyond the open items: defects kept from the source.
        "problems": [
            _problem(p) for p in item.problems if not _covered(p.path, open_paths)
        ],
    }


def _covered(path: str, open_paths: set[str]) -> bool:
    """`path` is an open item or inside one (a kept legacy field the item explains)."""
    return any(path == p or path.startswith((f"{p}.", f"{p}[")) for p in open_paths)


def _problem(problem: Problem) -> JSONObject:
    return {
        "file": problem.file,
        "line": problem.line,
        "col": problem.col,
        "path": problem.path,
        "message": problem.message,
        "hint": problem.hint,
        "code": problem.code,
    }


def _summary(report: JSONObject) -> list[str]:
    t = report["totals"]
    versions = ", ".join(f"{v.upper()} {n}" for v, n in t["by_source_version"].items())
    return [
        f"Migration to {report['target']}: {t['files']} {plural(t['files'], 'file')} "
        f"({versions or 'none'}), "
        f"{t['changed']} changed, {t['valid']} valid, {t['need_a_human']} need a human.",
        f"{t['converted']} values converted, {t['derived']} facts derived from "
        f"evidence, {t['open_items']} open items, {t['problems']} other problems, "
        f"{t['unreadable']} unreadable.",
    ]


def render_text(report: JSONObject) -> str:
    lines: list[str] = []
    for entry in report["files"]:
        if not (entry["changed"] or entry["open"] or entry["problems"]):
            continue
        lines.append(_heading(entry))
        lines.extend(
            f"  derived {d['path']}: {d['message']} (evidence: {d['evidence']})"
            for d in entry["derived"]
        )
        lines.extend(_needs(entry, prefix="  needs a human: "))
    lines.extend(_error_lines(report, prefix=""))
    return "\n".join([*lines, *([""] if lines else []), *_summary(report)]) + "\n"


def render_markdown(report: JSONObject) -> str:
    lines = ["# Migration report", "", *_summary(report), ""]
    for entry in report["files"]:
        lines += [f"## `{entry['file']}`", "", _heading(entry, markdown=True), ""]
        if entry["open"] or entry["problems"]:
            lines += ["Needs a human:", "", *_needs(entry, prefix="- "), ""]
        if entry["derived"]:
            lines += ["Derived from evidence:", ""]
            lines += [
                f"- `{d['path']}`: {d['message']} (evidence: {d['evidence']})"
                for d in entry["derived"]
            ]
            lines.append("")
        if entry["converted"]:
            lines += [
                f"<details><summary>{len(entry['converted'])} converted</summary>",
                "",
                *(f"- `{c['path']}`: {c['message']}" for c in entry["converted"]),
                "",
                "</details>",
                "",
            ]
    errors = list(_error_lines(report, prefix="- "))
    if errors:
        lines += ["## Unreadable", "", *errors, ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _heading(entry: JSONObject, *, markdown: bool = False) -> str:
    state = "valid" if entry["valid"] else "needs a human"
    if entry["source_version"] is None:  # the file did not load: nothing was migrated
        return f"Not loaded; {state}." if markdown else f"{entry['file']}: not loaded"
    source = entry["source_version"].upper()
    counts = f"{len(entry['converted'])} converted, {len(entry['derived'])} derived"
    if markdown:
        return f"productId `{entry['productId']}`, from {source}: {counts}; {state}."
    return f"{entry['file']} ({entry['productId']}, from {source}): {counts}; {state}"


def _needs(entry: JSONObject, *, prefix: str) -> list[str]:
    items = [(o["line"], o["col"], o["path"], o["message"]) for o in entry["open"]]
    items += [
        (
            p["line"],
            p["col"],
            p["path"],
            p["message"] + (f" ({p['hint']})" if p["hint"] else ""),
        )
        for p in entry["problems"]
    ]
    return [
        f"{prefix}{_at(entry['file'], line, col)}: {path}{': ' if path else ''}{message}"
        for line, col, path, message in sorted(items, key=lambda i: (i[0], i[1], i[2]))
    ]


def _error_lines(report: JSONObject, *, prefix: str) -> list[str]:
    return [
        f"{prefix}{_at(e['file'], e['line'], e['col'])}: error: {e['message']}"
        + (f" ({e['hint']})" if e.get("hint") else "")
        for e in report["errors"]
    ]


def _at(file: str, line: int, col: int) -> str:
    """`file:line:col`, or just `file` for a problem about the whole file (line 0)."""
    return f"{file}:{line}:{col}" if line > 0 else file
