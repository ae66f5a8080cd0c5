from __future__ import annotations

from click.testing import CliRunner

from catalog_sync import __version__
from catalog_sync.cli import cli


def test_cli_version_prints_the_package_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output
