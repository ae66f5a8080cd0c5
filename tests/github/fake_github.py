"""A fake GitHub REST API on loopback (stdlib http.server in a thread): comments,
issues, pulls, Link-header pagination, a request ledger and a per-test fault script;
for the apply workflow also branches, compare, deployments, workflow runs and artifacts
(downloaded through a redirect to a credential-free blob URL, as on GitHub)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import unquote
from urllib.parse import urlencode
from urllib.parse import urlsplit

TOKEN = "ghs_fake_token_0123456789"
REPO = "bank/catalog"
BOT = {"login": "github-actions[bot]", "type": "Bot"}  # who TOKEN writes as
STRANGER = {"login": "mallory", "type": "User"}


@dataclass
class Fault:
    """Answer the next `times` requests matching method and path regex with this."""

    method: str
    path: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    times: int = 1


@dataclass
class State:
    """Everything the fake server knows; tests read and seed it directly."""

    base_url: str = ""
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)
    commit_pulls: dict[str, list[int]] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)  # main's commits, oldest first
    deployments: list[dict[str, Any]] = field(default_factory=list)
    statuses: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)
    artifacts: dict[int, tuple[dict[str, Any], bytes]] = field(default_factory=dict)
    blob_auth_headers: list[str] = field(default_factory=list)
    commit_statuses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    events: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    permissions: dict[str, str] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    ledger: list[tuple[str, str]] = field(default_factory=list)
    next_id: int = 1000
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_comment(
        self, issue: int, body: str, user: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """A comment, by the token's own bot account unless `user` says otherwise."""
        self.next_id += 1
        comment = {
            "id": self.next_id,
            "body": body,
            "user": dict(user or BOT),
            "html_url": f"https://github.test/{REPO}/issues/{issue}#c{self.next_id}",
        }
        self.comments.setdefault(issue, []).append(comment)
        return comment

    def add_issue(self, **fields: Any) -> dict[str, Any]:
        number = fields.pop("number", max([0, *self.issues, *self.pulls]) + 1)
        issue = {
            "number": number,
            "state": "open",
            "labels": [],
            "body": "",
            "title": "",
            "html_url": f"https://github.test/{REPO}/issues/{number}",
            "user": dict(BOT),
            **fields,
        }
        self.issues[number] = issue
        return issue

    def requests(self, method: str) -> list[str]:
        return [path for verb, path in self.ledger if verb == method]


