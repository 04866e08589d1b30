"""Static demo-tenant catalogues: hardware models, OS builds, departments, buildings, people, apps."""

from __future__ import annotations

import attrs


@attrs.frozen
class MacModel:
    """One Mac model the fleet is drawn from."""

    model: str
    identifier: str
    kind: str  # name fragment: MBP, MBA, iMac, Mac (mini), Studio
    apple_silicon: bool
    processor: str
    ram_choices: tuple[int, ...]
    weight: int
    portable: bool = True


MAC_MODELS: tuple[MacModel, ...] = (
    MacModel("MacBook Pro (14-inch, M3, 2023)", "Mac15,3", "MBP", True, "Apple M3", (16384,), 14),
    MacModel(
        "MacBook Pro (16-inch, M3 Pro, 2023)", "Mac15,7", "MBP", True, "Apple M3 Pro", (36864,), 6
    ),
    MacModel(
        "MacBook Pro (14-inch, M4 Pro, 2024)", "Mac16,8", "MBP", True, "Apple M4 Pro", (24576,), 8
    ),
    MacModel(
        "MacBook Pro (14-inch, 2021)", "MacBookPro18,3", "MBP", True, "Apple M1 Pro", (16384,), 6
    ),
    MacModel("MacBook Air (M2, 2022)", "Mac14,2", "MBA", True, "Apple M2", (8192, 16384), 10),
    MacModel("MacBook Air (13-inch, M3, 2024)", "Mac15,12", "MBA", True, "Apple M3", (16384,), 10),
    MacModel("MacBook Air (M1, 2020)", "MacBookAir10,1", "MBA", True, "Apple M1", (8192,), 6),
    MacModel("iMac (24-inch, M3, 2023)", "Mac15,4", "iMac", True, "Apple M3", (16384,), 3, False),
    MacModel("Mac mini (M2, 2023)", "Mac14,3", "Mac", True, "Apple M2", (16384,), 3, False),
    MacModel("Mac Studio (2023)", "Mac14,13", "Studio", True, "Apple M2 Max", (32768,), 2, False),
    MacModel(
        "MacBook Pro (16-inch, 2019)",
        "MacBookPro16,1",
        "MBP",
        False,
        "8-Core Intel Core i9",
        (16384, 32768),
        10,
    ),
    MacModel(
        "MacBook Pro (13-inch, 2020, Four Thunderbolt 3 ports)",
        "MacBookPro16,2",
        "MBP",
        False,
        "Quad-Core Intel Core i5",
        (16384,),
        8,
    ),
    MacModel(
        "MacBook Air (Retina, 13-inch, 2020)",
        "MacBookAir9,1",
        "MBA",
        False,
        "Dual-Core Intel Core i3",
        (8192,),
        5,
    ),
    MacModel(
        "iMac (Retina 5K, 27-inch, 2020)",
        "iMac20,1",
        "iMac",
        False,
        "6-Core Intel Core i5",
        (32768,),
        4,
        False,
    ),
    MacModel(
        "Mac mini (2018)", "Macmini8,1", "Mac", False, "6-Core Intel Core i7", (16384,), 5, False
    ),
)
MODEL_INDEX = {m.model: i for i, m in enumerate(MAC_MODELS)}


@attrs.frozen
class OsBuild:
    """A macOS or iOS version with its build."""

    version: str
    build: str
    weight: int


MACOS_BUILDS: tuple[OsBuild, ...] = (
    OsBuild("15.6.1", "24G90", 34),
    OsBuild("15.6", "24G84", 18),
    OsBuild("15.5", "24F74", 14),
    OsBuild("15.4.1", "24E263", 8),
    OsBuild("14.7.6", "23H626", 12),
    OsBuild("14.6.1", "23G93", 6),
    OsBuild("13.7.6", "22H625", 4),
)
IOS_BUILDS: tuple[OsBuild, ...] = (
    OsBuild("18.6.2", "22G100", 40),
    OsBuild("18.6", "22G86", 25),
    OsBuild("18.5", "22F76", 20),
    OsBuild("17.7.2", "21H221", 15),
)


@attrs.frozen
class MobileModel:
    """One iPhone or iPad model."""

    model: str
    identifier: str
    model_number: str
    kind: str  # iPhone or iPad
    capacity_mb: int


IPHONE_MODELS: tuple[MobileModel, ...] = (
    MobileModel("iPhone 15", "iPhone15,4", "MTLT3LL/A", "iPhone", 121_856),
    MobileModel("iPhone 15 Pro", "iPhone16,1", "MTU83LL/A", "iPhone", 243_712),
    MobileModel("iPhone 16", "iPhone17,3", "MYE73LL/A", "iPhone", 121_856),
    MobileModel("iPhone 14", "iPhone14,7", "MPUF3LL/A", "iPhone", 121_856),
)
IPAD_MODELS: tuple[MobileModel, ...] = (
    MobileModel("iPad (10th generation)", "iPad13,18", "MPQ03LL/A", "iPad", 60_928),
    MobileModel("iPad Air 11-inch (M2)", "iPad14,8", "MUWD3LL/A", "iPad", 121_856),
    MobileModel("iPad Pro 11-inch (M4)", "iPad16,3", "MVV83LL/A", "iPad", 243_712),
)

