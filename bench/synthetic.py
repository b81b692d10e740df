"""Synthetic public records for search benchmarks.

Everything made here is labelled as synthetic, never a real fact: slugs
start with `synthetic-`, Chinese names with 【合成】, descriptions say so,
and every record cites one synthetic report. The data never goes into
fixtures/ and this refuses the checkout's own SQLite file, so it lands in
a database of its own, e.g.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python manage.py migrate
    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python -m bench.synthetic --records 100000

The text is built from a vocabulary of common industrial and union words
drawn with Zipf-like weights, so a two-character query hits anything from a
handful of records to many thousands, as on a real portal. The same seed
gives the same records.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import bench.django_setup  # noqa: F401  (before any model is imported)

# isort: split
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import override_settings
from pypinyin import Style, lazy_pinyin

from bench import BenchError
from craftsmen.models import Person
from exhibits.models import Exhibit, Exhibition, ExhibitionArea, ExhibitKind, Sector
from portal.bulk import bulk_writes
from portal.models import Citation, Event, Figure, Organisation, Report
from portal.text import SURNAME_PINYIN
from search.index import rebuild
from search.kinds import indexed_models

LABEL = "【合成】"
LABEL_EN = "[synthetic]"
SLUG_PREFIX = "synthetic-"
NOTE = "（合成测试数据，非真实报道）"
NOTE_EN = "(Synthetic test data, not a real report.)"
REPORT = {
    "slug": "synthetic-report",
    "file_name": "synthetic.txt",
    "title": "合成测试数据（非真实报道）",
}
MINIMUM_RECORDS = 50
BATCH_SIZE = 2000

# --------------------------------------------------------------------------
# Vocabulary: (Chinese, English), most common first within each list.


def _pairs(text: str) -> list[tuple[str, str]]:
    """Parse `稀土=rare earth; 电网=power grid; …` into (Chinese, English) pairs."""
    return [tuple(item.strip().split("=", 1)) for item in text.replace("\n", " ").split(";") if item.strip()]


MATERIALS = _pairs(
    """
    稀土=rare earth; 电网=power grid; 煤矿=coal mine; 钢轨=rail; 风电=wind power; 光伏=photovoltaic; 电机=motor;
    变压器=transformer; 锅炉=boiler; 管道=pipeline; 轴承=bearing; 齿轮=gear; 阀门=valve; 电缆=cable;
    电池=battery; 永磁=permanent magnet; 铝材=aluminium; 钢板=steel plate; 焦炭=coke; 天然气=natural gas;
    机车=locomotive; 铁路=railway; 硅片=silicon wafer; 石墨=graphite; 氢能=hydrogen; 储能=energy storage;
    焊缝=weld seam; 钢水=molten steel; 铸件=casting; 模具=mould; 刀具=cutting tool; 螺栓=bolt; 叶片=blade;
    线路=power line; 配电=distribution; 变电站=substation; 巷道=roadway; 采煤机=shearer; 输送带=conveyor belt;
    液压支架=hydraulic support; 钻机=drill rig; 乳品=dairy; 羊绒=cashmere; 煤化工=coal chemical;
    多晶硅=polysilicon; 铜管=copper tube; 绝缘子=insulator; 断路器=circuit breaker; 电能表=electricity meter;
    转子=rotor; 定子=stator; 主轴=spindle; 车钩=coupler; 转向架=bogie; 道岔=switch; 接触网=catenary;
    高炉=blast furnace; 转炉=converter; 连铸=continuous casting; 轧辊=roll; 电解槽=electrolytic cell; 阳极=anode;
    阴极=cathode; 催化剂=catalyst; 污水=waste water; 粉尘=dust; 尾矿=tailings; 矿石=ore
    """
)

PROCESSES = _pairs(
    """
    检测=inspection; 焊接=welding; 维修=repair; 监测=monitoring; 切割=cutting; 保养=maintenance; 装配=assembly;
    加工=machining; 冶炼=smelting; 轧制=rolling; 铸造=casting; 锻造=forging; 热处理=heat treatment;
    正火=normalising; 淬火=quenching; 喷涂=spraying; 打磨=grinding; 校准=calibration; 调试=commissioning;
    巡检=patrol; 除尘=dust removal; 降噪=noise reduction; 节能=energy saving; 减排=emission cut; 回收=recycling;
    提纯=purification; 分离=separation; 定位=positioning; 识别=recognition; 测量=measurement; 控制=control;
    诊断=diagnosis; 预警=early warning; 防护=protection; 锁止=locking; 牵引=traction; 输送=conveying;
    清洗=cleaning; 冷却=cooling; 加热=heating; 密封=sealing; 润滑=lubrication; 紧固=fastening; 拆卸=dismantling;
    更换=replacement; 吊装=hoisting; 对中=alignment; 探伤=flaw detection; 抢修=emergency repair;
    带电作业=live working
    """
)

DEVICES = _pairs(
    """
    装置=device; 设备=equipment; 系统=system; 工艺=process; 平台=platform; 工具=tool; 机器人=robot; 工装=jig;
    夹具=clamp; 传感器=sensor; 控制器=controller; 模块=module; 仪表=instrument; 小车=trolley; 方法=method;
    技术=technology; 软件=software; 终端=terminal; 支架=bracket; 扳手=wrench
    """
)

ADJECTIVES = _pairs(
    """
    智能=smart; 自动=automatic; 便携式=portable; 多功能=multifunction; 高效=efficient; 新型=novel;
    一体化=integrated; 数字化=digital; 远程=remote; 在线=online; 快速=rapid; 精密=precision; 双频=dual frequency;
    无线=wireless; 安全=safety; 绿色=green; 低碳=low carbon; 模块化=modular; 可视化=visual; 移动式=mobile;
    防爆=explosion proof; 耐磨=wear resistant; 高压=high voltage; 低温=low temperature; 轻量化=lightweight;
    机械式=mechanical; 自锁=self locking; 防脱落=anti detachment
    """
)

# Words for running text: union work, results, quality; Zipf-weighted.
GENERAL = _pairs(
    """
    工匠=craftsman; 创新=innovation; 职工=worker; 安全=safety; 生产=production; 技术=technology;
    工会=trade union; 技能=skill; 团队=team; 企业=enterprise; 一线=front line; 成果=achievement; 效率=efficiency;
    质量=quality; 劳模=model worker; 培训=training; 现场=site; 设备=equipment; 班组=work team; 攻关=breakthrough;
    工作室=studio; 难题=problem; 成本=cost; 运行=operation; 故障=fault; 岗位=post; 推广=rollout;
    应用=application; 竞赛=contest; 技师=technician; 车间=workshop; 标准=standard; 专利=patent; 改造=retrofit;
    升级=upgrade; 研发=research; 维护=upkeep; 作业=operation; 精度=accuracy; 寿命=service life; 隐患=hazard;
    示范=demonstration; 传承=heritage; 师带徒=mentoring; 产量=output; 施工=construction; 设计=design; 试验=trial;
    验证=verification; 表彰=commendation; 荣誉=honour; 学院=academy; 产改=workforce reform; 试点=pilot;
    联盟=alliance; 协会=association; 服务=service; 助企=business support; 帮扶=assistance; 交流=exchange;
    观摩=observation; 展示=display; 生产线=production line; 工段=section; 厂区=plant; 事故=accident;
    能耗=energy use; 排放=emissions; 数据=data; 算法=algorithm; 参数=parameter; 误差=error; 稳定=stability;
    可靠=reliability; 工期=schedule; 人工=labour; 强度=intensity; 效益=benefit; 经济=economy; 环保=environment;
    北疆=northern frontier; 大国=great nation; 匠心=craftsmanship; 精益=lean; 钻研=dedication; 革新=renovation;
    小改小革=small improvements; 合理化建议=suggestions; 技术比武=skills contest; 首席技师=chief technician;
    高技能人才=high-skilled talent; 劳动竞赛=labour contest; 职业技能=vocational skills;
    新质生产力=new productive forces; 数字孪生=digital twin; 工业互联网=industrial internet;
    人工智能=artificial intelligence; 状态=condition; 温度=temperature; 压力=pressure; 振动=vibration;
    电流=current; 电压=voltage; 功率=power; 流量=flow; 图像=image; 信号=signal; 报警=alarm; 记录=record;
    周期=cycle; 损耗=loss; 返工=rework; 停机=downtime; 合格率=pass rate; 良品率=yield; 利用率=utilisation;
    自主=in-house; 国产化=localisation; 进口=import; 替代=substitution; 核心=core; 关键=key; 部件=component;
    材料=material; 结构=structure
    """
)

RESULTS = _pairs(
    """
    提高=raises; 降低=lowers; 缩短=shortens; 减少=reduces; 延长=extends; 节约=saves; 避免=avoids; 解决=solves
    """
)

PLACES = _pairs(
    """
    包头=Baotou; 呼和浩特=Hohhot; 鄂尔多斯=Ordos; 赤峰=Chifeng; 通辽=Tongliao; 乌海=Wuhai; 巴彦淖尔=Bayannur;
    乌兰察布=Ulanqab; 锡林郭勒=Xilingol; 呼伦贝尔=Hulunbuir; 兴安=Hinggan; 阿拉善=Alxa; 满洲里=Manzhouli;
    二连浩特=Erenhot; 准格尔=Jungar; 达拉特=Dalad
    """
)

INDUSTRIES = _pairs(
    """
    稀土=Rare Earth; 供电=Power Supply; 煤业=Coal; 钢铁=Steel; 铝业=Aluminium; 能源=Energy; 化工=Chemical;
    装备=Equipment; 机车=Locomotive; 电力=Electric Power; 乳业=Dairy; 新材料=New Materials; 建设=Construction;
    铁路=Railway; 光伏=Solar; 风电=Wind Power
    """
)

ORG_TYPES = [
    ("有限公司", "Co., Ltd.", "enterprise"),
    ("集团", "Group", "enterprise"),
    ("分公司", "Branch", "enterprise"),
    ("公司工会", "Company Union", "union"),
    ("产业工会", "Industrial Union", "union"),
    ("总工会", "Federation of Trade Unions", "union"),
    ("职业技术学院", "Vocational College", "education"),
    ("工匠学院", "Craftsman Academy", "education"),
    ("检修中心", "Maintenance Centre", "facility"),
    ("创新工作室", "Innovation Studio", "facility"),
    ("发展改革委", "Development and Reform Commission", "party_government"),
    ("融媒体中心", "Media Centre", "media"),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤单包"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉鹏飞玉兰志红峰海云波宇浩凯斌亮林东俊新春晓立成"
    "宏庆德荣利民永福生龙元全胜学祥才发武清彬富顺信凉冬雪梅振兴旭光"
)
MONGOLIAN_NAMES = [
    "巴特尔",
    "其其格",
    "乌兰",
    "苏和",
    "额尔敦",
    "宝音",
    "那仁",
    "格日勒",
    "阿拉坦",
    "朝鲁",
    "孟和",
    "斯琴",
    "图雅",
    "萨仁",
    "敖登",
    "哈斯",
    "达来",
    "布和",
    "吉日嘎拉",
    "乌日娜",
]
PERSON_TITLES = [
    "高级技师",
    "技师",
    "高级工程师",
    "工程师",
    "班组长",
    "车间主任",
    "首席技师",
    "电焊工",
    "钳工",
    "电工",
    "维修工",
    "巡检工",
    "工会主席",
    "劳动模范",
    "全国技术能手",
    "技术员",
]
PERSON_TITLES_EN = {
    "高级技师": "senior technician",
    "技师": "technician",
    "高级工程师": "senior engineer",
    "工程师": "engineer",
    "班组长": "team leader",
    "车间主任": "workshop director",
    "首席技师": "chief technician",
    "电焊工": "welder",
    "钳工": "fitter",
    "电工": "electrician",
    "维修工": "repairer",
    "巡检工": "patrol inspector",
    "工会主席": "union chair",
    "劳动模范": "model worker",
    "全国技术能手": "national skills champion",
    "技术员": "technical officer",
}
EVENT_TYPES = [
    ("技能竞赛", "skills contest", "action"),
    ("劳动竞赛", "labour contest", "action"),
    ("推进会", "progress meeting", "meeting"),
    ("座谈会", "symposium", "meeting"),
    ("培训班", "training course", "training"),
    ("训练营", "training camp", "training"),
    ("观摩活动", "observation visit", "activity"),
    ("成果展示活动", "achievement show", "activity"),
    ("表彰大会", "commendation conference", "conference"),
    ("系列行动", "campaign", "series"),
]
FIGURE_NOUNS = [
    ("创新成果", "innovation achievements", "项", "exhibition"),
    ("参训职工", "trainees", "人", "training"),
    ("试点单位", "pilot units", "家", "pilot_units"),
    ("工匠人数", "craftsmen", "名", "craftsmen"),
    ("投入资金", "funds invested", "万元", "investment"),
    ("工匠学院", "craftsman academies", "所", "academies"),
    ("活动场次", "events held", "场", "events"),
    ("专利数量", "patents", "项", "exhibition"),
]
KIND_POOL = _pairs(
    """
    技术革新=Technical innovation; 发明专利=Invention patent; 工艺改进=Process improvement;
    安全装备=Safety equipment; 数字化成果=Digital achievement
    """
)
SECTOR_POOL = _pairs(
    """
    能源电力=Energy and power; 冶金=Metallurgy; 煤炭=Coal; 装备制造=Equipment; 化工=Chemicals;
    交通运输=Transport; 稀土新材料=Rare-earth materials; 农畜产品加工=Agricultural processing
    """
)
AREA_POOL = _pairs(
    """
    重工业展区=Heavy industry area; 能源展区=Energy area; 职工创新集市=Workers' market; 数字化展区=Digital area
    """
)

# Share of each kind among the records that are not the exhibit pool.
KIND_SHARES = [("exhibit", 0.50), ("person", 0.25), ("organisation", 0.12), ("event", 0.08), ("figure", 0.05)]
ORGANISATION_POOL_SIZE = 200  # the organisations exhibits are credited to


class Zipf:
    """Draws from a list with weight 1 / rank ** exponent."""

    def __init__(self, items: list, exponent: float = 1.0):
        self.items = items
        self.cumulative = list(accumulate(1 / (rank**exponent) for rank in range(1, len(items) + 1)))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


MATERIAL = Zipf(MATERIALS, 0.9)
PROCESS = Zipf(PROCESSES, 0.9)
DEVICE = Zipf(DEVICES, 1.0)
ADJECTIVE = Zipf(ADJECTIVES, 0.9)
WORD = Zipf(GENERAL + MATERIALS + PROCESSES, 1.05)
SURNAME = Zipf(list(SURNAMES), 0.8)
GIVEN_CHAR = Zipf(list(GIVEN), 0.7)


def vocabulary() -> list[tuple[str, str]]:
    """Every (Chinese, English) word the generator draws from, for building
    benchmark queries."""
    return MATERIALS + PROCESSES + DEVICES + ADJECTIVES + GENERAL + PLACES + INDUSTRIES


@dataclass
class Plan:
    exhibits: int
    people: int
    organisations: int
    events: int
    figures: int
    pool: int  # exhibition, areas, kinds, sectors

    @property
    def total(self) -> int:
        return self.exhibits + self.people + self.organisations + self.events + self.figures + self.pool


def plan(records: int) -> Plan:
    pool = 1 + len(AREA_POOL) + len(KIND_POOL) + len(SECTOR_POOL)
    rest = records - pool
    counts = {kind: int(rest * share) for kind, share in KIND_SHARES}
    counts["exhibit"] += rest - sum(counts.values())
    return Plan(
        exhibits=counts["exhibit"],
        people=counts["person"],
        organisations=counts["organisation"],
        events=counts["event"],
        figures=counts["figure"],
        pool=pool,
    )


def is_checkout_database(settings_dict: dict) -> bool:
    """Whether a database is the checkout's default SQLite file, which holds
    the real portal data and must never receive synthetic records."""
    name = settings_dict.get("NAME")
    if not name or not isinstance(name, str | Path):
        return False
    try:
        return Path(name).resolve() == (Path(settings.BASE_DIR) / "db.sqlite3").resolve()
    except (OSError, ValueError):
        return False


# --------------------------------------------------------------------------
# Text


def sentence(rng: random.Random, words: int) -> str:
    """Words run together as Chinese is written, so adjacent words form
    bigrams across their boundary, with the odd comma."""
    parts = []
    for i in range(words):
        parts.append(WORD(rng)[0])
        if i and i % 4 == 3 and i < words - 1:
            parts.append("，")
    return "".join(parts)


def english_words(rng: random.Random, words: int) -> str:
    return " ".join(WORD(rng)[1] for _ in range(words))


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.06:
        name = rng.choice(MONGOLIAN_NAMES)
        return name + (rng.choice(MONGOLIAN_NAMES) if rng.random() < 0.3 else "")
    given = GIVEN_CHAR(rng) + (GIVEN_CHAR(rng) if rng.random() < 0.7 else "")
    return SURNAME(rng) + given


def person_name_en(name: str) -> str:
    """The name in pinyin as the portal writes it: "Wang Jianguo", with the
    surname read as a surname; Mongolian names as one word."""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    if name[0] not in SURNAMES or any(name.startswith(m) for m in MONGOLIAN_NAMES) or len(syllables) < 2:
        return "".join(syllables).title()
    surname = SURNAME_PINYIN.get(name[0], syllables[0])
    return f"{surname.title()} {''.join(syllables[1:]).title()}"


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.serial = 0

    def slug(self, kind: str) -> str:
        self.serial += 1
        return f"{SLUG_PREFIX}{kind}-{self.serial:06d}"

    def common(self, kind: str, name: str, name_en: str, description: str, description_en: str) -> dict:
        return {
            "slug": self.slug(kind),
            "name": (LABEL + name)[:200],
            "name_en": f"{LABEL_EN} {name_en}"[:250],
            "description": f"{description}{NOTE}",
            "description_en": f"{NOTE_EN} {description_en}",
            "order": self.serial,
        }

    # Pool -------------------------------------------------------------

    def pool(self) -> dict:
        exhibition = Exhibition.objects.create(
            **self.common(
                "exhibition", "职工创新成果展区", "Workers' innovation zone", "合成的展区。", "A synthetic zone."
            )
        )
        areas = ExhibitionArea.objects.bulk_create(
            [
                ExhibitionArea(
                    exhibition=exhibition, **self.common("area", zh, en, f"合成的{zh}。", f"A synthetic {en}.")
                )
                for zh, en in AREA_POOL
            ]
        )
        kinds = ExhibitKind.objects.bulk_create(
            [ExhibitKind(**self.common("kind", zh, en, f"合成的成果类别{zh}。", f"{en}.")) for zh, en in KIND_POOL]
        )
        sectors = Sector.objects.bulk_create(
            [Sector(**self.common("sector", zh, en, f"合成的领域{zh}。", f"{en}.")) for zh, en in SECTOR_POOL]
        )
        return {"exhibition": exhibition, "areas": areas, "kinds": kinds, "sectors": sectors}

    # Records ------------------------------------------------------------

    def organisation(self) -> Organisation:
        rng = self.rng
        place, place_en = rng.choice(PLACES)
        industry, industry_en = rng.choice(INDUSTRIES)
        org_type, org_type_en, kind = rng.choice(ORG_TYPES)
        name = f"{place}{industry}{org_type}"
        short = f"{place}{industry}" if rng.random() < 0.3 else ""
        description = f"{place}的{industry}{org_type}，{sentence(rng, rng.randint(6, 12))}。"
        description_en = f"A {industry_en.lower()} {org_type_en} in {place_en}: {english_words(rng, 6)}."
        values = self.common("org", name, f"{place_en} {industry_en} {org_type_en}", description, description_en)
        return Organisation(kind=kind, short_names=short, **values)

    def person(self, organisations: list[Organisation]) -> Person:
        rng = self.rng
        name = person_name(rng)
        title = rng.choice(PERSON_TITLES)
        organisation = rng.choice(organisations)
        org_name = organisation.name.removeprefix(LABEL)
        description = f"{org_name}{title}，{sentence(rng, rng.randint(8, 16))}。"
        description_en = f"A {PERSON_TITLES_EN[title]}: {english_words(rng, 8)}."
        values = self.common("person", name, person_name_en(name), description, description_en)
        return Person(title=title, organisation=organisation, **values)

    def exhibit(
        self, pool: dict, organisations: list[Organisation], people: list[Person]
    ) -> tuple[Exhibit, list, list]:
        rng = self.rng
        adjective = ADJECTIVE(rng) if rng.random() < 0.6 else ("", "")
        material, process, device = MATERIAL(rng), PROCESS(rng), DEVICE(rng)
        name = adjective[0] + material[0] + process[0] + device[0]
        name_en = " ".join(part for part in (adjective[1], material[1], process[1], device[1]) if part).capitalize()
        makers = rng.sample(people, k=min(len(people), rng.choice([1, 1, 1, 2, 3])))
        organisation = rng.choice(organisations)
        lead = makers[0].name.removeprefix(LABEL) if makers else ""
        result, result_en = rng.choice(RESULTS)
        quality, quality_en = WORD(rng)
        description = (
            f"用于{material[0]}{process[0]}的{device[0]}，由{lead}团队研发。"
            f"{sentence(rng, rng.randint(6, 14))}，{result}{quality}。"
        )
        lead_en = makers[0].name_en.removeprefix(LABEL_EN).strip() if makers else "a"
        description_en = (
            f"A {device[1]} for {material[1]} {process[1]}, developed by {lead_en}'s team; "
            f"it {result_en} {quality_en}. {english_words(rng, 8)}."
        )
        values = self.common("exhibit", name, name_en, description, description_en)
        exhibit = Exhibit(
            exhibition=pool["exhibition"],
            area=rng.choice(pool["areas"]),
            kind=rng.choice(pool["kinds"]),
            organisation=organisation,
            makers_as_written=f"{lead}及其团队" if lead else "",
            problem=f"{material[0]}{sentence(rng, rng.randint(4, 9))}。",
            how_it_works=f"采用{sentence(rng, rng.randint(4, 9))}。",
            **values,
        )
        sectors = rng.sample(pool["sectors"], k=rng.choice([1, 1, 2]))
        return exhibit, sectors, makers

    def event(self, organisations: list[Organisation]) -> tuple[Event, list]:
        rng = self.rng
        year = rng.randint(2019, 2025)
        month = rng.randint(1, 12)
        place, place_en = rng.choice(PLACES)
        topic, topic_en = PROCESS(rng) if rng.random() < 0.5 else WORD(rng)
        event_type, event_type_en, kind = rng.choice(EVENT_TYPES)
        name = f"{year}年{place}{topic}{event_type}"
        theme = f"{WORD(rng)[0]}{WORD(rng)[0]}{WORD(rng)[0]}"
        description = f"{place}举办的{topic}{event_type}，{sentence(rng, rng.randint(8, 16))}。"
        description_en = f"A {topic_en} {event_type_en} in {place_en}, {year}: {english_words(rng, 8)}."
        values = self.common(
            "event", name, f"{year} {place_en} {topic_en} {event_type_en}", description, description_en
        )
        event = Event(kind=kind, theme=theme, date_as_written=f"{year}年{month}月", **values)
        hosts = rng.sample(organisations, k=min(len(organisations), rng.choice([1, 1, 2])))
        return event, hosts

    def figure(self, events: list[Event], organisations: list[Organisation]) -> Figure:
        rng = self.rng
        noun, noun_en, unit, topic = rng.choice(FIGURE_NOUNS)
        place, place_en = rng.choice(PLACES)
        value = rng.randint(3, 5000)
        phrase = f"{noun}{value}{unit}"
        description = f"{place}{noun}达到{value}{unit}，{sentence(rng, rng.randint(5, 10))}。"
        description_en = f"{value} {noun_en} in {place_en}: {english_words(rng, 6)}."
        values = self.common("figure", f"{place}{noun}", f"{place_en} {noun_en}", description, description_en)
        return Figure(
            topic=topic,
            value=value,
            unit=unit,
            unit_en="yuan" if unit == "万元" else noun_en,
            printed=f"{value}{unit}",
            phrase=phrase,
            event=rng.choice(events) if events and rng.random() < 0.5 else None,
            organisation=rng.choice(organisations) if rng.random() < 0.5 else None,
            **values,
        )


DESCRIPTION = (
    "Create synthetic, clearly labelled public records for search benchmarks, in a database of their own "
    "(set DATABASE_URL). Replaces earlier synthetic records; never touches real ones."
)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic", description=DESCRIPTION)
    parser.add_argument("--records", type=int, required=True, help="How many synthetic public records in all.")
    parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same records.")
    parser.add_argument(
        "--allow-default-database",
        action="store_true",
        help="Allow writing into the checkout's db.sqlite3 (which holds the real portal data).",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    # Under DEBUG every INSERT of thousands of rows would also be
    # formatted and kept in connection.queries.
    with override_settings(DEBUG=False):
        try:
            generate(args.records, args.seed, args.allow_default_database)
        except BenchError as error:
            sys.exit(f"error: {error}")


def generate(records: int, seed: int, allow_default_database: bool = False) -> None:
    if is_checkout_database(connection.settings_dict) and not allow_default_database:
        raise BenchError(
            "Refusing to write synthetic records into the checkout's db.sqlite3. Point DATABASE_URL at a "
            "database of their own (e.g. DATABASE_URL=sqlite:////tmp/bench.sqlite3, then migrate), or pass "
            "--allow-default-database."
        )
    if records < MINIMUM_RECORDS:
        raise BenchError(f"--records must be at least {MINIMUM_RECORDS}.")
    counts = plan(records)
    started = time.perf_counter()
    with transaction.atomic(), bulk_writes():
        removed = delete_synthetic_records()
        if removed:
            print(f"Removed {removed} earlier synthetic records.")
        created = create(counts, seed)
    generated = time.perf_counter() - started
    print(f"Created {created} synthetic records in {generated:.1f} s: {describe(counts)}.")

    print("Rebuilding the search index…")
    started = time.perf_counter()
    step = max(1000, (search_total() // 10) // 1000 * 1000)
    last = [0]

    def progress(done: int) -> None:
        if done - last[0] >= step:
            last[0] = done
            print(f"  {done} documents")

    documents = rebuild(progress=progress)
    rebuilt = time.perf_counter() - started
    print(f"Rebuilt the search index: {documents} documents in {rebuilt:.1f} s.")
    if connection.vendor == "postgresql":
        # Planner statistics for the tables just filled, as autovacuum
        # would gather a little later: without them PostgreSQL plans the
        # list pages' queries for empty tables (hash joins over every
        # person on the exhibit list).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print("Analyzed the tables (PostgreSQL).")


def create(counts: Plan, seed: int) -> int:
    generator = Generator(seed)
    report, _ = Report.objects.update_or_create(
        slug=REPORT["slug"],
        defaults={
            "file_name": REPORT["file_name"],
            "title": REPORT["title"],
            "title_en": "Synthetic test data (not a real report)",
            "description": "基准测试用的合成数据，不是真实报道。",
            "description_en": "Synthetic data for benchmarks; not a real report.",
            "order": 9999,
        },
    )
    pool = generator.pool()
    created: list = [pool["exhibition"], *pool["areas"], *pool["kinds"], *pool["sectors"]]

    organisations = Organisation.objects.bulk_create(
        [generator.organisation() for _ in range(counts.organisations)], batch_size=BATCH_SIZE
    )
    people = Person.objects.bulk_create(
        [generator.person(organisations) for _ in range(counts.people)], batch_size=BATCH_SIZE
    )
    created += organisations + people
    exhibit_organisations = organisations[:ORGANISATION_POOL_SIZE]
    for start in range(0, counts.exhibits, BATCH_SIZE):
        batch = [
            generator.exhibit(pool, exhibit_organisations, people)
            for _ in range(min(BATCH_SIZE, counts.exhibits - start))
        ]
        exhibits = Exhibit.objects.bulk_create([exhibit for exhibit, _, _ in batch])
        Exhibit.sectors.through.objects.bulk_create(
            [
                Exhibit.sectors.through(exhibit_id=exhibit.pk, sector_id=sector.pk)
                for exhibit, sectors, _ in batch
                for sector in sectors
            ]
        )
        Exhibit.makers.through.objects.bulk_create(
            [
                Exhibit.makers.through(exhibit_id=exhibit.pk, person_id=maker.pk)
                for exhibit, _, makers in batch
                for maker in makers
            ]
        )
        created += exhibits
    event_batch = [generator.event(organisations) for _ in range(counts.events)]
    events = Event.objects.bulk_create([event for event, _ in event_batch], batch_size=BATCH_SIZE)
    Event.hosts.through.objects.bulk_create(
        [
            Event.hosts.through(event_id=event.pk, organisation_id=host.pk)
            for event, hosts in event_batch
            for host in hosts
        ],
        batch_size=BATCH_SIZE,
    )
    figures = Figure.objects.bulk_create(
        [generator.figure(events, organisations) for _ in range(counts.figures)], batch_size=BATCH_SIZE
    )
    created += events + figures

    content_types = ContentType.objects.get_for_models(*{type(record) for record in created})
    Citation.objects.bulk_create(
        [
            Citation(
                report=report,
                paragraph=1 + index % 100,
                excerpt="合成测试数据，非真实报道。",
                content_type=content_types[type(record)],
                object_id=record.pk,
            )
            for index, record in enumerate(created)
        ],
        batch_size=BATCH_SIZE,
    )
    assert len(created) == counts.total, (len(created), counts.total)
    return len(created)


SYNTHETIC_MODELS = [Exhibit, Figure, Event, Person, Organisation, ExhibitKind, Sector, ExhibitionArea, Exhibition]


def delete_synthetic_records() -> int:
    """Delete earlier synthetic records (and their citations), dependants
    first; search documents go with the rebuild that follows."""
    removed = 0
    for model in SYNTHETIC_MODELS:
        queryset = model.objects.filter(slug__startswith=SLUG_PREFIX)
        if not queryset.exists():
            continue
        content_type = ContentType.objects.get_for_model(model)
        Citation.objects.filter(content_type=content_type, object_id__in=queryset.values("pk")).delete()
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            through.objects.filter(**{f"{field.m2m_field_name()}__in": queryset.values("pk")}).delete()
        removed += queryset.delete()[1].get(model._meta.label, 0)
    return removed


def search_total() -> int:
    return sum(model.objects.published().count() for model, _ in indexed_models())


def describe(counts: Plan) -> str:
    return (
        f"{counts.exhibits} exhibits, {counts.people} people, {counts.organisations} organisations, "
        f"{counts.events} events, {counts.figures} figures, {counts.pool} exhibition/area/kind/sector records"
    )


if __name__ == "__main__":
    main()
