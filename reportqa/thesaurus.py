"""Words of company reports that name the same thing: "capex" and "capital expenditure", 营收 and 营业收入,
"headcount" and 员工.

Reports and the people asking about them name a figure or an event in several ways; the embedding model
links them only loosely and word matching not at all, so "How much will Corvane spend on capex?" found no
sentence saying "capital expenditure". Each group below lists the English and Chinese names of one thing as
company reports and analysts write them (financial statement lines, ratios, corporate events, people and
operations). It was written from general reporting vocabulary, not from a question set (a few of its pairs,
capex and "go public", were missed on the development reports before it existed), and is meant to grow with
the reports users add. A question word of a group matches every other name of the group that
the documents use (glossary.translations), as a word matches its translations.

A group holds only names that can stand for each other in a question about a report: "sales" for revenue,
not "income" (net income is a profit); names that mean other things as well stay out ("stock", "notes").
"""

from __future__ import annotations

import re
import unicodedata

# Countries as their adjectives name them (thesaurus groups, and places a report may give figures for).
COUNTRIES = (
    "finland | finnish | 芬兰",
    "sweden | swedish | 瑞典",
    "norway | norwegian | 挪威",
    "denmark | danish | 丹麦",
    "germany | german | 德国",
    "france | french | 法国",
    "italy | italian | 意大利",
    "spain | spanish | 西班牙",
    "poland | polish | 波兰",
    "netherlands | dutch | 荷兰",
    "britain | british | united kingdom | uk | 英国",
    "ireland | irish | 爱尔兰",
    "united states | usa | american | 美国",
    "canada | canadian | 加拿大",
    "mexico | mexican | 墨西哥",
    "brazil | brazilian | 巴西",
    "china | chinese | 中国",
    "japan | japanese | 日本",
    "korea | korean | south korea | 韩国",
    "india | indian | 印度",
    "vietnam | vietnamese | 越南",
    "thailand | thai | 泰国",
    "indonesia | indonesian | 印度尼西亚 | 印尼",
    "australia | australian | 澳大利亚",
    "saudi arabia | saudi | 沙特 | 沙特阿拉伯",
)

