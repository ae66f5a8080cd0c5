"""A misconfigured environment stops every command with the key named, before anything
is read or written: no silent local store in place of Fiskil (issue 15, item 2)."""

from __future__ import annotations

import pytest

from tests.cli.catalogs import catalog_of
from tests.cli.catalogs import run
from tests.cli.catalogs import write_catalog

NO_BASE_URL = (
    "environments:\n  production:\n    client_id_env: PROD_ID\n"
    "    client_secret_env: PROD_SECRET\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "--env", "production"),
        ("apply", "--env", "production", "--auto-approve"),
        ("github", "environments"),
    ],
)
def test_an_environment_without_base_url_stops_every_command(tmp_path, capsys, args):
    config = write_catalog(tmp_path, catalog_of("a"), config=NO_BASE_URL)
    code, out, err = run(capsys, config, *args)
    assert code == 1
    assert "environments.production.base_url is required" in err
    assert "target: embedded" in err
    assert "names=" not in out
    assert "Apply complete" not in out
    assert not (tmp_path / ".catalog-sync" / "production.db").exists()


def test_a_hostile_environment_name_creates_nothing_outside_the_catalog(
    tmp_path, capsys
):
    root = tmp_path / "repo"
    root.mkdir()
    config = write_catalog(
        root,
        catalog_of("a"),
        config="environments:\n  '../../outside/x':\n    target: embedded\n",
    )
    code, _, err = run(capsys, config, "plan", "--env", "../../outside/x")
    assert code == 1
    assert "environment name '../../outside/x' is not allowed" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]
