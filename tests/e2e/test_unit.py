"""The systemd user unit: shipped copy, installed copy, and what systemd-analyze says of both."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from followup.core.errors import ConfigError
from followup.service import unit
from support.daemon_proc import MAILDIR_ACCOUNT, interview, make_maildir, write_config
from support.paths import REPO

SHIPPED = REPO / "systemd" / "followup.service"


def _ensure_systemd_analyze() -> str:
    """systemd-analyze comes with Debian's ``systemd`` package; install it when missing."""
    found = shutil.which("systemd-analyze")
    if found is None:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "systemd"], check=True, env=env, timeout=600)
        found = shutil.which("systemd-analyze")
    assert found, "systemd-analyze is required"
    return found


def _verify(path: Path, home: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
    env.pop("XDG_CONFIG_HOME", None)
    return subprocess.run(
        [_ensure_systemd_analyze(), "verify", "--user", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_shipped_unit_is_the_rendered_template() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == unit.render_unit()


def test_the_unit_is_a_notify_user_service_that_never_restarts_on_a_config_error() -> None:
    text = unit.render_unit()
    lines = set(text.splitlines())
    for expected in (
        "Type=notify",
        "Restart=on-failure",
        "RestartPreventExitStatus=78",
        "ExecStart=%h/.local/bin/followup run",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "WantedBy=default.target",
    ):
        assert expected in lines
    assert any(line.startswith("WatchdogSec=") for line in lines)
    assert "network-online.target" not in "\n".join(
        line for line in text.splitlines() if not line.startswith("#")
    )


def test_the_shipped_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".local" / "bin").mkdir(parents=True)
    (home / ".local" / "bin" / "followup").symlink_to(sys.executable)
    done = _verify(SHIPPED, home, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_systemd_analyze_verify_would_catch_a_broken_unit(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    broken = tmp_path / "followup.service"
    broken.write_text(unit.render_unit().replace("Type=notify", "Type=notify\nWatchdogSecs=1"))
    done = _verify(broken, home, tmp_path)
    assert done.stderr != ""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    mail = make_maildir(tmp_path / "my mail")
    return write_config(
        tmp_path / "config.toml",
        account=MAILDIR_ACCOUNT.format(path=mail),
        interviews=[interview("acme", "Acme Corp", "2026-11-16")],
        state=tmp_path / "state",
    )


def test_install_writes_the_unit_under_xdg_config_home_with_the_real_command(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(sys, "argv", ["/opt/tools/bin/followup", "install-service"])
    monkeypatch.setattr(os, "access", lambda path, mode: True)
    path = unit.install_unit(str(config))
    assert path == tmp_path / "xdg" / "systemd" / "user" / "followup.service"
    text = path.read_text()
    assert f"ExecStart=/opt/tools/bin/followup --config {config} run\n" in text
    assert f'ReadWritePaths={tmp_path / "state"} "-{tmp_path / "my mail"}"\n' in text
    assert (tmp_path / "state").is_dir()
    assert path.stat().st_mode & 0o777 == 0o644


def test_install_replaces_a_different_unit_and_says_so(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    target = tmp_path / "xdg" / "systemd" / "user" / "followup.service"
    target.parent.mkdir(parents=True)
    target.write_text("[Service]\nExecStart=/bin/true\n")
    unit.install_unit(str(config))
    assert "Type=notify" in target.read_text()
    assert "replacing" in caplog.text


def test_install_refuses_an_invalid_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    bad = tmp_path / "config.toml"
    bad.write_text('[identity]\nname = "x"\n')
    with pytest.raises(ConfigError):
        unit.install_unit(str(bad))
    assert not (tmp_path / "xdg" / "systemd").exists()


def test_the_installed_unit_passes_systemd_analyze_verify(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    path = unit.install_unit(str(config))
    done = _verify(path, tmp_path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_the_install_service_command_prints_how_to_enable_it(config: Path, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    done = subprocess.run(
        [sys.executable, "-m", "followup", "--config", str(config), "install-service"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "systemctl --user enable --now followup" in done.stdout
    text = (tmp_path / "xdg" / "systemd" / "user" / "followup.service").read_text()
    assert f"ExecStart={sys.executable} -m followup --config {config} run\n" in text


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [
        ("/usr/bin/followup", "/usr/bin/followup"),
        ("/home/a b/config.toml", '"/home/a b/config.toml"'),
        ("/tmp/100%/x", "/tmp/100%%/x"),
        ("/tmp/$HOME", '"/tmp/$$HOME"'),
        ('/tmp/say "hi"', '"/tmp/say \\"hi\\""'),
    ],
)
def test_exec_start_arguments_are_quoted_for_systemd(arg: str, quoted: str) -> None:
    assert unit.quote_arg(arg) == quoted
