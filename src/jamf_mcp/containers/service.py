"""The whole service, on any transport: the layer containers composed over one settings object."""

from __future__ import annotations

from dependency_injector import containers, providers

from jamf_mcp import __version__
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.approval_wiring import same_person_issuers
from jamf_mcp.containers.application import ApplicationContainer
from jamf_mcp.containers.identity import IdentityContainer
from jamf_mcp.containers.jamf import JamfContainer
from jamf_mcp.containers.mcp import McpContainer
from jamf_mcp.containers.state import StateContainer
from jamf_mcp.settings import Settings


def build_metrics(settings: Settings) -> Metrics | None:
    """The process's Prometheus metrics (None when turned off)."""
    if not settings.metrics_enabled:
        return None
    return Metrics(version=__version__)


class Container(containers.DeclarativeContainer):
    """The whole service."""

    settings = providers.Dependency(instance_of=Settings)
    metrics = providers.Singleton(build_metrics, settings)
    state = providers.Container(StateContainer, settings=settings)
    identity = providers.Container(
        IdentityContainer,
        settings=settings,
        oauth_store=state.oauth,
        metrics=metrics,
        denylist=state.denylist,
        dev_idp_state=state.dev_idp,
        pre_registered=state.pre_registered,
        assertion_replays=state.assertion_replays,
        refresh_answers=state.refresh_answers,
        rate_limiter=state.rate_limiter,
    )
    jamf = providers.Container(JamfContainer, settings=settings, metrics=metrics)
    application = providers.Container(
        ApplicationContainer,
        settings=settings,
        confirmations=state.confirmations,
        digest_keys=state.digest_keys,
        inventory=jamf.inventory,
        directory=jamf.directory,
        policies=jamf.policies,
        policy_runner=jamf.policy_runner,
        policy_history=jamf.policy_history,
        mobile_inventory=jamf.mobile_inventory,
        commands=jamf.commands,
        check_in=jamf.check_in,
        policy_runs=state.policy_runs,
        approvals=state.approvals,
        same_person_issuers=providers.Singleton(same_person_issuers, settings, identity.upstream),
    )
    mcp = providers.Container(
        McpContainer,
        application=application,
        state=state,
        settings=settings,
        metrics=metrics,
        scope_challenge=identity.scope_challenge,
    )


def build_container(settings: Settings) -> Container:
    """A container for these settings (resources not yet started)."""
    container = Container(settings=settings)
    container.jamf.settings.override(settings)
    return container
