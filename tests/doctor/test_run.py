"""run_doctor's write probe outcomes and how an API error becomes a check's ✗."""

from __future__ import annotations

from catalog_sync.doctor.model import Finding
from catalog_sync.doctor.model import Report
from catalog_sync.doctor.model import Status
from catalog_sync.doctor.run import check_write_access
from catalog_sync.doctor.run import guarded
from catalog_sync.errors import TransportError
from tests.doctor.conftest import PRODUCTS
from tests.doctor.conftest import connect


def test_write_probe_refused_fails_naming_the_scope(store):
    store.faults.fail_next(
        "DELETE", f"{PRODUCTS}/*", status=403, body={"error": "insufficient_scope"}
    )
    with connect(store) as api:
        found = check_write_access(api)
    assert found.status is Status.FAIL
    assert (
        found.fix
        == "apply needs the write scope; generate new credentials with that scope"
    )


def test_write_probe_answered_oddly_cannot_tell(store):
    store.faults.fail_next("DELETE", f"{PRODUCTS}/*", status=405)
    with connect(store) as api:
        found = check_write_access(api)
    assert found.status is Status.UNKNOWN
    assert found.observed == (
        "could not tell: DELETE of a productId that cannot exist answered 405"
    )


def test_guarded_turns_an_api_error_into_the_checks_failure():
    def broken() -> Finding:
        raise TransportError("GET /x: could not connect")

    found = guarded("paging", broken)
    assert found == Finding(
        "paging", Status.FAIL, "GET /x: could not connect",
        fix="see the message; run again with --debug for the requests",
    )  # fmt: skip


def test_report_exit_codes():
    def report(*statuses: Status) -> Report:
        return Report("e", "w", tuple(Finding(str(s), s, "") for s in statuses))

    assert report(Status.OK, Status.SKIPPED).exit_code() == 0
    assert report(Status.UNKNOWN).exit_code() == 0
    assert report(Status.UNKNOWN).exit_code(strict=True) == 1
    assert report(Status.DIFFERS, Status.UNKNOWN).exit_code() == 2
    assert report(Status.DIFFERS, Status.FAIL).exit_code() == 1
