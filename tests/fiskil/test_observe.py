"""ObservedTransport: each attempt is told with method, path, status, duration and the
request-id header only; failures are told too."""

from __future__ import annotations

import httpx
import pytest

from catalog_sync.fiskil.observe import CallAnswered
from catalog_sync.fiskil.observe import CallEvent
from catalog_sync.fiskil.observe import CallSent
from catalog_sync.fiskil.observe import ObservedTransport
from catalog_sync.fiskil.observe import request_id_of


def test_request_id_is_the_first_named_header_printable_and_short():
    assert (
        request_id_of(httpx.Headers({"x-request-id": "", "request-id": "r-1"})) == "r-1"
    )
    assert request_id_of(httpx.Headers({"x-request-id": "a b\tc"})) == "abc"
    assert request_id_of(httpx.Headers({"x-request-id": " "})) is None
    assert request_id_of(httpx.Headers({"x-request-id": "x" * 500})) == "x" * 128
    assert request_id_of(httpx.Headers({"authorization": "Bearer t"})) is None


def test_every_attempt_is_told_and_failures_too():
    events: list[CallEvent] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/boom":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(201, headers={"x-request-id": "r9", "set-cookie": "s"})

    transport = ObservedTransport(httpx.MockTransport(handler), events.append)
    with httpx.Client(transport=transport, base_url="http://t") as client:
        client.post("/p?page=2", headers={"Authorization": "Bearer secret"}, json={})
        with pytest.raises(httpx.ConnectError):
            client.get("/boom")
    assert events[0] == CallSent(1, "POST", "/p?page=2")
    answered = events[1]
    assert isinstance(answered, CallAnswered)
    assert (answered.call, answered.status, answered.request_id) == (1, 201, "r9")
    assert events[2] == CallSent(2, "GET", "/boom")
    failed = events[3]
    assert isinstance(failed, CallAnswered)
    assert (failed.status, failed.error) == (None, "ConnectError")
    assert "secret" not in repr(events)


def test_a_body_that_cannot_be_read_is_a_failed_call():
    events: list[CallEvent] = []

    class Broken(httpx.SyncByteStream):
        def __iter__(self):
            raise httpx.ReadError("cut")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Broken())

    transport = ObservedTransport(httpx.MockTransport(handler), events.append)
    with (
        httpx.Client(transport=transport, base_url="http://t") as client,
        pytest.raises(httpx.ReadError),
    ):
        client.get("/p")
    assert isinstance(events[1], CallAnswered)
    assert events[1].error == "ReadError"
