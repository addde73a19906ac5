"""Settings are declared data; each must be documented."""

from __future__ import annotations

from pathlib import Path

from survey import create_app, settings

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme():
    missing = [s.name for s in settings.SETTINGS if f"| `{s.name}` |" not in README]
    assert missing == []


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("LAGESBILD_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("LAGESBILD_SMTP_PORT", "2525")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["DB"] == str(tmp_path / "env.db")
    assert app.config["SMTP_PORT"] == 2525
    assert (tmp_path / "env.db").exists()  # migrated at start-up


def test_secret_key_is_generated_once_per_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("LAGESBILD_DB", str(tmp_path / "s.db"))
    from flask import Flask

    instance = str(tmp_path / "instance")
    first = create_app(instance_path=instance)
    key_file = Path(instance) / "secret_key"
    assert key_file.exists() and first.config["SECRET_KEY"] == key_file.read_text().strip()
    assert oct(key_file.stat().st_mode)[-3:] == "600"
    assert create_app(instance_path=instance).config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert create_app(instance_path=str(tmp_path / "other")).config["SECRET_KEY"] != \
        first.config["SECRET_KEY"]
    assert isinstance(first, Flask)
