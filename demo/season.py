"""The demo's season: the campaigns of the weeks ahead, named for their time of year, and the upcoming
events of every region, written as organisers write them (in Kazakh, Russian, English, or some of
them), at real places of real settlements (reference/data/kz_settlements.csv).

Pure data and rules, no writes (demo/load.py appends them through the services). The campaigns
depend on the day the demo is loaded, so their names always fit the time of year: a winter demo
has winter clean-ups, a demo loaded in February also the Nauryz tree planting (1 to 21 March) and
the spring clean-ups. The events do not: every region has the same events on every day, each on
the first campaign that covers its day and its kind (or its second kind, out of season).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from reference.settlements import settlement_list

HORIZON_DAYS = 35  # the events of the demo are in the next five weeks


@dataclass(frozen=True)
class DemoCampaign:
    key: str
    name: dict[str, str]
    description: dict[str, str]
    starts_on: dt.date
    ends_on: dt.date
    event_kinds: tuple[str, ...]


ALL_KINDS = ("cleanup", "tree_planting", "area_cleanup")


def _season(key: str, names: tuple[str, str, str], about: tuple[str, str, str], year_text: str, kinds) -> dict:
    kk, ru, en = names
    return {
        "key": key,
        "name": {"kk": f"{kk} {year_text}", "ru": f"{ru} {year_text}", "en": f"{en} {year_text}"},
        "description": dict(zip(("kk", "ru", "en"), about, strict=True)),
        "event_kinds": kinds,
    }


def _campaigns_of_year(year: int) -> list[DemoCampaign]:
    """The demo's campaigns that start in `year`, in the order an event looks for its campaign:
    the Nauryz tree planting before the spring clean-ups it overlaps."""
    february_end = dt.date(year + 1, 2, calendar.monthrange(year + 1, 2)[1])
    seasons = [
        (
            _season(
                "nauryz",
                ("Наурызға ағаш отырғызу", "Посадка деревьев к Наурызу", "Nauryz tree planting"),
                (
                    "Наурыз мерекесіне дейін әр өңірде ағаш отырғызамыз.",
                    "До праздника Наурыз сажаем деревья в каждом регионе.",
                    "Trees planted in every region before the Nauryz holiday.",
                ),
                str(year),
                ("tree_planting",),
            ),
            dt.date(year, 3, 1),
            dt.date(year, 3, 21),
        ),
        (
            _season(
                "spring",
                ("Көктемгі сенбіліктер", "Весенние субботники", "Spring clean-ups"),
                (
                    "Қар кеткен соң аулаларды, саябақтар мен өзен жағаларын тазалау.",
                    "Уборка дворов, парков и берегов рек после схода снега.",
                    "Courtyards, parks and riverbanks cleaned once the snow is gone.",
                ),
                str(year),
                ALL_KINDS,
            ),
            dt.date(year, 3, 1),
            dt.date(year, 5, 31),
        ),
        (
            _season(
                "summer",
                ("Жазғы сенбіліктер", "Летние субботники", "Summer clean-ups"),
                (
                    "Жағажайлар мен демалыс орындарын тазалау.",
                    "Уборка пляжей и мест отдыха.",
                    "Beaches and picnic places cleaned.",
                ),
                str(year),
                ("cleanup", "area_cleanup"),
            ),
            dt.date(year, 6, 1),
            dt.date(year, 8, 31),
        ),
        (
            _season(
                "autumn",
                ("Күзгі сенбіліктер", "Осенние субботники", "Autumn clean-ups"),
                (
                    "Қыс алдында саябақтарды тазалап, ағаш отырғызамыз.",
                    "Перед зимой убираем парки и сажаем деревья.",
                    "Parks cleaned and trees planted before the winter.",
                ),
                str(year),
                ALL_KINDS,
            ),
            dt.date(year, 9, 1),
            dt.date(year, 11, 30),
        ),
        (
            _season(
                "winter",
                ("Қысқы сенбіліктер", "Зимние субботники", "Winter clean-ups"),
                (
                    "Аулаларды, аялдамалар мен саябақтарды қыста тазалау.",
                    "Зимняя уборка дворов, остановок и парков.",
                    "Courtyards, bus stops and parks cleaned in the winter.",
                ),
                f"{year}–{year + 1}",
                ("cleanup", "area_cleanup"),
            ),
            dt.date(year, 12, 1),
            february_end,
        ),
    ]
    return [
        DemoCampaign(
            key=f"{season['key']}-{year}",
            name=season["name"],
            description=season["description"],
            starts_on=starts_on,
            ends_on=ends_on,
            event_kinds=season["event_kinds"],
        )
        for season, starts_on, ends_on in seasons
    ]


def season_campaigns(today: dt.date) -> list[DemoCampaign]:
    """The campaigns whose days meet the demo's weeks, today to HORIZON_DAYS ahead."""
    last = today + dt.timedelta(days=HORIZON_DAYS)
    return [
        campaign
        for year in (today.year - 1, today.year, today.year + 1)
        for campaign in _campaigns_of_year(year)
        if campaign.starts_on <= last and campaign.ends_on >= today
    ]


def campaign_for(campaigns: list[DemoCampaign], day: dt.date, kinds: tuple[str, ...]) -> tuple[DemoCampaign, str]:
    """The campaign an event of `day` joins and its kind: the first kind of `kinds` a campaign of
    that day covers, in `kinds`' order."""
    for kind in kinds:
        for campaign in campaigns:
            if campaign.starts_on <= day <= campaign.ends_on and kind in campaign.event_kinds:
                return campaign, kind
    raise LookupError(f"no demo campaign on {day} for {kinds}")


# --- organisations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    region: str
    kind: str  # volunteers.models.Organisation.Kind
    name: dict[str, str]  # as they write it: some only in Kazakh and Russian