GROUPS = (
    # The income statement
    "revenue | revenues | sales | turnover | top line | 营收 | 营业收入 | 营业总收入 | 销售收入 | 销售额 | 营业额 | 销售总额 | 收入",
    "net profit | net income | profit after tax | bottom line | 净利润 | 净利 | 归母净利润 | 纯利 | 税后利润",
    "operating profit | operating income | ebit | 营业利润 | 经营利润 | 息税前利润",
    "operating margin | ebit margin | 营业利润率 | 经营利润率",
    "gross margin | gross profit margin | 毛利率",
    "gross profit | 毛利 | 毛利润",
    "ebitda | 息税折旧摊销前利润",
    "net loss | loss | losses | 亏损 | 净亏损",
    "earnings per share | eps | 每股收益",
    "research and development | r&d | 研发 | 研究开发",
    "selling expenses | sales and marketing expenses | distribution costs | 销售费用",
    "administrative expenses | general and administrative expenses | 管理费用",
    "operating expenses | operating costs | running costs | opex | 运营成本 | 经营费用 | 营运费用",
    "expense ratio | cost ratio | 费用率",
    "impairment | write-down | writedown | write down | 减值 | 计提减值",
    "year on year | year-on-year | yoy | 同比",
    "financial | finances | financials | 财务",
    # Cash flow and the balance sheet
    "capital expenditure | capex | capital spending | capital investment | property, plant and equipment | "
    "plant and equipment | "
    "资本开支 | 资本支出 | 资本性支出",
    "free cash flow | fcf | 自由现金流",
    "operating cash flow | cash flow from operations | cash generated from operations | 经营现金流 | 经营活动现金流",
    "net debt | net borrowings | 净负债 | 净债务",
    "borrowings | debt | loans | 借款 | 债务",
    "leverage | gearing | 杠杆 | 杠杆率",
    "debt-to-asset ratio | liability-to-asset ratio | debt ratio | 资产负债率",
    "working capital | 营运资金 | 营运资本",
    "total assets | 总资产 | 资产总额",
    "shareholders' equity | net assets | 净资产 | 股东权益 | 所有者权益",
    "return on equity | roe | 净资产收益率",
    "inventory | inventories | 存货 | 库存",
    "bonds | bond | 债券",
    "refinancing | refinance | 再融资",
    "financing | funding | fundraising | 融资 | 筹资 | 募资",
    # Shareholders and the market
    "dividend | dividends | payout | 分红 | 股息 | 派息 | 现金分红",
    "dividend per share | dps | 每股股息 | 每股分红 | 每股派息",
    "share buyback | buyback | share repurchase | repurchase | 回购 | 股份回购",
    "market share | 市场份额 | 市占率 | 市场占有率",
    "market capitalisation | market capitalization | market cap | 市值",
    "target price | price target | 目标价",
    "valuation | 估值",
    "rating | recommendation | 评级 | 投资评级",
    "price-earnings ratio | p/e | pe ratio | 市盈率",
    "shareholder | shareholders | stockholder | 股东",
    "stake | shareholding | equity interest | 持股 | 股权 | 持股比例",
    "annual general meeting | agm | 股东大会 | 年度股东大会",
    "board of directors | board | 董事会",
    # The company and its events
    "employees | staff | headcount | workforce | personnel | employ | colleagues | full-time equivalents | people | "
    "people work | people working | people employed | "
    "员工 | 职工 | 雇员 | 员工人数 | 在职员工",
    "headquarters | headquartered | head office | 总部",
    "founded | established | incorporated | 成立 | 创立 | 创办",
    "listed | listing | go public | went public | ipo | initial public offering | flotation | 上市 | 挂牌上市",
    "acquisition | acquisitions | acquire | buy | bought | takeover | 收购 | 并购",
    "disposal | divestment | divest | 出售 | 剥离 | 处置",
    "joint venture | jv | 合资公司 | 合资企业",
    "subsidiary | subsidiaries | 子公司 | 附属公司",
    "merger | 合并 | 兼并",
    "restructuring | reorganisation | reorganization | 重组",
    "closure | closures | closed | close down | shut | shut down | shutdown | 关闭 | 关停 | 关掉 | 关店 | 闭店",
    "partnership | cooperation | collaboration | alliance | 合作 | 战略合作",
    "competitors | rivals | 竞争对手 | 对手",
    "suppliers | vendors | 供应商",
    "supply chain | 供应链",
    "customers | clients | 客户",
    "subscribers | users | 用户",
    "guidance | outlook | forecast | 指引 | 业绩指引 | 展望",
    "strategy | 战略",
    "target | targets | goal | goals | objective | objectives | 目标",
    "risk | risks | 风险",
    "challenges | headwinds | 挑战",
    "strengths | advantages | competitive advantage | 优势 | 竞争优势",
    "weaknesses | shortcomings | 短板 | 劣势",
    "cost savings | cost reduction | cost cutting | 降本 | 降本增效 | 成本节约",
    # Operations
    "factory | factories | plant | plants | manufacturing site | production site | 工厂 | 生产基地",
    "production capacity | capacity | 产能 | 生产能力",
    "capacity utilisation | capacity utilization | utilisation | utilization | 产能利用率 | 利用率",
    "output | production volume | 产量",
    "deliveries | delivered | shipments | shipped | 交付 | 交付量 | 出货 | 出货量",
    "sales volume | units sold | 销量 | 销售量",
    "order backlog | backlog | order book | orders on hand | unfilled orders | 在手订单 | 订单储备",
    "order intake | new orders | bookings | 新签订单 | 新增订单",
    "overseas | international | abroad | 海外 | 境外 | 国外",
    "exports | export | 出口",
    "price cut | price cuts | price reduction | 降价 | 价格下调",
    "average selling price | average sales price | asp | average price | 平均售价 | 销售均价 | 均价",
    "passengers | travellers | travelers | 旅客 | 乘客",
    "subsidy | subsidies | government grants | 补贴 | 补助 | 政府补助",
    "regulation | regulator | regulatory | 监管 | 法规",
    "approval | approved | clearance | 获批 | 批准 | 审批",
    "clinical trial | clinical trials | 临床试验 | 临床",
    "pipeline | 管线",
    "launch | launched | rollout | 推出 | 发布",
    "stores | shops | outlets | 门店 | 店铺",
    "like-for-like sales | same-store sales | comparable sales | 同店销售",
    "e-commerce | online sales | 电商 | 电子商务 | 线上销售",
    "online | internet | 线上 | 网上",
    "churn | customer churn | 流失率",
    "average revenue per user | arpu | 每用户平均收入",
    "emissions | carbon emissions | 排放 | 碳排放",
    "net zero | carbon neutral | carbon neutrality | 碳中和 | 净零",
    "renewable energy | renewables | 可再生能源 | 绿电",
    "electric vehicles | electric vehicle | ev | evs | new energy vehicles | 电动汽车 | 电动车 | 新能源汽车 | 新能源车",
    "fiscal year | financial year | fy | 财年 | 财政年度",
    "per day | a day | each day | daily | 每天 | 每日 | 日均",
    "per store | each store | 单店 | 每店 | 每家店 | 每家门店",
    # The parts a business reports by: "业务分为哪几个板块" of a report with "three business segments".
    "segment | segments | business segment | business segments | operating segment | operating segments | division | "
    "divisions | business line | business lines | 板块 | 业务板块 | 分部 | 经营分部 | 事业部 | 业务线",
    # What one party gets out of something: "What does BAIC gain from it?" of a section "对北汽集团的转型意义".
    "gain | gains | benefit | benefits | 好处 | 益处 | 意义 | 收获",
    # People, by their role
    "chief executive | chief executive officer | ceo | group chief executive | 首席执行官 | 行政总裁",
    "chief financial officer | cfo | finance director | 首席财务官 | 财务总监",
    "chairman | chairwoman | chairperson | chair of the board | 董事长 | 董事会主席",
    "founder | founders | co-founder | 创始人 | 创办人",
    # Countries as their adjectives name them ("the new Finnish production line" of a line "in Finland")
    *COUNTRIES,
    # Insurance
    "gross written premium | gross written premiums | written premium | gwp | premium income | 保费收入 | 原保费收入",
    "loss ratio | claims ratio | 赔付率",
    "combined ratio | 综合成本率 | 综合费用率",
    "solvency ratio | solvency coverage ratio | solvency coverage | 偿付能力充足率 | 偿付能力",
)