# (id, name, short name used in device names, share of the fleet in percent)
DEPARTMENTS: tuple[tuple[int, str, str, int], ...] = (
    (1, "Marketing", "Marketing", 10),
    (2, "Sales", "Sales", 15),
    (3, "Engineering", "Engineering", 24),
    (4, "Finance", "Finance", 6),
    (5, "Human Resources", "HR", 4),
    (6, "IT", "IT", 8),
    (7, "Legal", "Legal", 4),
    (8, "Operations", "Ops", 8),
    (9, "Support", "Support", 13),
    (10, "Design", "Design", 8),
)
DEPARTMENT_IDS = {name: dept_id for dept_id, name, _short, _share in DEPARTMENTS}


@attrs.frozen
class Building:
    """A site building with a postal address."""

    id: int
    name: str
    street: str
    city: str
    state: str
    zip_code: str
    country: str
    weight: int


BUILDINGS: tuple[Building, ...] = (
    Building(1, "Headquarters", "100 Main Street", "Minneapolis", "MN", "55401", "US", 45),
    Building(2, "Riverside Office", "2200 River Road", "Eau Claire", "WI", "54701", "US", 20),
    Building(3, "Austin Hub", "500 Congress Avenue", "Austin", "TX", "78701", "US", 20),
    Building(4, "Amsterdam Office", "Keizersgracht 101", "Amsterdam", "", "1015 CJ", "NL", 15),
)

FIRST_NAMES: tuple[str, ...] = (
    "Ava",
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Oliver",
    "Sophia",
    "Elijah",
    "Isabella",
    "James",
    "Mia",
    "William",
    "Amelia",
    "Benjamin",
    "Harper",
    "Lucas",
    "Evelyn",
    "Henry",
    "Abigail",
    "Alexander",
    "Emily",
    "Daniel",
    "Ella",
    "Matthew",
    "Grace",
    "Samuel",
    "Chloe",
    "David",
    "Zoe",
    "Joseph",
    "Nora",
    "Carter",
    "Lily",
    "Owen",
    "Hannah",
    "Wyatt",
    "Layla",
    "John",
    "Aria",
    "Jack",
    "Riley",
    "Luke",
    "Scarlett",
    "Jayden",
    "Victoria",
    "Dylan",
    "Madison",
    "Levi",
    "Luna",
    "Isaac",
    "Priya",
    "Mateo",
    "Aisha",
    "Kenji",
    "Fatima",
    "Diego",
    "Mei",
    "Arjun",
    "Sofia",
    "Tomas",
    "Ingrid",
    "Omar",
    "Yuki",
    "Nadia",
)
# "Smith" is deliberately absent: the one John Smith of the tenant is placed by hand.
LAST_NAMES: tuple[str, ...] = (
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Patel",
    "Kim",
    "Chen",
    "Okafor",
    "Novak",
    "Schmidt",
    "Larsen",
    "Silva",
    "Tanaka",
    "Kowalski",
    "Dubois",
    "Rossi",
    "Murphy",
    "Hansen",
    "Ivanova",
)
POSITIONS: tuple[str, ...] = (
    "Account Executive",
    "Software Engineer",
    "Product Designer",
    "Financial Analyst",
    "Support Specialist",
    "Marketing Manager",
    "Recruiter",
    "Systems Administrator",
    "Counsel",
    "Operations Coordinator",
    "Engineering Manager",
    "Sales Director",
)


@attrs.frozen
class App:
    """An application found in computer inventory."""

    name: str
    bundle_id: str
    version: str
    size_mb: int
    mac_app_store: bool = False


APPS: tuple[App, ...] = (
    App("Google Chrome.app", "com.google.Chrome", "139.0.7258.128", 1280),
    App("Microsoft Word.app", "com.microsoft.Word", "16.100", 2400),
    App("Microsoft Outlook.app", "com.microsoft.Outlook", "16.100", 2100),
    App("Slack.app", "com.tinyspeck.slackmacgap", "4.45.64", 480),
    App("zoom.us.app", "us.zoom.xos", "6.5.11", 320),
    App("Keynote.app", "com.apple.iWork.Keynote", "14.4", 720, mac_app_store=True),
    App("Safari.app", "com.apple.Safari", "18.6", 60),
)
CATEGORIES: tuple[tuple[int, str, int], ...] = (
    (1, "Maintenance", 9),
    (2, "Security", 5),
    (3, "Productivity", 9),
    (4, "Browsers", 9),
    (5, "Self Service", 10),
    (6, "Developer Tools", 9),
)
JAMF_BINARY_VERSIONS: tuple[str, ...] = ("11.30.1-t1784555528405", "11.29.0-t1781011230112")
