"""Every setting is declared once, read from its environment variable when asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from koreasec_data import settings


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    for variable in settings.ENV.values():
        monkeypatch.delenv(variable, raising=False)


def test_defaults():
    assert settings.current() == settings.Settings()
    assert settings.current().base_url == settings.BASE_URL


def test_every_setting_has_one_variable():
    fields = set(settings.Settings.__dataclass_fields__)
    assert set(settings.ENV) == fields
    assert all(variable.startswith("KOREASEC_DATA_") for variable in settings.ENV.values())


def test_overrides_are_heard_at_once(monkeypatch, tmp_path):
    monkeypatch.setenv("KOREASEC_DATA_BASE_URL", "http://127.0.0.1:9/mirror/")
    monkeypatch.setenv("KOREASEC_DATA_CACHE", str(tmp_path))
    monkeypatch.setenv("KOREASEC_DATA_OFFLINE", "1")
    monkeypatch.setenv("KOREASEC_DATA_TIMEOUT", "2.5")
    monkeypatch.setenv("KOREASEC_DATA_RETRIES", "0")
    monkeypatch.setenv("KOREASEC_DATA_DEADLINE", "60")
    assert settings.current() == settings.Settings(
        base_url="http://127.0.0.1:9/mirror",
        cache=Path(tmp_path),
        offline=True,
        timeout=2.5,
        retries=0,
        deadline=60.0,
    )
    monkeypatch.setenv("KOREASEC_DATA_OFFLINE", "0")
    assert settings.current().offline is False


@pytest.mark.parametrize("value", ["-1", "soon"])
def test_a_bad_number_names_its_variable_and_default(monkeypatch, value):
    monkeypatch.setenv("KOREASEC_DATA_RETRIES", value)
    with pytest.raises(ValueError, match=r"KOREASEC_DATA_RETRIES=.* \(default 2\)"):
        settings.current()
