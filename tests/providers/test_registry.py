from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from filmfs.errors import FilmfsError
from filmfs.providers import registry
from filmfs.providers.testcard import TestcardProvider

MOD = "tests.providers.plugin_samples"


def ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=registry.GROUP)


def test_builtins_are_listed_with_their_state() -> None:
    infos = {i.name: i for i in registry.discover(eps=[]).available()}
    assert set(infos) == {"testcard", "minimax", "replicate", "fal", "runway", "luma"}
    assert infos["testcard"].configured and infos["testcard"].reason == ""
    assert infos["testcard"].source == "builtin"
    assert infos["replicate"].default_model == "minimax/hailuo-2.3"
    assert infos["fal"].default_model == "fal-ai/minimax/hailuo-02/standard/text-to-video"


def test_unconfigured_reason_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINIMAX_API_KEY", raising=False)
    monkeypatch.setenv("FAL_KEY", "x")
    infos = {i.name: i for i in registry.available(registry=registry.discover(eps=[]))}
    assert not infos["minimax"].configured and "MINIMAX_API_KEY" in infos["minimax"].reason
    assert infos["fal"].configured


def test_get_builtin_and_unknown() -> None:
    reg = registry.discover(eps=[])
    assert isinstance(reg.get("testcard"), TestcardProvider)
    with pytest.raises(FilmfsError) as info:
        reg.get("sora")
    assert "unknown provider 'sora'" in str(info.value)
    assert "fal, luma, minimax, replicate, runway, testcard" in str(info.value)


def test_good_plugin_is_added() -> None:
    reg = registry.discover(eps=[ep("echo", f"{MOD}:EchoProvider")])
    assert reg.warnings == []
    [info] = [i for i in reg.available() if i.name == "echo"]
    assert info.source == f"echo = {MOD}:EchoProvider"
    assert (info.configured, info.reason) == (False, "ECHO_TOKEN is not set")
    assert reg.get("echo").name == "echo"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("tests.providers.no_such_module:Thing", "ModuleNotFoundError"),
        (f"{MOD}:Missing", "AttributeError"),
        (f"{MOD}:NotAProvider", "does not implement the Provider protocol"),
        (f"{MOD}:exploding_factory", "plugin setup failed"),
        (f"{MOD}:NOT_CALLABLE", "is not a class or factory"),
    ],
)
def test_broken_plugin_is_skipped_with_a_warning(value: str, expected: str) -> None:
    reg = registry.discover(eps=[ep("broken", value), ep("echo", f"{MOD}:EchoProvider")])
    assert "broken" not in reg.names() and "echo" in reg.names()
    [warning] = reg.warnings
    assert warning.name == "broken" and warning.source == f"broken = {value}"
    assert expected in warning.message


def test_plugin_cannot_shadow_a_builtin() -> None:
    reg = registry.discover(eps=[ep("testcard", f"{MOD}:EchoProvider")])
    assert isinstance(reg.get("testcard"), TestcardProvider)
    assert [w.name for w in reg.warnings] == ["testcard"]


def test_installed_entry_points_are_read() -> None:
    # No plugin is installed in the test environment: discovery still yields the built-ins.
    reg = registry.discover()
    assert {"testcard", "minimax", "replicate", "fal"} <= set(reg.names())
