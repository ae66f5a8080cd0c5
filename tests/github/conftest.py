from __future__ import annotations

from collections.abc import Iterator

import pytest

from catalog_sync.github.client import GitHubClient
from tests.conftest import FakeClock
from tests.github.fake_github import REPO
from tests.github.fake_github import TOKEN
from tests.github.fake_github import State
from tests.github.fake_github import serve_fake_github


@pytest.fixture
def fake_github() -> Iterator[State]:
    with serve_fake_github() as state:
        yield state


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(fake_github: State, clock: FakeClock) -> Iterator[GitHubClient]:
    with GitHubClient(
        token=TOKEN,
        repository=REPO,
        api_url=fake_github.base_url,
        sleep=clock.sleep,
        now=clock.now,
        max_wait_seconds=120.0,
    ) as github:
        yield github


@pytest.fixture
def github_env(fake_github: State, tmp_path) -> dict[str, str]:
    """The environment a workflow step sees, pointed at the fake."""
    return {
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": fake_github.base_url,
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
    }
