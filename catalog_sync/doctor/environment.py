"""The `configuration` check: the environment exists, its URLs are https (or loopback),
and the variables that hold its credentials are set (named, never printed)."""

from __future__ import annotations

from collections.abc import Mapping

from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.doctor.model import Finding
from catalog_sync.doctor.model import Status
from catalog_sync.errors import ConfigError
from catalog_sync.fiskil.session import check_base_url

CHECK = "configuration"


def check_environment(
    config: Config, env_name: str | None, environ: Mapping[str, str]
) -> tuple[Finding, Environment | None]:
    """The finding, and the environment when the remaining checks can run."""
    try:
        env = config.environment(env_name)
    except ConfigError as exc:
        return Finding(CHECK, Status.FAIL, exc.message, fix=exc.hint), None
    if env.target == "embedded":
        where = env.db_path or config.state_dir / f"{env.name}.db"
        observed = f"{env.name} is the embedded emulator ({where}), not a real service"
        return Finding(CHECK, Status.OK, observed), env
    key = f"environments.{env.name}"
    for field, url in (
        ("base_url", env.base_url),
        ("public_base_url", env.public_base_url),
    ):
        if url is None:
            continue
        try:
            check_base_url(url, what=f"{key}.{field}")
        except ConfigError as exc:
            return Finding(CHECK, Status.FAIL, exc.message, fix=exc.hint), None
    names = (env.client_id_env, env.client_secret_env)
    unset = [name for name in names if not environ.get(name or "")]
    if unset:
        observed = f"{' and '.join(map(str, unset))} not set"
        fix = (
            f"export {names[0]} and {names[1]} with the {env.name} API key "
            f"(Fiskil Console > API Keys), or change {key}.client_id_env / "
            "client_secret_env"
        )
        return Finding(CHECK, Status.FAIL, observed, fix=fix), None
    observed = (
        f"{env.name} at {env.base_url}; credentials from {names[0]} and {names[1]}"
    )
    return Finding(CHECK, Status.OK, observed), env
