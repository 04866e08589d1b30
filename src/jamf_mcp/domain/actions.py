"""Confirmation-gated actions: what will change on which devices, its canonical form and summary.

An action's digests are keyed (`domain.action_digests`); the action only provides the canonical
serialisation they are computed over, with or without the values of its secret parameters.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from enum import StrEnum

import attrs

from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.mdm import MDM_COMMANDS, SECRET_FIELDS
from jamf_mcp.domain.policies import PolicyRef

SECRET_PARAMETERS = SECRET_FIELDS
"""Parameters whose values are secrets (an MDM lock or erase `pin`): they reach Jamf at dispatch
and nothing else — no summary, no stored or shown digest, no `repr`, no log line."""

SECRET_PLACEHOLDER = "[secret]"
"""What stands in for a secret parameter's value wherever the action is shown or stored."""

SHOWN_TARGETS = 5
"""How many device names a bulk summary lists before saying "and N more"."""

CHECK_IN_MINUTES = "check_in_minutes"
"""Parameter: the tenant's check-in frequency when the action was put to the person."""
FLUSH_LOGS_OF = "flush_all_policy_logs_of"
"""Parameter: Jamf ids (comma-separated) of computers whose ALL policy logs are flushed first."""


class ActionKind(StrEnum):
    """The actions that change devices and therefore need the user's confirmation."""

    EXECUTE_POLICY = "execute_policy"
    UPDATE_INVENTORY = "update_inventory"
    MDM_COMMAND = "mdm_command"


@attrs.frozen
class ActionTarget:
    """One device an action will touch, with the identity resolved before the user confirms."""

    kind: DeviceKind
    jamf_id: str
    name: str
    serial_number: str | None = None
    management_id: str | None = None
    user_name: str | None = None

    @classmethod
    def from_device(cls, device: Device) -> ActionTarget:
        """The target for a resolved device; the user is the real name, else the username."""
        identity = device.identity
        return cls(
            kind=identity.kind,
            jamf_id=identity.jamf_id,
            name=identity.name,
            serial_number=identity.serial_number,
            management_id=identity.management_id,
            user_name=device.user.real_name or device.user.username,
        )

    @property
    def sort_key(self) -> tuple[str, int, str]:
        """Canonical order: by kind, then Jamf id (numeric ids in numeric order)."""
        return (self.kind.value, len(self.jamf_id), self.jamf_id)

    @property
    def label(self) -> str:
        """`NAME (serial SERIAL)`, or just the name when the serial is unknown."""
        return f"{self.name} (serial {self.serial_number})" if self.serial_number else self.name

    def _canonical(self) -> list[str | None]:
        return [
            self.kind.value,
            self.jamf_id,
            self.name,
            self.serial_number,
            self.management_id,
            self.user_name,
        ]


def _canonical_targets(targets: Iterable[ActionTarget]) -> tuple[ActionTarget, ...]:
    return tuple(sorted(targets, key=lambda target: target.sort_key))


