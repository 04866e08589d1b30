"""Deterministic generation of the demo fleet (computers and mobile devices).

Records are generated in id order from one seeded RNG, so a fleet of N is a prefix of any larger
fleet with the same seed: the contract ids below hold for every fleet size that contains them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from jamf_mcp.simulator.catalog import (
    BUILDINGS,
    DEPARTMENT_IDS,
    DEPARTMENTS,
    IOS_BUILDS,
    IPAD_MODELS,
    IPHONE_MODELS,
    MAC_MODELS,
    MACOS_BUILDS,
    MODEL_INDEX,
)
from jamf_mcp.simulator.clock import MS_PER_DAY, MS_PER_SECOND
from jamf_mcp.simulator.people import JOHN_SMITH, PeoplePool, Person
from jamf_mcp.simulator.records import ComputerRecord, MobileRecord

# Computers whose last check-in is more than 30 days old (days ago). Everything else checked in
# between 5 minutes and 25 days ago. Only ids <= fleet size exist, so a fleet under 500 holds a subset.
CRITICAL_STALE_DAYS: dict[int, int] = {1: 95, 45: 92, 9: 120, 210: 150, 388: 200}
WARNING_STALE_DAYS: dict[int, int] = {
    12: 36, 27: 41, 38: 44, 56: 47, 63: 50, 81: 52, 99: 55, 104: 58, 137: 60,
    158: 62, 176: 65, 199: 67, 233: 70, 267: 72, 301: 74, 342: 76, 417: 78, 468: 79,
}  # fmt: skip
STALE_DAYS: dict[int, int] = {**CRITICAL_STALE_DAYS, **WARNING_STALE_DAYS}

JOHN_SMITH_COMPUTER_ID = 77
JOHN_SMITH_MOBILE_ID = 12
SALES_IPAD_IDS = (2, 3, 4, 5, 6)
# id -> (name, department, model or None for a random one)
FIXED_COMPUTERS: dict[int, tuple[str, str, str | None]] = {
    1: ("Marketing-MBP", "Marketing", "MacBook Pro (14-inch, M3, 2023)"),
    45: ("Sales-Mac-02", "Sales", "Mac mini (M2, 2023)"),
    77: ("John-Smith-MacBook-Pro", "Engineering", "MacBook Pro (14-inch, M3, 2023)"),
    123: ("MAC-123", "IT", None),
}
_RESERVED_NAMES = {name for name, _dept, _model in FIXED_COMPUTERS.values()} | {"John-Smith-iPhone"}

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O, as on Apple serials
_CODE_SPACE = len(_ALPHABET) ** 5
_SHORT = {dept_id: short for dept_id, _name, short, _share in DEPARTMENTS}
_DEPT_IDS = [d[0] for d in DEPARTMENTS]
_DEPT_WEIGHTS = [d[3] for d in DEPARTMENTS]
_BUILDING_IDS = [b.id for b in BUILDINGS]
_BUILDING_WEIGHTS = [b.weight for b in BUILDINGS]
_MODEL_WEIGHTS = [m.weight for m in MAC_MODELS]
_OS_WEIGHTS = [o.weight for o in MACOS_BUILDS]
_IOS_WEIGHTS = [o.weight for o in IOS_BUILDS]
_ROOMS = tuple(f"{floor}{room:02d}" for floor in range(1, 6) for room in range(1, 25))
_DISKS_MB = (245_107, 494_384, 994_662)
_FIRST_MACOS_14_ONLY = ("Mac15,", "Mac16,")


def serial_number(rng: random.Random, prefix: str, ident: int, salt: int) -> str:
    """A 12-character Apple-like serial; the last five characters encode ``ident`` bijectively."""
    code = (ident * 7919 + salt) % _CODE_SPACE
    tail = ""
    for _ in range(5):
        code, digit = divmod(code, len(_ALPHABET))
        tail = _ALPHABET[digit] + tail
    filler = "".join(rng.choice(_ALPHABET) for _ in range(12 - len(prefix) - 5))
    return prefix + filler + tail


class _Namer:
    """Hands out unique ``<Dept>-<Kind>-NN`` names."""

    def __init__(self) -> None:
        self._counters: dict[tuple[str, str], int] = {}

    def next(self, short: str, kind: str) -> str:
        while True:
            n = self._counters.get((short, kind), 0) + 1
            self._counters[(short, kind)] = n
            name = f"{short}-{kind}-{n:02d}"
            if name not in _RESERVED_NAMES:
                return name


def _pick(rng: random.Random, values: Sequence[int], weights: Sequence[int]) -> int:
    return rng.choices(values, weights=weights)[0]


def _age_ms(rng: random.Random, cid: int) -> int:
    if cid in STALE_DAYS:
        return STALE_DAYS[cid] * MS_PER_DAY + (cid * 3571 % 36_000) * MS_PER_SECOND
    if rng.random() < 0.75:
        return rng.randint(300, 86_399) * MS_PER_SECOND
    return rng.randint(86_400, 25 * 86_400) * MS_PER_SECOND


def build_computers(seed: int, count: int, now_ms: int, people: PeoplePool) -> list[ComputerRecord]:
    """The demo computers "1".."count" (contract facts documented on the constants above)."""
    rng = random.Random(seed)
    namer = _Namer()
    records: list[ComputerRecord] = []
    for cid in range(1, count + 1):
        dept = _pick(rng, _DEPT_IDS, _DEPT_WEIGHTS)
        model = _pick(rng, range(len(MAC_MODELS)), _MODEL_WEIGHTS)
        os_index = _pick(rng, range(len(MACOS_BUILDS)), _OS_WEIGHTS)
        building = _pick(rng, _BUILDING_IDS, _BUILDING_WEIGHTS)
        age = _age_ms(rng, cid)
        report_gap = rng.randint(0, 7 * 86_400) * MS_PER_SECOND
        enrolled_days = rng.randint(38, 900)
        entry_days = rng.randint(0, 400)
        roll = rng.random()
        filevault = (
            "ALL_ENCRYPTED" if roll < 0.93 else "NOT_ENCRYPTED" if roll < 0.98 else "BOOT_ENCRYPTED"
        )
        sip = rng.random() >= 0.03
        roll = rng.random()
        gatekeeper = (
            "APP_STORE_AND_IDENTIFIED_DEVELOPERS"
            if roll < 0.96
            else "APP_STORE"
            if roll < 0.97
            else "DISABLED"
        )
        firewall = rng.random() < 0.88
        managed = rng.random() < 0.98
        ade = rng.random() < 0.8
        disk = rng.choice(_DISKS_MB)
        free = (
            rng.randint(2_000, 9_500) if rng.random() < 0.03 else int(disk * rng.uniform(0.2, 0.7))
        )
        jamf_version = 0 if rng.random() < 0.9 else 1
        room = rng.choice(_ROOMS)
        person: Person = people.person(cid * 1103 + seed)
        fixed = FIXED_COMPUTERS.get(cid)
        if fixed is not None:
            name, dept_name, model_name = fixed
            dept = DEPARTMENT_IDS[dept_name]
            if model_name is not None:
                model = MODEL_INDEX[model_name]
        mac = MAC_MODELS[model]
        if MACOS_BUILDS[os_index].version.startswith("13.") and mac.identifier.startswith(
            _FIRST_MACOS_14_ONLY
        ):
            os_index = 4
        if cid == JOHN_SMITH_COMPUTER_ID:
            person, filevault, sip, firewall, managed = (
                JOHN_SMITH,
                "ALL_ENCRYPTED",
                True,
                True,
                True,
            )
            gatekeeper = "APP_STORE_AND_IDENTIFIED_DEVELOPERS"
        if fixed is None:
            name = namer.next(_SHORT[dept], mac.kind)
        serial = serial_number(rng, "FVFX" if mac.apple_silicon else "C02", cid, seed)
        last_contact = now_ms - age
        enrolled = last_contact - (enrolled_days * MS_PER_DAY)
        records.append(
            ComputerRecord(
                id=cid,
                name=name,
                asset_tag=f"MAC-{cid:03d}",
                serial=serial,
                model=model,
                os=os_index,
                ram_mb=rng.choice(mac.ram_choices),
                department_id=dept,
                building_id=building,
                username=person.username,
                realname=person.realname,
                email=person.email,
                position=person.position,
                phone=person.phone,
                room=room,
                last_contact=last_contact,
                report=max(enrolled, last_contact - report_gap),
                enrolled=enrolled,
                initial_entry=enrolled - entry_days * MS_PER_DAY,
                filevault=filevault,
                sip_enabled=sip,
                gatekeeper=gatekeeper,
                firewall=firewall,
                managed=managed,
                supervised=ade,
                ade=ade,
                disk_mb=disk,
                free_mb=free,
                jamf_version=jamf_version,
                online=age < MS_PER_DAY,
            )
        )
    return records


def build_mobile_devices(
    seed: int, count: int, now_ms: int, people: PeoplePool
) -> list[MobileRecord]:
    """The demo iPhones and iPads "1".."count": ids 2-6 are Sales iPads, id 12 is John Smith's iPhone."""
    rng = random.Random(seed * 31 + 7)
    namer = _Namer()
    records: list[MobileRecord] = []
    for mid in range(1, count + 1):
        kind = "iPhone" if rng.random() < 0.6 else "iPad"
        dept = _pick(rng, _DEPT_IDS, _DEPT_WEIGHTS)
        building = _pick(rng, _BUILDING_IDS, _BUILDING_WEIGHTS)
        os_index = _pick(rng, range(len(IOS_BUILDS)), _IOS_WEIGHTS)
        fresh = rng.random() < 0.9
        age_s = rng.randint(120, 86_399) if fresh else rng.randint(86_400, 20 * 86_400)
        inventory_gap = rng.randint(0, 3 * 86_400)
        enrolled_days = rng.randint(30, 700)
        battery = rng.randint(8, 100)
        used_share = rng.uniform(0.15, 0.85)
        model_pick = rng.random()
        person = people.person(mid * 389 + seed + 17)
        if mid in SALES_IPAD_IDS:
            kind, dept = "iPad", DEPARTMENT_IDS["Sales"]
        if mid == JOHN_SMITH_MOBILE_ID:
            kind, dept, person = "iPhone", DEPARTMENT_IDS["Engineering"], JOHN_SMITH
        models = IPHONE_MODELS if kind == "iPhone" else IPAD_MODELS
        model = 1 if mid == JOHN_SMITH_MOBILE_ID else int(model_pick * len(models))
        name = (
            "John-Smith-iPhone" if mid == JOHN_SMITH_MOBILE_ID else namer.next(_SHORT[dept], kind)
        )
        prefix = "F4H" if kind == "iPhone" else "DMP"
        last_contact = now_ms - age_s * MS_PER_SECOND
        records.append(
            MobileRecord(
                id=mid,
                name=name,
                asset_tag=f"IOS-{mid:03d}",
                serial=serial_number(rng, prefix, mid, seed),
                model=model,
                kind=kind,
                os=os_index,
                department_id=dept,
                building_id=building,
                username=person.username,
                realname=person.realname,
                email=person.email,
                position=person.position,
                phone=person.phone,
                room=_ROOMS[mid % len(_ROOMS)],
                last_contact=last_contact,
                last_inventory=last_contact - inventory_gap * MS_PER_SECOND,
                enrolled=last_contact - enrolled_days * MS_PER_DAY,
                managed=True,
                supervised=kind == "iPad" or rng.random() < 0.7,
                available_mb=int(models[model].capacity_mb * (1 - used_share)),
                battery=battery,
            )
        )
    return records
