"""Classic policy objects (snake_case dicts as the Classic API serves them) and the demo policies."""

from __future__ import annotations

import copy
from typing import Any

from jamf_mcp.simulator.catalog import CATEGORIES

FREQUENCIES = (
    "Once per computer", "Once per user per computer", "Once per user", "Once every day",
    "Once every week", "Once every month", "Ongoing",
)  # fmt: skip
_CATEGORY = {name: cid for cid, name, _priority in CATEGORIES}
SECTIONS = (
    "general", "scope", "self_service", "package_configuration", "scripts", "printers", "dock_items",
    "account_maintenance", "reboot", "maintenance", "files_processes", "user_interaction",
    "disk_encryption",
)  # fmt: skip
SUBSETS = {
    "general": "general", "scope": "scope", "selfservice": "self_service",
    "packages": "package_configuration", "scripts": "scripts", "printers": "printers",
    "dockitems": "dock_items", "accountmaintenance": "account_maintenance", "reboot": "reboot",
    "maintenance": "maintenance", "filesprocesses": "files_processes",
    "userinteraction": "user_interaction", "diskencryption": "disk_encryption",
}  # fmt: skip


def blank_scope() -> dict[str, Any]:
    """An empty policy scope (nothing targeted)."""
    return {
        "all_computers": False,
        "all_jss_users": False,
        "computers": [],
        "computer_groups": [],
        "jss_users": [],
        "jss_user_groups": [],
        "buildings": [],
        "departments": [],
        "limit_to_users": {"user_groups": []},
        "limitations": {"users": [], "user_groups": [], "network_segments": [], "ibeacons": []},
        "exclusions": {
            "computers": [],
            "computer_groups": [],
            "users": [],
            "user_groups": [],
            "buildings": [],
            "departments": [],
            "network_segments": [],
            "jss_users": [],
            "jss_user_groups": [],
            "ibeacons": [],
        },
    }


def blank_policy(policy_id: int, name: str) -> dict[str, Any]:
    """A policy with Jamf's defaults for every section."""
    return {
        "general": {
            "id": policy_id,
            "name": name,
            "enabled": False,
            "trigger": "EVENT",
            "trigger_checkin": False,
            "trigger_enrollment_complete": False,
            "trigger_login": False,
            "trigger_logout": False,
            "trigger_network_state_changed": False,
            "trigger_startup": False,
            "trigger_other": "",
            "frequency": "Once per computer",
            "retry_event": "none",
            "retry_attempts": -1,
            "notify_on_each_failed_retry": False,
            "location_user_only": False,
            "target_drive": "/",
            "offline": False,
            "category": {"id": -1, "name": "No category assigned"},
            "date_time_limitations": {
                "activation_date": "",
                "activation_date_epoch": 0,
                "activation_date_utc": "",
                "expiration_date": "",
                "expiration_date_epoch": 0,
                "expiration_date_utc": "",
                "no_execute_on": [],
                "no_execute_start": "",
                "no_execute_end": "",
            },
            "network_limitations": {
                "minimum_network_connection": "No Minimum",
                "any_ip_address": True,
                "network_segments": [],
            },
            "override_default_settings": {
                "target_drive": "default",
                "distribution_point": "",
                "force_afp_smb": False,
                "sus": "default",
            },
            "network_requirements": "Any",
            "site": {"id": -1, "name": "None"},
        },
        "scope": blank_scope(),
        "self_service": {
            "use_for_self_service": False,
            "self_service_display_name": "",
            "install_button_text": "Install",
            "reinstall_button_text": "Reinstall",
            "self_service_description": "",
            "force_users_to_view_description": False,
            "self_service_icon": {"id": 0, "filename": "", "uri": ""},
            "feature_on_main_page": False,
            "self_service_categories": [],
            "notification": False,
            "notification_type": "Self Service",
            "notification_subject": name,
            "notification_message": "",
        },
        "package_configuration": {"packages": [], "distribution_point": "default"},
        "scripts": [],
        "printers": [],
        "dock_items": [],
        "account_maintenance": {
            "accounts": [],
            "directory_bindings": [],
            "management_account": {"action": "doNotChange"},
            "open_firmware_efi_password": {"of_mode": "none", "of_password_sha256": ""},
        },
        "reboot": {
            "message": "This computer will restart in 5 minutes. Please save anything you are working on.",
            "startup_disk": "Current Startup Disk",
            "specify_startup": "",
            "no_user_logged_in": "Do not restart",
            "user_logged_in": "Do not restart",
            "minutes_until_reboot": 5,
            "start_reboot_timer_immediately": False,
            "file_vault_2_reboot": False,
        },
        "maintenance": {
            "recon": False,
            "reset_name": False,
            "install_all_cached_packages": False,
            "heal": False,
            "prebindings": False,
            "permissions": False,
            "byhost": False,
            "system_cache": False,
            "user_cache": False,
            "verify": False,
        },
        "files_processes": {
            "search_by_path": "",
            "delete_file": False,
            "locate_file": "",
            "update_locate_database": False,
            "spotlight_search": "",
            "search_for_process": "",
            "kill_process": False,
            "run_command": "",
        },
        "user_interaction": {
            "message_start": "",
            "allow_users_to_defer": False,
            "allow_deferral_until_utc": "",
            "allow_deferral_minutes": 0,
            "message_finish": "",
        },
        "disk_encryption": {"action": "none"},
    }