def _canonical_parameters(
    parameters: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    pairs = parameters.items() if isinstance(parameters, Mapping) else parameters
    return tuple(sorted((str(key), str(value)) for key, value in pairs))


def _masked(parameters: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (key, SECRET_PLACEHOLDER if key in SECRET_PARAMETERS else value)
        for key, value in parameters
    )


def _parameters_repr(parameters: tuple[tuple[str, str], ...]) -> str:
    return repr(_masked(parameters))


def _count_phrase(targets: tuple[ActionTarget, ...]) -> str:
    parts = []
    for kind, singular, plural in (
        (DeviceKind.COMPUTER, "computer", "computers"),
        (DeviceKind.MOBILE, "mobile device", "mobile devices"),
    ):
        count = sum(1 for target in targets if target.kind is kind)
        if count:
            parts.append(f"{count} {singular if count == 1 else plural}")
    return " and ".join(parts)


@attrs.frozen
class GatedAction:
    """An action on devices, frozen at the moment it is put to the user.

    Targets are kept in canonical order and parameters sorted, so equal intentions compare equal
    and share a canonical form however the request listed them. The values of secret parameters
    (`SECRET_PARAMETERS`) never appear in `repr`, `summary` or `public_parameters`.
    """

    kind: ActionKind
    targets: tuple[ActionTarget, ...] = attrs.field(converter=_canonical_targets)
    parameters: tuple[tuple[str, str], ...] = attrs.field(
        converter=_canonical_parameters, factory=tuple, repr=_parameters_repr
    )
    policy: PolicyRef | None = attrs.field(default=None)

    @targets.validator
    def _check_targets(self, _: attrs.Attribute[object], value: tuple[ActionTarget, ...]) -> None:
        if not value:
            raise ValueError("a gated action needs at least one target")
        keys = [(target.kind, target.jamf_id) for target in value]
        if len(set(keys)) != len(keys):
            raise ValueError("a gated action names each device once")

    @parameters.validator
    def _check_parameters(
        self, _: attrs.Attribute[object], value: tuple[tuple[str, str], ...]
    ) -> None:
        keys = [key for key, _value in value]
        if len(set(keys)) != len(keys):
            raise ValueError("parameter names must be unique")
        if self.kind is ActionKind.MDM_COMMAND and "command" not in keys:
            raise ValueError("an MDM command action needs a 'command' parameter")

    @policy.validator
    def _check_policy(self, _: attrs.Attribute[object], value: PolicyRef | None) -> None:
        if self.kind is ActionKind.EXECUTE_POLICY and value is None:
            raise ValueError("running a policy needs the policy")

    def parameter(self, name: str) -> str | None:
        """The value of one parameter, or None."""
        return dict(self.parameters).get(name)

    @property
    def public_parameters(self) -> tuple[tuple[str, str], ...]:
        """The parameters with every secret value replaced by `SECRET_PLACEHOLDER`."""
        return _masked(self.parameters)

    @property
    def has_secrets(self) -> bool:
        """Whether a parameter of this action is a secret."""
        return any(key in SECRET_PARAMETERS for key, _ in self.parameters)

    def canonical(self, *, with_secrets: bool) -> bytes:
        """A canonical serialisation of kind, targets, parameters and policy (UTF-8 JSON).

        Equal actions give equal bytes. With `with_secrets=False` every secret value is replaced
        by `SECRET_PLACEHOLDER`, so the bytes depend on whether a secret was given, never on it.
        Only keyed digests (`domain.action_digests.DigestKey`) may be computed over these bytes.
        """
        parameters = self.parameters if with_secrets else self.public_parameters
        canonical = {
            "v": 1,
            "kind": self.kind.value,
            "targets": [target._canonical() for target in self.targets],
            "parameters": [list(pair) for pair in parameters],
            "policy": None if self.policy is None else [self.policy.policy_id, self.policy.name],
        }
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8", "surrogatepass")

    def _timing(self) -> str:
        minutes = self.parameter(CHECK_IN_MINUTES)
        if not minutes:
            return ""
        return (
            f" (this Jamf Pro's check-in frequency is every {minutes} minutes, so within about "
            "that long for a Mac that is on and online)"
        )

    def _flush_clause(self) -> str:
        ids = [i for i in (self.parameter(FLUSH_LOGS_OF) or "").split(",") if i]
        if not ids:
            return ""
        names = [
            t.label for t in self.targets if t.jamf_id in ids and t.kind is DeviceKind.COMPUTER
        ]
        shown = ", ".join(names[:SHOWN_TARGETS]) + (
            f" and {len(names) - SHOWN_TARGETS} more" if len(names) > SHOWN_TARGETS else ""
        )
        return (
            f" First ALL policy logs of {len(ids)} computer{'s' if len(ids) != 1 else ''} "
            f"({shown}) are flushed, because the policy already ran there: every once-per "
            "policy in their scope runs again, not only this one."
        )

    def describe_targets(self) -> str:
        """`1 computer: NAME (serial S), user U`, or the count and the first names for bulk."""
        count = _count_phrase(self.targets)
        if len(self.targets) == 1:
            only = self.targets[0]
            user = f", user {only.user_name}" if only.user_name else ""
            return f"{count}: {only.label}{user}"
        shown = ", ".join(target.label for target in self.targets[:SHOWN_TARGETS])
        rest = len(self.targets) - SHOWN_TARGETS
        return f"{count}: {shown}" + (f" and {rest} more" if rest > 0 else "")

    def summary(self) -> str:
        """What will happen, in words a person can confirm."""
        on = self.describe_targets()
        single = len(self.targets) == 1
        if self.kind is ActionKind.EXECUTE_POLICY:
            assert self.policy is not None  # guaranteed by the validator
            whose = "the computer's" if single else "each computer's"
            return (
                f"Run policy '{self.policy.name}' (id {self.policy.policy_id}) on {on} — "
                f"it runs at {whose} next check-in{self._timing()}.{self._flush_clause()}"
            )
        if self.kind is ActionKind.UPDATE_INVENTORY:
            how = []
            if any(target.kind is DeviceKind.COMPUTER for target in self.targets):
                policy = (
                    f" (policy '{self.policy.name}', id {self.policy.policy_id})"
                    if self.policy is not None
                    else ""
                )
                how.append(f"computers report at their next check-in{policy}{self._timing()}")
            if any(target.kind is DeviceKind.MOBILE for target in self.targets):
                how.append("mobile devices are asked through MDM")
            return f"Update inventory on {on} — {'; '.join(how)}.{self._flush_clause()}"
        command = self.parameter("command") or ""
        spec = MDM_COMMANDS.get(command)
        effect = f" ({spec.effect})" if spec is not None else ""
        shown = [
            f"{key}={value}"
            for key, value in self.parameters
            if key != "command" and key not in SECRET_FIELDS
        ]
        secret = [key for key, _ in self.parameters if key in SECRET_FIELDS]
        extras = shown + [f"{key} as given" for key in secret]
        options = f" with {', '.join(extras)}" if extras else ""
        warning = spec.warning if spec is not None else ""
        return (
            f"Send the MDM command {command}{effect}{options} to {on} — Jamf queues it and the "
            f"device acts when it next contacts Apple's push service.{warning}"
        )