# The regions' centres as each language writes them (the akimats' departments are named after them).
CENTRES = {
    "KZ-10": ("Семей", "Семей", "Semey"),
    "KZ-11": ("Көкшетау", "Кокшетау", "Kokshetau"),
    "KZ-15": ("Ақтөбе", "Актобе", "Aktobe"),
    "KZ-19": ("Қонаев", "Конаев", "Konaev"),
    "KZ-23": ("Атырау", "Атырау", "Atyrau"),
    "KZ-27": ("Орал", "Уральск", "Oral"),
    "KZ-31": ("Тараз", "Тараз", "Taraz"),
    "KZ-33": ("Талдықорған", "Талдыкорган", "Taldykorgan"),
    "KZ-35": ("Қарағанды", "Караганда", "Karaganda"),
    "KZ-39": ("Қостанай", "Костанай", "Kostanay"),
    "KZ-43": ("Қызылорда", "Кызылорда", "Kyzylorda"),
    "KZ-47": ("Ақтау", "Актау", "Aktau"),
    "KZ-55": ("Павлодар", "Павлодар", "Pavlodar"),
    "KZ-59": ("Петропавл", "Петропавловск", "Petropavl"),
    "KZ-61": ("Түркістан", "Туркестан", "Turkistan"),
    "KZ-62": ("Жезқазған", "Жезказган", "Zhezkazgan"),
    "KZ-63": ("Өскемен", "Усть-Каменогорск", "Oskemen"),
    "KZ-71": ("Астана", "Астана", "Astana"),
    "KZ-75": ("Алматы", "Алматы", "Almaty"),
    "KZ-79": ("Шымкент", "Шымкент", "Shymkent"),
}


def _akimat(region: str) -> DemoOrganisation:
    kk, ru, en = CENTRES[region]
    return DemoOrganisation(
        f"akimat-{region}",
        region,
        "akimat",
        {
            "kk": f"{kk} қаласы әкімдігінің табиғи ресурстар бөлімі",
            "ru": f"Отдел природных ресурсов акимата города {ru}",
            "en": f"{en} City Akimat, Natural Resources Department",
        },
    )


ENU_CLUB = "enu-eco-club"  # the demo organiser's: its English name is the one the README's accounts say
ORGANISATIONS = (
    DemoOrganisation(
        ENU_CLUB,
        "KZ-71",
        "university",
        {"kk": "Л. Н. Гумилев атындағы ЕҰУ экоклубы", "ru": "Экоклуб ЕНУ имени Л. Н. Гумилёва", "en": "ENU Eco-club"},
    ),
    DemoOrganisation(
        "almaty-zhasyl",
        "KZ-75",
        "ngo",
        {"kk": "«Жасыл Алматы» еріктілер қозғалысы", "ru": "Волонтёрское движение «Жасыл Алматы»"},
    ),
    DemoOrganisation(
        "shymkent-lyceum",
        "KZ-79",
        "school",
        {"kk": "Шымкент қаласының №8 мектеп-лицейі", "ru": "Школа-лицей № 8 города Шымкент"},
    ),
    DemoOrganisation(
        "karaganda-steel",
        "KZ-35",
        "company",
        {"kk": "«Сарыарқа Болат» ЖШС", "ru": "ТОО «Сарыарка Болат»", "en": "Saryarka Bolat LLP"},
    ),
    DemoOrganisation(
        "oskemen-altai",
        "KZ-63",
        "ngo",
        {"kk": "«Алтай табиғаты» қоғамдық бірлестігі", "ru": "Общественное объединение «Природа Алтая»"},
    ),
    DemoOrganisation(
        "aktau-caspian",
        "KZ-47",
        "ngo",
        {
            "kk": "«Таза Каспий» экологиялық қоры",
            "ru": "Экологический фонд «Чистый Каспий»",
            "en": "Clean Caspian Fund",
        },
    ),
    *(_akimat(region) for region in sorted(CENTRES)),
)


# --- events ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoEvent:
    key: str
    region: str
    settlement: str  # its English name in reference/data/kz_settlements.csv: the point's origin
    organisation: str  # a DemoOrganisation's key
    kinds: tuple[str, ...]  # the kind it is, then the kind it becomes out of that kind's season
    place: dict[str, str]  # the place's name in the title, per language (all three known)
    address: dict[str, str]
    written: str  # the languages its organiser writes in: "kk ru en", "kk ru", "ru", …
    in_days: int
    hour: int
    capacity: int
    offset: tuple[float, float] = (0.0, 0.0)  # from the settlement's centre, in degrees


TITLES = {
    "cleanup": {"kk": "Сенбілік: {place}", "ru": "Субботник: {place}", "en": "Clean-up: {place}"},
    "tree_planting": {
        "kk": "Ағаш отырғызу: {place}",
        "ru": "Посадка деревьев: {place}",
        "en": "Tree planting: {place}",
    },
    "area_cleanup": {
        "kk": "Аумақты тазалау: {place}",
        "ru": "Уборка территории: {place}",
        "en": "Area clean-up: {place}",
    },
}
DESCRIPTIONS = {
    "cleanup": {
        "kk": "Қоқысты жинап, бірден сұрыптаймыз: пластик, қағаз, шыны.",
        "ru": "Собираем мусор и сразу сортируем: пластик, бумага, стекло.",
        "en": "We pick up litter and sort it on the spot: plastic, paper, glass.",
    },
    "tree_planting": {
        "kk": "Көшеттерді отырғызып, суарамыз; әр ағашқа күтуші бекітіледі.",
        "ru": "Сажаем и поливаем саженцы; за каждым деревом закрепляем шефа.",
        "en": "We plant and water saplings; each tree gets someone to look after it.",
    },
    "area_cleanup": {
        "kk": "Аумақты тастанды қоқыстан тазартып, қоқысты полигонға шығарамыз.",
        "ru": "Очищаем территорию от стихийной свалки и вывозим мусор на полигон.",
        "en": "We clear the area of a dump and take the waste to the landfill.",
    },
}
WHAT_TO_BRING = {
    "cleanup": {
        "kk": "Қолғап, су, жылы киім; қаптар беріледі.",
        "ru": "Перчатки, вода, тёплая одежда; мешки выдадим.",
        "en": "Gloves, water, warm clothes; bags are provided.",
    },
    "tree_planting": {
        "kk": "Қолғап пен су; күректер беріледі.",
        "ru": "Перчатки и вода; лопаты выдадим.",
        "en": "Gloves and water; spades are provided.",
    },
    "area_cleanup": {
        "kk": "Берік аяқ киім, қолғап, су.",
        "ru": "Крепкая обувь, перчатки, вода.",
        "en": "Sturdy shoes, gloves, water.",
    },
}