def _policy(
    policy_id: int, name: str, category: str, frequency: str, *, enabled: bool = True,
    checkin: bool = True, all_computers: bool = False, **extra: Any,
) -> dict[str, Any]:  # fmt: skip
    policy = blank_policy(policy_id, name)
    general = policy["general"]
    general.update(enabled=enabled, trigger_checkin=checkin, frequency=frequency)
    general["category"] = {"id": _CATEGORY[category], "name": category}
    policy["scope"]["all_computers"] = all_computers
    for path, value in extra.items():
        section, _, key = path.partition("__")
        if key:
            policy[section][key] = value
        else:
            policy[section] = value
    return policy


def _package(pid: int, name: str) -> dict[str, Any]:
    return {
        "id": pid,
        "name": name,
        "action": "Install",
        "fut": False,
        "feu": False,
        "update_autorun": False,
    }


def _self_service(name: str, description: str) -> dict[str, Any]:
    section: dict[str, Any] = blank_policy(0, name)["self_service"]
    section.update(
        use_for_self_service=True,
        self_service_display_name=name,
        self_service_description=description,
        self_service_categories=[
            {"id": 5, "name": "Self Service", "display_in": True, "feature_in": False}
        ],
    )
    return section


def demo_policies() -> dict[int, dict[str, Any]]:
    """Thirteen policies; id 1 "Update Inventory" and id 45 "Software Update" are contract facts,
    id 12 "Inventory on Request" is the Ongoing recon policy docs/configuration.md recommends."""
    recon = blank_policy(0, "")["maintenance"] | {"recon": True}
    policies = [
        _policy(1, "Update Inventory", "Maintenance", "Once every week", all_computers=True, maintenance=recon),
        _policy(
            2, "Install Google Chrome", "Browsers", "Once per computer",
            scope__computer_groups=[{"id": 1, "name": "All Managed Clients"}],
            package_configuration__packages=[_package(1, "GoogleChrome.pkg")],
        ),
        _policy(
            3, "Enable FileVault", "Security", "Once per computer",
            scope__computer_groups=[{"id": 3, "name": "FileVault Not Enabled"}],
            disk_encryption={"action": "apply", "disk_encryption_configuration_id": 1, "auth_restart": False},
        ),
        _policy(
            4, "Office 365", "Productivity", "Once per computer", all_computers=True,
            package_configuration__packages=[_package(2, "Microsoft_365_and_Office_16.100_Installer.pkg")],
        ),
        _policy(
            5, "Install Slack", "Self Service", "Ongoing", checkin=False,
            all_computers=True, self_service=_self_service("Slack", "Team chat."),
            package_configuration__packages=[_package(3, "Slack-4.45.64.pkg")],
        ),
        _policy(6, "Legacy VPN Client", "Security", "Once per computer", enabled=False, all_computers=True),
        _policy(
            7, "Sales Dashboard Shortcut", "Productivity", "Once per computer",
            scope__departments=[{"id": 2, "name": "Sales"}],
        ),
        _policy(
            8, "Install Rosetta 2", "Maintenance", "Once per computer", all_computers=True,
            scripts=[{"id": 1, "name": "install_rosetta.sh", "priority": "After"}],
        ),
        _policy(
            9, "Zoom Workplace", "Self Service", "Ongoing", checkin=False, all_computers=True,
            self_service=_self_service("Zoom", "Video meetings."),
            package_configuration__packages=[_package(4, "zoomusInstallerFull.pkg")],
        ),
        _policy(
            10, "Engineering Developer Tools", "Developer Tools", "Once per computer",
            scope__computer_groups=[{"id": 5, "name": "Engineering Pilot"}],
        ),
        _policy(
            11, "Reset Dock", "Maintenance", "Once per user per computer", checkin=False,
            general__trigger_login=True, all_computers=True,
        ),
        # The on-demand inventory policy Jamf admins set up for API-triggered recon: Ongoing, at
        # check-in, scoped to nothing (jamf-mcp's dedicated group joins its scope, and leaves it).
        _policy(12, "Inventory on Request", "Maintenance", "Ongoing", maintenance=recon),
        _policy(45, "Software Update", "Maintenance", "Once every day", all_computers=True),
    ]  # fmt: skip
    return {p["general"]["id"]: p for p in policies}


def deep_merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with ``update`` merged in (dicts recursively, everything else replaced)."""
    merged: dict[str, Any] = copy.deepcopy(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
