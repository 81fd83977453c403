"""What a single-fact question expects its answer to hold, and the abstention feature built on it."""

import pytest

from reportqa.answering.answertype import (
    AGE, AREA, CODE, DISTANCE, MONEY, NUMBER, SHARE, SPEED, TIME, WEIGHT, asked_type, holds_type,
)
from reportqa.answering.evidence import ScoredSentence
from reportqa.answering.extractive import fact_sentences

ASKED = {
    NUMBER: [
        "氢燃料冷藏车跟柴油车比能省多少能耗成本？",  # a saving: "低约 18%" answers it as well as an amount
        "How much does the new router save in energy costs?",
        "药企一共有几家工厂？",
        "从签约到投产用了多久？",
        "门店的营收比去年增长了多少？",
        "新塔的高度是旧塔的几倍？",
        "How many times the old output does the new line make?",
        "How many stores did the retailer close?",
        "How much did the bank set aside for bad loans?",
        "By how much did operating profit grow?",
        "What is the plant's annual output?",
        "What was the size of the brewer's workforce?",
        "What was the value of unfilled orders when 2023 ended?",
    ],
    SHARE: [
        "这家银行去年的不良贷款率是多少？",
        "电池包的重量占比大概多少",
        "基金在这家车企持股比例有多大？",
        "What percentage of sales came from abroad?",
        "What stake does the fund hold in the maker?",
        "What was the retailer's gross margin?",
        "这家酒厂的销售额里有多大一部分是线上卖出去的？",  # how big a part of a whole: a share, not money
        "利润有几成来自海外工厂？",
        "卖配件这类其他业务在总收入里占几个百分点？",  # a part of a whole, though it names revenue
        "海外门店占全部门店多少？",
        "What yield did the bond portfolio earn?",  # a yield is a rate
    ],
    MONEY: [
        "公司国外业务去年挣了多少？",  # 挣: earned
        "新工厂的总投资是多少？",
        "这款手机在印度的售价是多少",
        "保险公司去年净利润有多少？",
        "每吨货要付多少运费？",  # money per tonne, not a weight
        "What was the insurer's net profit last year?",
        "How much revenue came from the new stores?",
        "What price does the retailer charge per bag?",
        "What interim payout per share did the miner declare?",
        "What dividend will the insurer pay for the year?",
        "How much debt was the airline carrying at year end?",
        "How much money has the brewer pledged to the research programme?",
        "How much cash did the group hold at the close of the year?",
        "公司去年拿到了多少政府补贴？",
        "What did the floods cost the railway?",  # what something cost, or what was paid, is money
        "What did the brewer pay for the stake?",
        "How much premium did the insurer write?",
    ],
    AGE: ["董事长今年多大年纪？", "How old is the chief executive?", "What is the average age of the fleet?",
          "How many years old, on average, are the trucks?",
          "这批货车的车龄有几年？"],
    SPEED: ["这款电动船的最高航速是多少？", "How fast can the new train go?"],
    # A count asked in a unit asks for that measure.
    DISTANCE: ["新车型的续航里程有多少", "What is the length of the new pipeline?", "这种蜥蜴的体长是多少？",
               "成年雄鸟的翼展有多少", "新建的输水管道有几公里？",
               "How many kilometres of cable did the utility lay last year?"],
    WEIGHT: ["电池包有多重？", "How much does the drone weigh?", "这座回收厂每年能处理多少万吨废纸？",
             "How many tonnes of grain can the silo hold?"],
    AREA: ["新仓库的占地面积有多大？", "新门店的面积有多大", "What is the area of the flagship store?",
           "茶园一共有多少亩？", "How many hectares of vines does the estate own?",
           "新基地占地多少亩？"],  # 占地 is the ground it stands on, not a part of a whole
    CODE: ["这家银行在港交所的股票代码是多少？", "新地铁线路的编号为多少", "What is the retailer's ticker?",
           "What is the drone's model number?"],
    TIME: [
        "这家零售商是哪一年上市的？",
        "新工厂什么时候投产？",
        "药品预计何时获批",
        "When did the bank open its first branch abroad?",
        "In what year was the brand founded?",
        "Which month did the recall start?",
    ],
    None: [
        "这家银行的董事长是谁？",
        "公司总部在哪个城市？",
        "报告提到了哪几个风险？",
        "双方在哪些方面展开合作？",
        "Who chairs the audit committee?",
        "What did the airline pay attention to?",
        "What does the analyst make of the pricing cycle?",
        "What is the retailer's strategy?",
        "Which supplier makes the cells?",
        "这套会计代码的含义是什么？",
        "What does the new code of conduct require?",
        "What sales channels does the brewer use?",
        "What dividend policy does the board follow?",
    ],
}


@pytest.mark.parametrize("kind,question", [(kind, q) for kind, questions in ASKED.items() for q in questions])
def test_asked_type(kind, question):
    assert asked_type(question) == kind


