"""Which providers exist: the built-ins plus plugins from the ``filmfs.providers`` entry points.

A plugin registers a Provider class or zero-argument factory::

    [project.entry-points."filmfs.providers"]
    myservice = "mypkg.provider:MyProvider"

A plugin that fails to import, fails to build, or does not look like a Provider is reported
as a :class:`PluginWarning` and skipped; one broken plugin never stops filmfs (as in
OpenTimelineIO's plugin manifest). Built-ins win over plugins of the same name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from filmfs.errors import FilmfsError
from filmfs.providers.base import Provider
from filmfs.providers.fal import FalProvider
from filmfs.providers.luma import LumaProvider
from filmfs.providers.minimax import MiniMaxProvider
from filmfs.providers.replicate import ReplicateProvider
from filmfs.providers.runway import RunwayProvider
from filmfs.providers.testcard import TestcardProvider

GROUP = "filmfs.providers"
BUILTINS: dict[str, Callable[[], Provider]] = {
    "testcard": TestcardProvider,
    "minimax": MiniMaxProvider,
    "replicate": ReplicateProvider,
    "fal": FalProvider,
    "runway": RunwayProvider,
    "luma": LumaProvider,
}


@dataclass(frozen=True)
class ProviderInfo:
    """One provider, for ``filmfs providers``: whether it can run here and why not."""

    name: str
    description: str
    default_model: str
    configured: bool
    reason: str
    source: str
    """``builtin`` or the plugin's entry point (``name = module:attr``)."""


@dataclass(frozen=True)
class PluginWarning:
    """A plugin that was skipped, and why."""

    name: str
    source: str
    message: str


@dataclass(frozen=True)
class Registry:
    """The providers found: name -> (factory, source), plus the plugins skipped."""

    factories: dict[str, tuple[Callable[[], Provider], str]]
    warnings: list[PluginWarning]

    def names(self) -> list[str]:
        return sorted(self.factories)

    def get(self, name: str) -> Provider:
        """Build the provider called ``name``; FilmfsError listing the known names if none."""
        try:
            factory, source = self.factories[name]
        except KeyError:
            raise FilmfsError(
                f"unknown provider {name!r}; known providers: {', '.join(self.names())}",
                hint="check the spelling, or install the plugin that provides it",
            ) from None
        provider = factory()
        if source != "builtin" and not isinstance(provider, Provider):
            raise FilmfsError(f"provider plugin {name!r} ({source}) is not a Provider")
        return provider

    def available(self) -> list[ProviderInfo]:
        """Every provider with its configured state, as data; a plugin that fails is skipped."""
        infos = []
        for name in self.names():
            source = self.factories[name][1]
            try:
                p = self.get(name)
                ok, reason = p.configured()
            except Exception as exc:  # a plugin's own bug must not break the listing
                infos.append(ProviderInfo(name, "", "", False, f"broken: {exc}", source))
                continue
            infos.append(ProviderInfo(name, p.description, p.default_model, ok, reason, source))
        return infos


def _from_entry_point(ep: EntryPoint) -> Callable[[], Provider]:
    target = ep.load()
    if not callable(target):
        raise TypeError(f"{ep.value} is not a class or factory")
    made = target()
    if not isinstance(made, Provider):
        raise TypeError(
            f"{ep.value} does not implement the Provider protocol "
            "(name, default_model, description, configured, submit, poll, fetch, cancel, cost)"
        )
    return target  # type: ignore[no-any-return]


def discover(eps: Iterable[EntryPoint] | None = None) -> Registry:
    """Built-ins plus plugins; ``eps`` replaces the installed entry points (for tests)."""
    factories: dict[str, tuple[Callable[[], Provider], str]] = {
        name: (factory, "builtin") for name, factory in BUILTINS.items()
    }
    warnings: list[PluginWarning] = []
    found = entry_points(group=GROUP) if eps is None else eps
    for ep in found:
        source = f"{ep.name} = {ep.value}"
        if ep.name in factories:
            warnings.append(PluginWarning(ep.name, source, "name taken; plugin ignored"))
            continue
        try:
            factories[ep.name] = (_from_entry_point(ep), source)
        except Exception as exc:  # import errors, bad attributes, constructor failures
            warnings.append(PluginWarning(ep.name, source, f"{type(exc).__name__}: {exc}"))
    return Registry(factories, warnings)


def get(name: str, *, registry: Registry | None = None) -> Provider:
    """The provider called ``name`` (see :meth:`Registry.get`)."""
    return (registry or discover()).get(name)


def available(*, registry: Registry | None = None) -> list[ProviderInfo]:
    """All providers as data (see :meth:`Registry.available`)."""
    return (registry or discover()).available()