def _e(key, region, settlement, organisation, kinds, place, address, written, in_days, hour, capacity, offset=(0, 0)):
    return DemoEvent(
        key,
        region,
        settlement,
        organisation,
        tuple(kinds.split()),
        dict(zip(("kk", "ru", "en"), place, strict=True)),
        dict(zip(("kk", "ru", "en"), address, strict=True)),
        written,
        in_days,
        hour,
        capacity,
        offset,
    )


A = "akimat-"
EVENTS = (
    # The four the demo accounts register for (demo/load.py REGISTRATIONS), in Astana, Almaty, Shymkent.
    _e(
        "esil-embankment",
        "KZ-71",
        "Astana",
        ENU_CLUB,
        "cleanup",
        ("Есіл жағалауы", "набережная Есиля", "Esil embankment"),
        (
            "Есіл жағалауы, «Бәйтерек» тұсы",
            "набережная Есиля, напротив «Байтерека»",
            "Esil embankment, opposite Baiterek",
        ),
        "kk ru en",
        3,
        10,
        30,
        (-0.052, -0.015),
    ),
    _e(
        "botanical-garden",
        "KZ-71",
        "Astana",
        ENU_CLUB,
        "tree_planting cleanup",
        ("Ботаникалық бақ", "Ботанический сад", "Botanical garden"),
        ("Ботаникалық бақ, оңтүстік қақпа", "Ботанический сад, южные ворота", "Botanical garden, south gate"),
        "kk ru en",
        6,
        10,
        3,
        (-0.073, -0.029),
    ),
    _e(
        "almaty-foothills",
        "KZ-75",
        "Almaty",
        "almaty-zhasyl",
        "area_cleanup",
        ("Медеу бөктері", "предгорья Медеу", "Medeu foothills"),
        ("Медеу, төменгі автотұрақ", "Медеу, нижняя парковка", "Medeu, the lower car park"),
        "kk ru",
        8,
        9,
        50,
        (-0.094, 0.148),
    ),
    _e(
        "shymkent-park",
        "KZ-79",
        "Shymkent",
        "shymkent-lyceum",
        "cleanup",
        ("Орталық саябақ", "Центральный парк", "Central park"),
        ("Орталық саябақ, бас кіреберіс", "Центральный парк, главный вход", "Central park, main entrance"),
        "kk ru",
        10,
        10,
        25,
        (0.007, -0.004),
    ),
    # Astana
    _e(
        "astana-malaya-taldykol",
        "KZ-71",
        "Astana",
        A + "KZ-71",
        "area_cleanup",
        ("Кіші Талдыкөл", "Малый Талдыколь", "Little Taldykol lake"),
        (
            "Кіші Талдыкөл көлі, Қабанбай батыр даңғылы жағы",
            "озеро Малый Талдыколь, со стороны пр. Кабанбай батыра",
            "Little Taldykol lake, Kabanbay Batyr Avenue side",
        ),
        "kk ru",
        13,
        11,
        60,
        (-0.07, -0.02),
    ),
    _e(
        "astana-triathlon-park",
        "KZ-71",
        "Astana",
        ENU_CLUB,
        "cleanup",
        ("Триатлон саябағы", "Триатлон-парк", "Triathlon park"),
        ("Триатлон саябағы, Тұран даңғылы", "Триатлон-парк, проспект Туран", "Triathlon park, Turan Avenue"),
        "ru",
        20,
        11,
        40,
        (-0.09, -0.03),
    ),
    _e(
        "astana-yesil-grove",
        "KZ-71",
        "Astana",
        A + "KZ-71",
        "tree_planting cleanup",
        ("Жасыл белдеу", "Зелёный пояс", "Green belt"),
        ("Қорғалжын тас жолы, 12-шақырым", "Коргалжинское шоссе, 12-й километр", "Korgalzhyn highway, km 12"),
        "kk",
        27,
        10,
        80,
        (-0.05, -0.12),
    ),
    # Almaty
    _e(
        "almaty-esentai",
        "KZ-75",
        "Almaty",
        "almaty-zhasyl",
        "cleanup",
        ("Есентай өзенінің жағасы", "берег реки Есентай", "Esentai riverbank"),
        (
            "Есентай өзені, Әл-Фараби даңғылы көпірі",
            "река Есентай, мост на проспекте аль-Фараби",
            "Esentai river, the al-Farabi Avenue bridge",
        ),
        "kk ru en",
        4,
        11,
        45,
        (-0.04, 0.03),
    ),
    _e(
        "almaty-sayran",
        "KZ-75",
        "Almaty",
        A + "KZ-75",
        "cleanup",
        ("Сайран көлі", "озеро Сайран", "Sairan lake"),
        (
            "Сайран көлі, Төле би көшесі жағы",
            "озеро Сайран, со стороны улицы Толе би",
            "Sairan lake, Tole Bi Street side",
        ),
        "ru",
        15,
        10,
        35,
        (0.0, -0.05),
    ),
    _e(
        "almaty-bag",
        "KZ-75",
        "Almaty",
        "almaty-zhasyl",
        "tree_planting cleanup",
        ("Бауыржан Момышұлы саябағы", "парк имени Бауыржана Момышулы", "Baurzhan Momyshuly park"),
        (
            "Момышұлы көшесі, саябақтың солтүстік кіреберісі",
            "улица Момышулы, северный вход в парк",
            "Momyshuly Street, the park's north entrance",
        ),
        "kk ru",
        29,
        10,
        40,
        (-0.01, -0.07),
    ),
    # Shymkent
    _e(
        "shymkent-badam",
        "KZ-79",
        "Shymkent",
        A + "KZ-79",
        "area_cleanup",
        ("Бадам өзенінің жағасы", "берег реки Бадам", "Badam riverbank"),
        (
            "Бадам өзені, Тәуке хан даңғылы көпірі",
            "река Бадам, мост на проспекте Тауке хана",
            "Badam river, the Tauke Khan Avenue bridge",
        ),
        "kk ru",
        5,
        10,
        50,
        (-0.02, 0.03),
    ),
    _e(
        "shymkent-dendropark",
        "KZ-79",
        "Shymkent",
        "shymkent-lyceum",
        "tree_planting cleanup",
        ("Дендросаябақ", "Дендропарк", "Dendropark"),
        ("Дендросаябақ, Байтұрсынов көшесі", "Дендропарк, улица Байтурсынова", "Dendropark, Baitursynov Street"),
        "kk",
        17,
        10,
        60,
        (0.01, 0.02),
    ),
    _e(
        "shymkent-ordabasy",
        "KZ-79",
        "Shymkent",
        A + "KZ-79",
        "cleanup",
        ("Ордабасы алаңы", "площадь Ордабасы", "Ordabasy square"),
        (
            "Ордабасы алаңы, Қазыбек би көшесі",
            "площадь Ордабасы, улица Казыбек би",
            "Ordabasy square, Kazybek Bi Street",
        ),
        "kk ru en",
        24,
        11,
        30,
        (0.005, -0.01),
    ),
    # Abai Region
    _e(
        "semey-irtysh",
        "KZ-10",
        "Semey",
        A + "KZ-10",
        "cleanup",
        ("Ертіс жағалауы", "набережная Иртыша", "Irtysh embankment"),
        (
            "Семей, Ертіс жағалауы, Абай көпірі маңы",
            "Семей, набережная Иртыша, у моста Абая",
            "Semey, Irtysh embankment, by the Abai bridge",
        ),
        "kk ru",
        2,
        11,
        40,
        (0.0, 0.01),
    ),
    _e(
        "semey-polkovnichy",
        "KZ-10",
        "Semey",
        A + "KZ-10",
        "area_cleanup",
        ("Полковничий аралы", "остров Полковничий", "Polkovnichy island"),
        (
            "Семей, Полковничий аралы, жағажай",
            "Семей, остров Полковничий, пляж",
            "Semey, Polkovnichy island, the beach",
        ),
        "ru",
        16,
        10,
        50,
        (0.01, 0.02),
    ),
    _e(
        "ayagoz-park",
        "KZ-10",
        "Ayagoz",
        A + "KZ-10",
        "tree_planting cleanup",
        ("Аягөз қалалық саябағы", "городской парк Аягоза", "Ayagoz town park"),
        ("Аягөз, Ақтамберді көшесі, саябақ", "Аягоз, улица Актамберды, парк", "Ayagoz, Aktamberdy Street, the park"),
        "kk",
        30,
        10,
        25,
    ),
    # Akmola Region
    _e(
        "kokshetau-kopa",
        "KZ-11",
        "Kokshetau",
        A + "KZ-11",
        "cleanup",
        ("Қопа көлі", "озеро Копа", "Kopa lake"),
        (
            "Көкшетау, Қопа көлінің солтүстік жағасы",
            "Кокшетау, северный берег озера Копа",
            "Kokshetau, Kopa lake, north shore",
        ),
        "kk ru en",
        6,
        11,
        35,
        (-0.02, 0.02),
    ),
    _e(
        "shchuchinsk-borovoe",
        "KZ-11",
        "Shchuchinsk",
        A + "KZ-11",
        "area_cleanup",
        ("Бурабай жағалауы", "берег Бурабая", "Burabay shore"),
        (
            "Бурабай кенті, Бурабай көлі, орталық жағажай",
            "посёлок Бурабай, озеро Боровое, центральный пляж",
            "Burabay village, Borovoe lake, the central beach",
        ),
        "kk ru",
        19,
        10,
        60,
        (0.13, 0.16),
    ),
    _e(
        "stepnogorsk-park",
        "KZ-11",
        "Stepnogorsk",
        A + "KZ-11",
        "cleanup",
        ("Степногорск қалалық саябағы", "городской парк Степногорска", "Stepnogorsk town park"),
        (
            "Степногорск, 4-шағын аудан, саябақ",
            "Степногорск, 4-й микрорайон, парк",
            "Stepnogorsk, 4th microdistrict, the park",
        ),
        "ru",
        33,
        11,
        30,
    ),
    # Aktobe Region
    _e(
        "aktobe-ilek",
        "KZ-15",
        "Aktobe",
        A + "KZ-15",
        "cleanup",
        ("Елек өзенінің жағасы", "берег реки Илек", "Ilek riverbank"),
        (
            "Ақтөбе, Елек өзені, Ағайынды Жұбановтар көшесі",
            "Актобе, река Илек, улица Братьев Жубановых",
            "Aktobe, Ilek river, Zhubanov Brothers Street",
        ),
        "kk ru",
        3,
        11,
        45,
        (0.01, 0.02),
    ),
    _e(
        "aktobe-first-president-park",
        "KZ-15",
        "Aktobe",
        A + "KZ-15",
        "tree_planting cleanup",
        ("Тұңғыш Президент саябағы", "парк Первого Президента", "First President park"),
        (
            "Ақтөбе, Әбілқайыр хан даңғылы, саябақ",
            "Актобе, проспект Абулхаир хана, парк",
            "Aktobe, Abulkhair Khan Avenue, the park",
        ),
        "kk ru en",
        18,
        10,
        50,
    ),
    _e(
        "khromtau-steppe",
        "KZ-15",
        "Khromtau",
        A + "KZ-15",
        "area_cleanup",
        ("Хромтау маңындағы дала", "степь у Хромтау", "the steppe by Khromtau"),
        (
            "Хромтау, Ақтөбе жолы, 3-шақырым",
            "Хромтау, дорога на Актобе, 3-й километр",
            "Khromtau, the Aktobe road, km 3",
        ),
        "kk",
        26,
        10,
        30,
    ),
    # Almaty Region
    _e(
        "konaev-kapshagay",
        "KZ-19",
        "Konayev",
        A + "KZ-19",
        "area_cleanup",
        ("Қапшағай жағалауы", "берег Капчагая", "Kapshagay shore"),
        (
            "Қонаев, Қапшағай су қоймасы, қалалық жағажай",
            "Конаев, Капчагайское водохранилище, городской пляж",
            "Konaev, Kapshagay reservoir, the town beach",
        ),
        "kk ru",
        7,
        10,
        70,
        (-0.01, 0.02),
    ),
    _e(
        "talgar-river",
        "KZ-19",
        "Talghar",
        A + "KZ-19",
        "cleanup",
        ("Талғар өзенінің жағасы", "берег реки Талгар", "Talgar riverbank"),
        (
            "Талғар, Рысқұлов көшесі, өзен жағасы",
            "Талгар, улица Рыскулова, у реки",
            "Talgar, Ryskulov Street, by the river",
        ),
        "ru",
        14,
        11,
        30,
    ),
    _e(
        "esik-lake-road",
        "KZ-19",
        "Esik",
        A + "KZ-19",
        "tree_planting area_cleanup",
        ("Есік алма бақтары", "яблоневые сады Есика", "Esik apple orchards"),
        (
            "Есік, Есік көліне баратын жол, 2-шақырым",
            "Есик, дорога на озеро Иссык, 2-й километр",
            "Esik, the road to Lake Issyk, km 2",
        ),
        "kk ru en",
        28,
        10,
        40,
    ),
    # Atyrau Region
    _e(
        "atyrau-ural",
        "KZ-23",
        "Atyrau",
        A + "KZ-23",
        "cleanup",
        ("Жайық жағалауы", "набережная Урала", "Ural embankment"),
        (
            "Атырау, Жайық жағалауы, жаяу жүргіншілер көпірі",
            "Атырау, набережная Урала, пешеходный мост",
            "Atyrau, Ural embankment, the footbridge",
        ),
        "kk ru en",
        4,
        11,
        50,
        (0.0, 0.01),
    ),
    _e(
        "atyrau-caspian-road",
        "KZ-23",
        "Atyrau",
        A + "KZ-23",
        "area_cleanup",
        ("Балықшы кентінің маңы", "окрестности Балыкши", "outskirts of Balykshy"),
        (
            "Балықшы кенті, Атырау–Доссор жолы",
            "посёлок Балыкши, трасса Атырау–Доссор",
            "Balykshy, the Atyrau–Dossor road",
        ),
        "ru",
        21,
        10,
        40,
        (-0.04, -0.02),
    ),
    _e(
        "kulsary-park",
        "KZ-23",
        "Qulsary",
        A + "KZ-23",
        "tree_planting cleanup",
        ("Құлсары саябағы", "парк Кульсары", "Kulsary park"),
        ("Құлсары, Абай көшесі, саябақ", "Кульсары, улица Абая, парк", "Kulsary, Abai Street, the park"),
        "kk",
        32,
        10,
        25,
    ),
    # West Kazakhstan Region
    _e(
        "oral-chagan",
        "KZ-27",
        "Oral",
        A + "KZ-27",
        "cleanup",
        ("Шаған өзенінің жағасы", "берег реки Чаган", "Chagan riverbank"),
        (
            "Орал, Шаған өзені, Достық даңғылы көпірі",
            "Уральск, река Чаган, мост на проспекте Достык",
            "Oral, Chagan river, the Dostyk Avenue bridge",
        ),
        "kk ru",
        5,
        11,
        40,
        (0.01, 0.0),
    ),
    _e(
        "oral-grove",
        "KZ-27",
        "Oral",
        A + "KZ-27",
        "tree_planting area_cleanup",
        ("Ақ Жайық тоғайы", "роща Ак Жайык", "Ak Zhaiyk grove"),
        (
            "Орал, Ақ Жайық тоғайы, орталық аллея",
            "Уральск, роща Ак Жайык, центральная аллея",
            "Oral, Ak Zhaiyk grove, central alley",
        ),
        "ru",
        22,
        10,
        50,
        (-0.03, 0.02),
    ),
    _e(
        "aksay-streets",
        "KZ-27",
        "Aqsay",
        A + "KZ-27",
        "cleanup",
        ("Ақсай көшелері", "улицы Аксая", "Aksay streets"),
        ("Ақсай, Бейбітшілік алаңы", "Аксай, площадь Мира", "Aksay, Peace square"),
        "kk ru en",
        34,
        11,
        30,
    ),
    # Jambyl Region
    _e(
        "taraz-talas",
        "KZ-31",
        "Taraz",
        A + "KZ-31",
        "cleanup",
        ("Талас жағалауы", "набережная Таласа", "Talas embankment"),
        (
            "Тараз, Талас өзені, Төле би көшесі",
            "Тараз, река Талас, улица Толе би",
            "Taraz, Talas river, Tole Bi Street",
        ),
        "kk ru",
        2,
        10,
        45,
    ),
    _e(
        "taraz-aisha-bibi",
        "KZ-31",
        "Taraz",
        A + "KZ-31",
        "tree_planting cleanup",
        ("Айша бибі кесенесінің маңы", "окрестности мавзолея Айша-Биби", "around the Aisha Bibi mausoleum"),
        (
            "Айша бибі ауылы, кесене алдындағы аллея",
            "село Айша-Биби, аллея у мавзолея",
            "Aisha Bibi village, the alley by the mausoleum",
        ),
        "kk ru en",
        12,
        10,
        40,
        (0.0, -0.18),
    ),
    _e(
        "shu-station",
        "KZ-31",
        "Shu",
        A + "KZ-31",
        "area_cleanup",
        ("Шу вокзалының маңы", "привокзальная площадь Шу", "Shu station square"),
        ("Шу, вокзал алаңы", "Шу, привокзальная площадь", "Shu, the station square"),
        "ru",
        25,
        10,
        30,
    ),
    # Jetisu Region
    _e(
        "taldykorgan-karatal",
        "KZ-33",
        "Taldykorgan",
        A + "KZ-33",
        "cleanup",
        ("Қаратал жағалауы", "берег Каратала", "Karatal riverbank"),
        (
            "Талдықорған, Қаратал өзені, Тәуелсіздік көшесі",
            "Талдыкорган, река Каратал, улица Тауелсиздик",
            "Taldykorgan, Karatal river, Tauelsizdik Street",
        ),
        "kk ru",
        8,
        11,
        40,
    ),
    _e(
        "tekeli-gorge",
        "KZ-33",
        "Tekeli",
        A + "KZ-33",
        "area_cleanup",
        ("Текелі шатқалы", "Текелийское ущелье", "Tekeli gorge"),
        ("Текелі, шатқалға кіреберіс", "Текели, вход в ущелье", "Tekeli, the gorge entrance"),
        "kk",
        18,
        10,
        35,
    ),
    _e(
        "zharkent-mosque",
        "KZ-33",
        "Zharkent",
        A + "KZ-33",
        "tree_planting cleanup",
        ("Жаркент мешітінің маңы", "у Жаркентской мечети", "by the Zharkent mosque"),
        (
            "Жаркент, Юлдашев көшесі, мешіт алды",
            "Жаркент, улица Юлдашева, у мечети",
            "Zharkent, Yuldashev Street, by the mosque",
        ),
        "kk ru en",
        31,
        10,
        30,
    ),
    # Karaganda Region
    _e(
        "karaganda-central-park",
        "KZ-35",
        "Karagandy",
        "karaganda-steel",
        "cleanup",
        ("Орталық саябақ", "Центральный парк", "Central park"),
        (
            "Қарағанды, Орталық саябақ, көл жағасы",
            "Караганда, Центральный парк, у пруда",
            "Karaganda, Central park, by the pond",
        ),
        "kk ru en",
        3,
        11,
        60,
        (0.0, 0.02),
    ),
    _e(
        "temirtau-reservoir",
        "KZ-35",
        "Temirtau",
        "karaganda-steel",
        "area_cleanup",
        ("Самарқанд су қоймасы", "Самаркандское водохранилище", "Samarkand reservoir"),
        ("Теміртау, су қоймасының жағажайы", "Темиртау, пляж водохранилища", "Temirtau, the reservoir beach"),
        "ru en",
        15,
        10,
        50,
    ),
    _e(
        "balkhash-shore",
        "KZ-35",
        "Balqash",
        A + "KZ-35",
        "cleanup",
        ("Балқаш жағалауы", "берег Балхаша", "Balkhash shore"),
        ("Балқаш, қалалық жағажай", "Балхаш, городской пляж", "Balkhash, the town beach"),
        "kk ru",
        29,
        11,
        40,
    ),
    # Kostanay Region
    _e(
        "kostanay-tobol",
        "KZ-39",
        "Kostanay",
        A + "KZ-39",
        "cleanup",
        ("Тобыл жағалауы", "набережная Тобола", "Tobol embankment"),
        (
            "Қостанай, Тобыл жағалауы, Гоголь көшесі",
            "Костанай, набережная Тобола, улица Гоголя",
            "Kostanay, Tobol embankment, Gogol Street",
        ),
        "kk ru",
        4,
        11,
        45,
    ),
    _e(
        "rudny-park",
        "KZ-39",
        "Rudnyy",
        A + "KZ-39",
        "tree_planting cleanup",
        ("Рудный қалалық саябағы", "городской парк Рудного", "Rudny town park"),
        (
            "Рудный, 50 жыл Қазан даңғылы, саябақ",
            "Рудный, проспект 50 лет Октября, парк",
            "Rudny, 50 Let Oktyabrya Avenue, the park",
        ),
        "ru",
        20,
        10,
        40,
    ),
    _e(
        "lisakovsk-beach",
        "KZ-39",
        "Lisakovsk",
        A + "KZ-39",
        "area_cleanup",
        ("Лисаков жағажайы", "пляж Лисаковска", "Lisakovsk beach"),
        ("Лисаков, Тобыл жағасындағы жағажай", "Лисаковск, пляж на Тоболе", "Lisakovsk, the beach on the Tobol"),
        "kk ru en",
        33,
        10,
        30,
    ),
    # Kyzylorda Region
    _e(
        "kyzylorda-syr",
        "KZ-43",
        "Kyzylorda",
        A + "KZ-43",
        "cleanup",
        ("Сырдария жағалауы", "набережная Сырдарьи", "Syr Darya embankment"),
        (
            "Қызылорда, Сырдария жағалауы, орталық көпір",
            "Кызылорда, набережная Сырдарьи, центральный мост",
            "Kyzylorda, Syr Darya embankment, the central bridge",
        ),
        "kk ru",
        6,
        11,
        50,
    ),
    _e(
        "aral-harbour",
        "KZ-43",
        "Aral",
        A + "KZ-43",
        "area_cleanup",
        ("Арал айлағы", "Аральская гавань", "Aral harbour"),
        (
            "Арал, ескі айлақ, кемелер мұражайы",
            "Аральск, старая гавань, у музея кораблей",
            "Aral, the old harbour, by the ship museum",
        ),
        "kk",
        16,
        10,
        40,
    ),
    _e(
        "shieli-park",
        "KZ-43",
        "Shiyeli",
        A + "KZ-43",
        "tree_planting cleanup",
        ("Шиелі саябағы", "парк Шиели", "Shieli park"),
        ("Шиелі, Тәуелсіздік алаңы", "Шиели, площадь Независимости", "Shieli, Independence square"),
        "kk ru en",
        27,
        10,
        30,
    ),
    # Mangystau Region
    _e(
        "aktau-embankment",
        "KZ-47",
        "Aktau",
        "aktau-caspian",
        "cleanup",
        ("Каспий жағалауы", "набережная Каспия", "Caspian embankment"),
        (
            "Ақтау, 14-шағын аудан, жағалау",
            "Актау, 14-й микрорайон, набережная",
            "Aktau, 14th microdistrict, the embankment",
        ),
        "kk ru en",
        5,
        11,
        60,
    ),
    _e(
        "zhanaozen-outskirts",
        "KZ-47",
        "Zhanaozen",
        A + "KZ-47",
        "area_cleanup",
        ("Жаңаөзен маңы", "окрестности Жанаозена", "outskirts of Zhanaozen"),
        (
            "Жаңаөзен, Ақтау жолы, 2-шақырым",
            "Жанаозен, дорога на Актау, 2-й километр",
            "Zhanaozen, the Aktau road, km 2",
        ),
        "ru",
        19,
        10,
        40,
    ),
    _e(
        "kuryk-shore",
        "KZ-47",
        "Kuryk",
        "aktau-caspian",
        "cleanup",
        ("Құрық жағалауы", "побережье Курыка", "Kuryk shore"),
        ("Құрық, теңіз жағалауы, айлақ маңы", "Курык, морской берег у порта", "Kuryk, the seashore by the port"),
        "kk ru",
        30,
        10,
        35,
    ),
    # Pavlodar Region
    _e(
        "pavlodar-irtysh",
        "KZ-55",
        "Pavlodar",
        A + "KZ-55",
        "cleanup",
        ("Ертіс жағалауы", "набережная Иртыша", "Irtysh embankment"),
        (
            "Павлодар, Ертіс жағалауы, Благовещение соборы тұсы",
            "Павлодар, набережная Иртыша, у Благовещенского собора",
            "Pavlodar, Irtysh embankment, by the Annunciation Cathedral",
        ),
        "kk ru en",
        7,
        11,
        50,
    ),
    _e(
        "ekibastuz-park",
        "KZ-55",
        "Ekibastuz",
        A + "KZ-55",
        "tree_planting cleanup",
        ("Екібастұз қалалық саябағы", "городской парк Экибастуза", "Ekibastuz town park"),
        (
            "Екібастұз, Мәшһүр Жүсіп көшесі, саябақ",
            "Экибастуз, улица Машхур Жусупа, парк",
            "Ekibastuz, Mashkhur Zhusup Street, the park",
        ),
        "ru",
        14,
        10,
        40,
    ),
    _e(
        "aksu-steppe",
        "KZ-55",
        "Aksu",
        A + "KZ-55",
        "area_cleanup",
        ("Ақсу маңындағы дала", "степь у Аксу", "the steppe by Aksu"),
        ("Ақсу, Павлодар жолы, 5-шақырым", "Аксу, трасса на Павлодар, 5-й километр", "Aksu, the Pavlodar road, km 5"),
        "kk ru",
        26,
        10,
        30,
    ),
    # North Kazakhstan Region
    _e(
        "petropavl-ishim",
        "KZ-59",
        "Petropavl",
        A + "KZ-59",
        "cleanup",
        ("Есіл жағалауы", "берег Ишима", "Ishim riverbank"),
        (
            "Петропавл, Есіл өзені, Жамбыл көшесі",
            "Петропавловск, река Ишим, улица Жамбыла",
            "Petropavl, Ishim river, Zhambyl Street",
        ),
        "kk ru",
        9,
        11,
        40,
    ),
    _e(
        "petropavl-pestroye",
        "KZ-59",
        "Petropavl",
        A + "KZ-59",
        "area_cleanup",
        ("Пестрое көлі", "озеро Пёстрое", "Pestroye lake"),
        (
            "Петропавл, Пестрое көлінің жағасы",
            "Петропавловск, берег озера Пёстрое",
            "Petropavl, the shore of Pestroye lake",
        ),
        "ru",
        23,
        10,
        35,
        (0.02, 0.03),
    ),
    _e(
        "taiynsha-square",
        "KZ-59",
        "Taiynsha",
        A + "KZ-59",
        "tree_planting cleanup",
        ("Тайынша орталық алаңы", "центральная площадь Тайынши", "Taiynsha central square"),
        (
            "Тайынша, Конституция көшесі, алаң",
            "Тайынша, улица Конституции, площадь",
            "Taiynsha, Constitution Street, the square",
        ),
        "kk ru en",
        34,
        10,
        25,
    ),
    # Turkistan Region
    _e(
        "turkistan-yasawi",
        "KZ-61",
        "Turkistan",
        A + "KZ-61",
        "cleanup",
        ("Ясауи кесенесінің маңы", "окрестности мавзолея Яссауи", "around the Yasawi mausoleum"),
        (
            "Түркістан, Қожа Ахмет Ясауи кесенесі, шығыс аллея",
            "Туркестан, мавзолей Ходжи Ахмеда Яссауи, восточная аллея",
            "Turkistan, the Khoja Ahmed Yasawi mausoleum, east alley",
        ),
        "kk ru en",
        3,
        10,
        70,
    ),
    _e(
        "kentau-park",
        "KZ-61",
        "Kentau",
        A + "KZ-61",
        "tree_planting cleanup",
        ("Кентау саябағы", "парк Кентау", "Kentau park"),
        ("Кентау, Абай даңғылы, саябақ", "Кентау, проспект Абая, парк", "Kentau, Abai Avenue, the park"),
        "kk",
        13,
        10,
        40,
    ),
    _e(
        "saryagash-spring",
        "KZ-61",
        "Saryaghash",
        A + "KZ-61",
        "area_cleanup",
        ("Сарыағаш бұлақтары", "источники Сарыагаша", "Saryagash springs"),
        ("Сарыағаш, шипажай аймағы", "Сарыагаш, курортная зона", "Saryagash, the spa area"),
        "kk ru",
        24,
        10,
        35,
    ),
    # Ulytau Region
    _e(
        "zhezkazgan-kengir",
        "KZ-62",
        "Zhezqazghan",
        A + "KZ-62",
        "cleanup",
        ("Кеңгір жағалауы", "берег Кенгира", "Kengir shore"),
        (
            "Жезқазған, Кеңгір су қоймасы, қалалық жағажай",
            "Жезказган, Кенгирское водохранилище, городской пляж",
            "Zhezkazgan, Kengir reservoir, the town beach",
        ),
        "kk ru",
        10,
        11,
        40,
    ),
    _e(
        "satpayev-park",
        "KZ-62",
        "Satpayev",
        A + "KZ-62",
        "tree_planting cleanup",
        ("Сәтбаев қалалық саябағы", "городской парк Сатпаева", "Satpayev town park"),
        (
            "Сәтбаев, Қ. Сәтбаев даңғылы, саябақ",
            "Сатпаев, проспект К. Сатпаева, парк",
            "Satpayev, K. Satpayev Avenue, the park",
        ),
        "kk",
        22,
        10,
        30,
    ),
    _e(
        "ulytau-mountain",
        "KZ-62",
        "Zhezqazghan",
        A + "KZ-62",
        "area_cleanup",
        ("Ұлытау тауының етегі", "подножие горы Улытау", "the foot of Mount Ulytau"),
        ("Ұлытау ауылы, тауға баратын жол", "село Улытау, дорога к горе", "Ulytau village, the road to the mountain"),
        "kk ru en",
        32,
        10,
        25,
        (0.88, -0.83),
    ),
    # East Kazakhstan Region
    _e(
        "oskemen-ulba",
        "KZ-63",
        "Ust-Kamenogorsk",
        "oskemen-altai",
        "cleanup",
        ("Үлбі жағалауы", "набережная Ульбы", "Ulba embankment"),
        (
            "Өскемен, Үлбі жағалауы, Қазақстан көшесі",
            "Усть-Каменогорск, набережная Ульбы, улица Казахстан",
            "Oskemen, Ulba embankment, Kazakhstan Street",
        ),
        "kk ru",
        4,
        11,
        45,
    ),
    _e(
        "ridder-forest",
        "KZ-63",
        "Ridder",
        "oskemen-altai",
        "tree_planting area_cleanup",
        ("Риддер орман шеті", "опушка леса у Риддера", "forest edge by Ridder"),
        (
            "Риддер, Ивановский жотасына жол",
            "Риддер, дорога к Ивановскому хребту",
            "Ridder, the road to the Ivanovsky ridge",
        ),
        "ru",
        17,
        10,
        35,
    ),
    _e(
        "altay-bukhtarma",
        "KZ-63",
        "Altay",
        A + "KZ-63",
        "area_cleanup",
        ("Бұқтырма жағалауы", "берег Бухтармы", "Bukhtarma shore"),
        (
            "Алтай қаласы, Бұқтырма су қоймасы, жағажай",
            "город Алтай, Бухтарминское водохранилище, пляж",
            "Altay town, Bukhtarma reservoir, the beach",
        ),
        "kk ru en",
        28,
        10,
        40,
    ),
)
# Who registers for what (the botanical garden fills up: one volunteer waits).
REGISTRATIONS = {
    "esil-embankment": ["volunteer", "aigerim", "bolat"],
    "botanical-garden": ["volunteer", "aigerim", "bolat", "erlan"],
    "almaty-foothills": ["gulnara"],
    "semey-irtysh": ["volunteer"],
}


def written(texts: dict[str, str], languages: str) -> dict[str, str]:
    """`texts` in the languages an organiser wrote (the others left out, as they did)."""
    return {lang: texts[lang] for lang in languages.split()}


def point(event: DemoEvent) -> tuple[float, float]:
    """Where the event meets: its settlement's centre, moved by its offset."""
    settlement = next(s for s in settlement_list() if s.name == event.settlement)
    return round(settlement.latitude + event.offset[0], 5), round(settlement.longitude + event.offset[1], 5)