@pytest.mark.parametrize("text,number,time", [
    ("门店数量增至 1,240 家", True, True),
    ("工厂于二〇二三年投产", True, True),
    ("签订五年长协", True, True),
    ("双方推进一体化压铸技术合作", False, False),
    ("统一调度物流资源", False, False),
    ("The plant opened in March.", False, True),
    ("Revenue rose by a third to 2.1 billion.", True, True),
    ("The board values a strong culture.", False, False),
])
def test_holds_type(text, number, time):
    assert holds_type(text, NUMBER) is number
    assert holds_type(text, TIME) is time


@pytest.mark.parametrize("text,share,money", [
    ("不良贷款率降至 1.3%", True, False),
    ("海外门店贡献了约三成收入", True, False),
    ("总投资 12 亿元，建设两条产线", False, True),
    ("The plant cost $40 million to build.", False, True),
    ("Margins improved by two percentage points, to 14 percent.", True, False),
    ("门店数量增至 1,240 家", False, False),
    ("公司成本控制良好", False, False),
    ("The board proposes a final dividend of 5.2p per share.", False, True),
    ("Each share will receive 45 cents.", False, True),
    ("The plant makes 3,000 parts per shift, up 2 percent.", True, False),
])
def test_holds_a_share_or_money(text, share, money):
    assert holds_type(text, SHARE) is share
    assert holds_type(text, MONEY) is money


@pytest.mark.parametrize("text,kind,holds", [
    ("试验中最高时速达到 350 km/h", SPEED, True),
    ("列车 2024 年交付 20 列", SPEED, False),
    ("满电可行驶 600 公里", DISTANCE, True),
    ("The pipeline runs 1,200 km under the sea.", DISTANCE, True),
    ("成体全长可达 35 公分", DISTANCE, True),
    ("体长为体高的 12 倍", DISTANCE, False),
    ("新车型于 2025 年上市", DISTANCE, False),
    ("电池包重 450 kg", WEIGHT, True),
    ("仓库占地 300 亩", AREA, True),
    ("The store opened 12 new counters.", AREA, False),
])
def test_holds_a_measure_in_its_units(text, kind, holds):
    assert holds_type(text, kind) is holds


@pytest.mark.parametrize("text,holds", [
    ("Dash 8-400 | Aircraft: 8 | Average age (years): 17.6", True), ("董事长张伟，58岁，2019年加入公司。", True),
    ("Mr Evans, aged 54, joined in 2019.", True), ("Mr Evans joined in 2019 from a train operator.", False),
])
def test_holds_an_age(text, holds):
    assert holds_type(text, AGE) is holds


@pytest.mark.parametrize("text,holds", [
    ("该行 H 股代码为 3988。", False),
    ("股票代码 601988，于 2006 年上市。", True),
    ("新线路编号为 M7，全长 30 公里。", True),
    ("改良型号 C-170A 于次年交付。", True),
    ("公司于 2021 年在深交所创业板上市。", False),
    ("营收 1,260,000 元。", False),
])
def test_holds_a_code(text, holds):
    assert holds_type(text, CODE) is holds


def _sentence(text: str, score: float, start: int) -> ScoredSentence:
    return ScoredSentence(0, text, 0.5, 0.8, score, frozenset(), (), "a.txt", start, start + len(text))


def test_a_sentence_holding_the_asked_measure_leads_when_it_scores_close():
    ratio = _sentence("体长为体高的 12 倍。", 0.60, 0)
    length = _sentence("成体全长可达 35 公分。", 0.50, 20)
    chosen = fact_sentences([ratio, length], keep_ratio=0.95, min_gain=0.1, max_chars=lambda text: 260,
                            kind=DISTANCE, typed_ratio=0.8)
    assert chosen[0] is length
    # Too far behind, or asked for nothing in particular: the best sentence stays first.
    for kind, typed_ratio in ((DISTANCE, 0.9), (None, 0.8)):
        chosen = fact_sentences([ratio, length], keep_ratio=0.95, min_gain=0.1, max_chars=lambda text: 260,
                                kind=kind, typed_ratio=typed_ratio)
        assert chosen[0] is ratio


@pytest.mark.parametrize("question,kind", [
    ("这条产线去年一共装了多少套控制系统？", "count:套"),
    ("风电场现在有几台风机在运行？", "count:台"),
    ("工厂每年能造多少万辆车？", "count:辆"),
    ("园区里一共种了多少株茶树？", "count:株"),
    ("公司在全国开了多少家门店？", NUMBER),  # 家 counts places: the answer may count them otherwise
    ("How many sets were shipped?", NUMBER),
])
def test_a_count_of_goods_in_their_measure_word_is_a_kind_of_its_own(question, kind):
    assert asked_type(question) == kind


@pytest.mark.parametrize("text,kind,holds", [
    ("全年出货约3200套，同比翻倍。", "count:套", True),
    ("覆盖20Nm至300Nm的扭矩区间，用于3家客户。", "count:套", False),  # numbers, none of them in 套
    ("累计交付突破 20 万台。", "count:辆", True),  # a car is counted in 台 or 辆
    ("每窝产卵两到三枚。", "count:枚", True),
    ("每窝产卵两到三次。", "count:枚", False),
])
def test_holds_a_count_in_its_measure_word(text, kind, holds):
    assert holds_type(text, kind) is holds