class _Handler(BaseHTTPRequestHandler):
    state: State

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read the ledger instead."""

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        split = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(split.query).items()}
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        with self.state.lock:
            self.state.ledger.append((method, split.path))
            fault = self._take_fault(method, split.path)
        if fault is not None:
            self._send(fault.status, fault.body, fault.headers)
            return
        if split.path.startswith("/blob/"):  # pre-signed storage: no credentials
            self._blob(split.path)
            return
        if self.headers.get("authorization") != f"Bearer {TOKEN}":
            self._send(401, {"message": "Bad credentials"})
            return
        body = json.loads(raw) if raw else None
        with self.state.lock:
            status, payload, headers = _route(
                self.state, method, split.path, query, body
            )
        self._send(status, payload, headers)

    def _blob(self, path: str) -> None:
        if self.headers.get("authorization"):
            self.state.blob_auth_headers.append(path)
            self._send(400, {"message": "storage refuses an Authorization header"})
            return
        found = self.state.artifacts.get(int(path.rsplit("/", 1)[1]))
        if found is None:
            self._send(404, {"message": "Not Found"})
            return
        self._send(200, found[1])

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.state.faults:
            if fault.method == method and re.fullmatch(fault.path, path):
                fault.times -= 1
                if fault.times <= 0:
                    self.state.faults.remove(fault)
                return fault
        return None

    def _send(
        self, status: int, payload: Any, headers: dict[str, str] | None = None
    ) -> None:
        if isinstance(payload, bytes):  # a fault's body sent as it is, e.g. not JSON
            data = payload
        else:
            data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


def _route(
    state: State, method: str, path: str, query: dict[str, str], body: Any
) -> tuple[int, Any, dict[str, str]]:
    prefix = f"/repos/{REPO}"
    if not path.startswith(prefix + "/"):
        return 404, {"message": "Not Found"}, {}
    rest = path[len(prefix) :]
    if match := re.fullmatch(r"/issues/(\d+)/comments", rest):
        number = int(match.group(1))
        if number not in state.issues and number not in state.pulls:
            return 404, {"message": "Not Found"}, {}
        if method == "GET":
            return _page(state, path, query, state.comments.get(number, []))
        if not isinstance(body, dict) or not body.get("body"):
            return 422, _invalid("IssueComment", "body", "missing_field"), {}
        return 201, state.add_comment(number, body["body"]), {}
    if match := re.fullmatch(r"/issues/comments/(\d+)", rest):
        comment_id = int(match.group(1))
        for comments in state.comments.values():
            for comment in comments:
                if comment["id"] == comment_id and method == "PATCH":
                    comment["body"] = body["body"]
                    return 200, comment, {}
        return 404, {"message": "Not Found"}, {}
    if rest == "/issues":
        if method == "POST":
            return 201, state.add_issue(**_issue_fields(body)), {}
        items = [
            issue
            for issue in state.issues.values()
            if issue["state"] == query.get("state", "open")
            and _has_labels(issue, query.get("labels"))
        ]
        return _page(state, path, query, items)
    if match := re.fullmatch(r"/statuses/([0-9a-f]{40})", rest):
        state.commit_statuses.setdefault(match.group(1), []).append(body)
        return 201, {"id": len(state.commit_statuses), **body}, {}
    if match := re.fullmatch(r"/issues/(\d+)/labels", rest):
        labelled = state.issues[int(match.group(1))]
        for name in body["labels"]:
            if name not in [label["name"] for label in labelled["labels"]]:
                labelled["labels"].append({"name": name})
        return 200, labelled["labels"], {}
    if match := re.fullmatch(r"/issues/(\d+)/labels/(.+)", rest):
        labelled = state.issues[int(match.group(1))]
        name = unquote(match.group(2))
        kept = [label for label in labelled["labels"] if label["name"] != name]
        labelled["labels"] = kept
        return 200, kept, {}
    if match := re.fullmatch(r"/issues/(\d+)/events", rest):
        return _page(state, path, query, state.events.get(int(match.group(1)), []))
    if match := re.fullmatch(r"/collaborators/([^/]+)/permission", rest):
        permission = state.permissions.get(unquote(match.group(1)))
        if permission is None:
            return 404, {"message": "Not Found"}, {}
        return 200, {"permission": permission}, {}
    if match := re.fullmatch(r"/issues/(\d+)", rest):
        issue = state.issues.get(int(match.group(1)))
        if issue is None:
            return 404, {"message": "Not Found"}, {}
        issue.update(body or {})
        return 200, issue, {}
    if match := re.fullmatch(r"/pulls/(\d+)", rest):
        pull = state.pulls.get(int(match.group(1)))
        return (200, pull, {}) if pull else (404, {"message": "Not Found"}, {})
    if match := re.fullmatch(r"/commits/([0-9a-f]{40})/pulls", rest):
        numbers = state.commit_pulls.get(match.group(1), [])
        return _page(state, path, query, [state.pulls[n] for n in numbers])
    return _route_apply(state, method, path, rest, query, body)


def _route_apply(
    state: State, method: str, path: str, rest: str, query: dict[str, str], body: Any
) -> tuple[int, Any, dict[str, str]]:
    """Branches, compare, deployments, runs and artifacts."""
    if match := re.fullmatch(r"/branches/([\w.-]+)", rest):
        sha = state.branches.get(match.group(1))
        if sha is None:
            return 404, {"message": "Branch not found"}, {}
        return 200, {"name": match.group(1), "commit": {"sha": sha}}, {}
    if match := re.fullmatch(r"/compare/([0-9a-f]{40})\.\.\.([0-9a-f]{40})", rest):
        return _compare(state, match.group(1), match.group(2), query)
    if rest == "/deployments":
        return _deployments(state, method, path, query, body)
    if match := re.fullmatch(r"/deployments/(\d+)/statuses", rest):
        number = int(match.group(1))
        if method == "POST":
            status = {"id": len(state.statuses) + 1, **body}
            state.statuses.setdefault(number, []).insert(0, status)
            return 201, status, {}
        return _page(state, path, query, state.statuses.get(number, []))
    if rest == "/actions/workflows/plan.yml/runs":
        runs = [
            run
            for run in state.runs
            if run["head_sha"] == query.get("head_sha")
            and run["event"] == query.get("event", run["event"])
        ]
        return 200, {"total_count": len(runs), "workflow_runs": runs}, {}
    if match := re.fullmatch(r"/actions/runs/(\d+)/artifacts", rest):
        listed = [
            meta
            for meta, _ in state.artifacts.values()
            if meta["workflow_run"]["id"] == int(match.group(1))
            and meta["name"] == query.get("name", meta["name"])
        ]
        return 200, {"total_count": len(listed), "artifacts": listed}, {}
    if match := re.fullmatch(r"/actions/artifacts/(\d+)/zip", rest):
        if int(match.group(1)) not in state.artifacts:
            return 404, {"message": "Not Found"}, {}
        location = f"{state.base_url}/blob/{match.group(1)}"
        return 302, None, {"Location": location}
    return 404, {"message": "Not Found"}, {}


def _compare(
    state: State, base: str, head: str, query: dict[str, str]
) -> tuple[int, Any, dict[str, str]]:
    if base not in state.history or head not in state.history:
        return 404, {"message": "Not Found"}, {}
    between = state.history[
        state.history.index(base) + 1 : state.history.index(head) + 1
    ]
    per_page = int(query.get("per_page", 250))
    page = int(query.get("page", 1))
    chunk = between[(page - 1) * per_page : page * per_page]
    answer = {
        "status": "ahead" if between else "identical",
        "total_commits": len(between),
        "commits": [{"sha": sha} for sha in chunk],
    }
    return 200, answer, {}


def _deployments(
    state: State, method: str, path: str, query: dict[str, str], body: Any
) -> tuple[int, Any, dict[str, str]]:
    if method == "POST":
        deployment = {
            "id": 500 + len(state.deployments),
            "sha": body["ref"],
            "task": body.get("task", "deploy"),
            "environment": body["environment"],
            "payload": body.get("payload", {}),
            "description": body.get("description"),
        }
        state.deployments.insert(0, deployment)  # GitHub lists the newest first
        return 201, deployment, {}
    items = [
        item
        for item in state.deployments
        if all(
            item[key] == query[key] for key in ("environment", "task") if key in query
        )
    ]
    return _page(state, path, query, items)


def _issue_fields(body: dict[str, Any]) -> dict[str, Any]:
    labels = [{"name": name} for name in body.get("labels", [])]
    return {"title": body["title"], "body": body.get("body", ""), "labels": labels}


def _has_labels(issue: dict[str, Any], wanted: str | None) -> bool:
    names = {label["name"] for label in issue["labels"]}
    return not wanted or set(wanted.split(",")) <= names


def _invalid(resource: str, name: str, code: str) -> dict[str, Any]:
    return {
        "message": "Validation Failed",
        "errors": [{"resource": resource, "field": name, "code": code}],
    }


def _page(
    state: State, path: str, query: dict[str, str], items: list[dict[str, Any]]
) -> tuple[int, Any, dict[str, str]]:
    per_page = int(query.get("per_page", 30))
    page = int(query.get("page", 1))
    chunk = items[(page - 1) * per_page : page * per_page]
    headers = {}
    if page * per_page < len(items):
        following = urlencode({**query, "page": page + 1})
        headers["Link"] = f'<{state.base_url}{path}?{following}>; rel="next"'
    return 200, chunk, headers


@contextmanager
def serve_fake_github() -> Iterator[State]:
    """Run the fake on 127.0.0.1 (a free port) for the duration of the block."""
    state = State()
    handler = type("Handler", (_Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