# Regions a report may break its figures down by, besides the countries above.
REGIONS = (
    "overseas | international | abroad | domestic | europe | european | north america | latin america | "
    "south america | asia | asia pacific | apac | emea | middle east | africa | southeast asia | nordic | nordics | "
    "海外 | 境外 | 国外 | 国际 | 国内 | 境内 | 欧洲 | 北美 | 拉美 | 南美 | 亚洲 | 亚太 | 中东 | 非洲 | 东南亚 | 北欧 | "
    "华东 | 华南 | 华北 | 华中 | 西南 | 西北 | 东北 | 华东地区 | 华南地区 | 华北地区 | 华中地区 | 西南地区 | 西北地区 | 东北地区"
)

_ENGLISH_WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*")


def key(phrase: str) -> str:
    """A name as looked up: NFKC, lower case, English words joined by one space ("R&D" -> "r d")."""
    text = unicodedata.normalize("NFKC", phrase).lower().replace("’", "'").strip()
    if re.search(r"[\u4e00-\u9fff]", text):
        return text
    return " ".join(_ENGLISH_WORD.findall(text))


def _index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for group in GROUPS:
        names = list(dict.fromkeys(key(name) for name in group.split("|") if key(name)))
        for name in names:
            index.setdefault(name, []).extend(other for other in names if other != name)
    return {name: tuple(dict.fromkeys(others)) for name, others in index.items()}


_SYNONYMS = _index()
MAX_ENGLISH_WORDS = max(len(name.split()) for name in _SYNONYMS if name.isascii())


def synonyms(phrase: str) -> tuple[str, ...]:
    """The other names of what a phrase names (as `key` writes them), or () for a phrase of no group."""
    return _SYNONYMS.get(key(phrase), ())


def places() -> frozenset[str]:
    """The names of countries and regions a report may give figures for, as `key` writes them."""
    return frozenset(key(name) for group in (*COUNTRIES, REGIONS) for name in group.split("|") if key(name))
