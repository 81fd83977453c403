"""What the standard measures of company reports are, said in plain words: a question that describes a measure
instead of naming it ("What proportion of earned premium went out in claims?" for the loss ratio, "orders won but
not yet delivered" for the order backlog, 花在厂房设备上的钱 for 资本开支) is matched to the measure's names.

Word matching cannot link a description to a name, and the embedding links the question to sentences that
repeat its words (the premium, the claims) rather than to the one naming the measure. A description, though,
sits close to the question in the embedding: both are plain sentences about the same thing. Each entry gives a
measure's names (in the manner of thesaurus.GROUPS, whose groups add their other names) and how an analyst would
describe it in English and in Chinese. They were written from general reporting vocabulary across industries
(income statement, cash flow, balance sheet, shareholders, operations, retail, airlines, hotels, insurers,
banks), not from a question set, and are meant to grow with the reports users add.

How close a question must be to a description to name its measure is fitted by benchmarks/calibrate.py
(`definition_similarity`) on the labelled questions: a description matched helps when the evidence names the
measure and the question does not.
"""

from __future__ import annotations

from . import thesaurus

DEFINITIONS = (
    # The income statement
    ("revenue", "how much money the company took in from selling its goods and services",
     "公司卖产品和服务一共收进来多少钱"),
    ("net profit", "what the company earned after all its costs, interest and taxes",
     "扣除所有成本、利息和税之后公司最终赚到的钱"),
    ("gross margin", "the share of sales left after paying for the goods that were sold",
     "卖货收入扣掉货品成本之后剩下的比例"),
    ("operating margin", "how much of each unit of sales is left as profit from operations",
     "每卖一块钱经营上能留下多少利润的比例"),
    ("ebitda", "profit before interest, tax, depreciation and amortisation are taken off",
     "扣除利息、税、折旧和摊销之前的利润"),
    ("earnings per share", "the profit that belongs to each share", "每一股能分到多少利润"),
    ("research and development", "money spent on developing new products and technology",
     "花在开发新产品和新技术上的钱"),
    ("selling expenses", "money spent on marketing, advertising and selling", "花在营销、广告和卖货上的钱"),
    ("effective tax rate | tax rate | 实际税率 | 税率", "the tax paid as a share of the profit before tax",
     "交的税占税前利润的比例"),
    # Cash flow and the balance sheet
    ("capital expenditure", "money spent on plant, machinery, buildings and other fixed assets",
     "花在厂房、机器设备、建筑等固定资产上的钱"),
    ("free cash flow", "the cash left over after paying for the investment the business needs",
     "扣除必要投资支出之后剩下来的现金"),
    ("operating cash flow", "the cash the business itself brought in from its day-to-day operations",
     "日常经营实际收回来的现金"),
    ("net debt", "what the company owes after netting off the cash it holds", "借款扣掉手上的现金之后还欠多少钱"),
    ("debt-to-asset ratio", "the company's liabilities as a share of everything it owns", "欠的钱占全部资产的比例"),
    ("working capital", "money tied up in stock and in bills customers have not yet paid, less bills owed to suppliers",
     "压在存货和客户欠款里的钱，减去欠供应商的钱"),
    ("inventory", "goods held in stock that have not yet been sold", "还没卖出去、压在仓库里的货"),
    ("accounts receivable | receivables | trade receivables | 应收账款 | 应收款",
     "money customers owe the company and have not yet paid", "客户欠公司、还没付的钱"),
    ("return on equity", "the profit earned as a share of the shareholders' own capital", "利润占股东自有资本的比例"),
    # Shareholders and the market
    ("dividend payout ratio | payout ratio | 分红比例 | 分红率 | 派息比率 | 股利支付率",
     "the share of the profit paid out to shareholders as dividends", "利润里拿出来分给股东的比例"),
    ("dividend per share", "the cash paid to shareholders for each share they hold", "每一股派给股东多少现金"),
    ("dividend yield | 股息率", "the dividend as a share of the share price", "每年分红占股价的比例"),
    ("market capitalisation", "what all of the company's shares together are worth on the stock market",
     "公司全部股票在股市上一共值多少钱"),
    ("price-earnings ratio", "how many times its yearly earnings per share the share price is",
     "股价是每股收益的多少倍"),
    ("target price", "the price the analyst expects the shares to reach", "分析师认为股价能涨到多少"),
    # Operations
    ("order backlog", "orders that have been won but not yet fulfilled or delivered", "已经签下来、还没有交付的订单"),
    ("order intake", "the value of new orders and contracts won during the period", "这段时间新拿到的订单和合同金额"),
    ("production capacity", "how much the factories can make at most in a year", "工厂一年最多能生产多少"),
    ("capacity utilisation", "how much of the factories' capacity was actually used", "产能实际用上了多少"),
    ("sales volume", "how many units the company sold", "一共卖出去了多少件、多少台"),
    ("deliveries", "how many units were handed over to customers", "交到客户手里多少台、多少件"),
    ("average selling price", "the average price each unit sold for", "平均每件、每台卖多少钱"),
    ("market share", "the company's slice of the whole market's sales", "公司在整个市场的销售里占多大一块"),
    ("employees", "how many people work for the company", "公司一共有多少人在上班"),
    ("staff turnover | employee turnover | attrition | 离职率 | 员工流失率",
     "the share of staff who leave the company each year", "每年离开公司的员工比例"),
    ("like-for-like sales", "sales growth at the stores that were already open a year earlier",
     "开业满一年的老店销售额的增长"),
    ("gross merchandise value | gmv | 商品交易总额 | 成交总额",
     "the total value of the goods sold through the stores or the platform", "通过门店或平台卖出商品的总金额"),
    ("average revenue per user", "the average revenue each user or subscriber brings in", "平均每个用户带来多少收入"),
    ("churn", "the share of customers who cancel or leave", "取消或流失的客户比例"),
    ("retention rate | renewal rate | 留存率 | 续约率 | 续保率", "the share of customers who stay on or renew",
     "继续留下或续约的客户比例"),
    ("load factor | passenger load factor | seat factor | 客座率", "the share of seats on the flights that were filled",
     "航班座位坐满的比例"),
    ("occupancy | occupancy rate | 入住率 | 出租率", "the share of rooms or space that was occupied or let",
     "房间或场地被住满、租出去的比例"),
    ("on-time performance | punctuality | 准点率 | 准时率", "the share of flights, trains or deliveries that ran on time",
     "航班、列车或送货准时的比例"),
    # Insurers
    ("gross written premium", "the premiums from the insurance policies the insurer sold", "卖出去的保单一共收了多少保费"),
    ("loss ratio", "the claims paid out as a share of the premium earned", "赔给客户的钱占已赚保费的比例"),
    ("expense ratio", "the insurer's operating costs as a share of the premium earned", "运营费用占已赚保费的比例"),
    ("combined ratio", "claims and expenses together as a share of premium, below 100% meaning an underwriting profit",
     "赔款和费用加在一起占保费的比例"),
    ("solvency ratio", "the capital held compared with the capital the regulator requires", "手上的资本是监管要求资本的多少倍"),
    ("reserve releases | prior-year reserve releases | 准备金释放",
     "money set aside for earlier years' claims that turned out not to be needed", "往年预留的赔款准备金用不完释放出来的部分"),
    # Banks
    ("net interest margin | nim | 净息差", "the gap between the interest earned on loans and the interest paid on deposits",
     "贷款收的利息和存款付的利息之间的差"),
    ("non-performing loan ratio | npl ratio | 不良贷款率 | 不良率", "the share of loans that borrowers are not repaying",
     "借款人还不上的贷款占比"),
)


def names(entry_names: str) -> tuple[str, ...]:
    """All the names of a measure: its own and the thesaurus's other names for them (as thesaurus.key writes them)."""
    own = [thesaurus.key(name) for name in entry_names.split("|") if thesaurus.key(name)]
    return tuple(dict.fromkeys([*own, *(other for name in own for other in thesaurus.synonyms(name))]))


ENTRIES = tuple((names(group), english, chinese) for group, english, chinese in DEFINITIONS)
