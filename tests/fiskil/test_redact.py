"""The redaction helpers: Secret hides itself, redact() scrubs bearer values and secret
fields, RedactingFilter scrubs log records before any handler writes them."""

from __future__ import annotations

import io
import logging

from catalog_sync.fiskil.redact import RedactingFilter
from catalog_sync.fiskil.redact import Secret
from catalog_sync.fiskil.redact import redact


def test_secret_never_shows_itself():
    secret = Secret("hunter2-abc")
    for text in (repr(secret), str(secret), f"{secret}", repr([secret])):
        assert "hunter2-abc" not in text
    assert secret.reveal() == "hunter2-abc"


def test_redact_scrubs_bearer_values_fields_and_known_secrets():
    text = (
        'Authorization: Bearer abc.def.ghi {"client_secret": "s3cr3t", '
        '"access_token": "tok-1"} token=tok-2 also my-known-value'
    )
    cleaned = redact(text, ["my-known-value"])
    for leaked in ("abc.def.ghi", "s3cr3t", "tok-1", "tok-2", "my-known-value"):
        assert leaked not in cleaned
    assert "client_secret" in cleaned


def test_filter_scrubs_records_of_child_loggers_via_the_handler():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    log_filter = RedactingFilter(["first-secret"])
    handler.addFilter(log_filter)
    logger = logging.getLogger("catalog_sync.test_redact.child")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        log_filter.add("late-token-xyz")
        logger.debug("headers %s", {"authorization": "Bearer late-token-xyz"})
        logger.debug("secret is %s", "first-secret")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "late-token-xyz" not in output
    assert "first-secret" not in output
    assert output.count("<redacted>") >= 2
    assert "first-secret" not in repr(log_filter)


def test_secrets_compare_by_value_without_revealing_it():
    """Configs holding a Secret compare and hash by the value (two loads of the same
    settings are equal), never equal to the bare string."""
    assert Secret("abc") == Secret("abc")
    assert Secret("abc") != Secret("abd")
    assert Secret("abc") != "abc"
    assert len({Secret("abc"), Secret("abc"), Secret("abd")}) == 2


def test_an_empty_secret_redacts_nothing():
    """An unset secret (empty string) must not put the marker between every character."""
    assert redact("plain text", ["", "text"]) == "plain <redacted>"


def test_an_empty_secret_is_not_registered():
    log_filter = RedactingFilter()
    log_filter.add("")
    log_filter.add("tok-1")
    assert repr(log_filter) == "RedactingFilter(1 secrets)"
