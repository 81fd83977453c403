"""Question intent: the kind of answer a Chinese or English question about a report asks for."""

import pytest

from reportqa.answering.intent import asked_noun, INTENTS, compared, question_intent, question_parts

PHRASINGS = {
    "summary": [
        "请概括一下这份银行年报的主要内容",
        "总结一下这家电池厂商的年度报告",
        "这份药企社会责任报告讲了什么？",
        "报告的结论是什么？",
        "零售集团在疫情期间总结了哪些经验？",
        "归纳这份研报的核心观点",
        "董事长致辞的要点有哪些",
        "这篇公告说了什么",
        "Summarize the bank's annual report.",
        "Can you summarise the battery maker's outlook section?",
        "What are the key takeaways from the retailer's Q3 results?",
        "What is this report about?",
        "What's the report about?",
        "Give me an overview of the pharma pipeline.",
        "What conclusion does the audit committee reach?",
        "tl;dr of the sustainability report",
        "main points of the chairman's letter please",
        "Sum up the insurer's solvency section.",
        "Could you sum it up in two lines?",
        "The refinery expansion, in a nutshell?",
        "Give me a quick rundown of the shipping group's year.",
        "Can I get a recap of the bank's results?",
        "Walk me through the brewer's annual report.",
        "Brief me on the chemicals company's 2024.",
        "这份年报的主要观点有哪些？",
        "What are the main arguments of the strategy paper?",
    ],
    "reason": [
        "为什么这家银行的不良贷款率上升了？",
        "哪些因素推动了航空公司客座率的提升？",
        "是什么因素导致这家药企利润下滑？",
        "电池厂商为何推迟海外建厂？",
        "净利润下滑的原因是什么",
        "零售商关闭门店是出于什么考虑？",
        "药企收购这家生物技术公司的动机是什么？",
        "毛利率提高是因为什么",
        "这次并购的背景是什么？",
        "为什么研发费用增加了吗？",
        "这家银行怎么会出现亏损？",
        "这家药企凭什么能拿到优先审批？",
        "新品牌凭什么在三年里做到行业第二？",
        "何以这家银行的存款在加息后仍在流失？",
        "什么推动了航空货运量的大幅增长？",
        "是什么造成了这家银行的拨备上升？",
        "Why did the bank raise its loan-loss provisions?",
        "What drove the battery maker's margin expansion?",
        "What are the reasons for the retailer's store closures?",
        "What led to the drug recall?",
        "Explain why same-store sales fell.",
        "What was the motivation behind the share buyback?",
        "What were the main drivers of the insurer's premium growth?",
        "What are the key factors behind the refinery's lower margin?",
        "What explains the fall in the bank's deposits?",
        "银行存款增长的推动因素是什么？",
        "药价下降背后的动因有哪些？",
    ],
    "compare": [
        "磷酸铁锂和三元电池哪个更便宜？",
        "今年的营收比去年高还是低？",
        "与同行相比，这家银行的资本充足率如何？",
        "比较两家药企的研发投入",
        "线上和线下渠道的毛利率有什么区别？",
        "这两款疫苗的有效率差异有多大",
        "华东区的销售额高于华南区吗？",
        "哪家银行的净息差更高？",
        "对比一下2022年和2023年的出货量",
        "Compare the two banks' cost-to-income ratios.",
        "Online vs in-store sales growth",
        "What is the difference between the two drug candidates?",
        "Did revenue grow more than 10%?",
        "Which is bigger, the domestic or the overseas market?",
        "Which segment grew faster in 2023?",
        "How does the battery maker's capacity compare with its rivals?",
        "Is the new plant's output higher than the old one's?",
    ],
    "list": [
        "What help is available to tenants who fall behind on rent?",
        "What support does the group give its smaller suppliers?",
        "What does the lender provide to first-time buyers?",
        "What actions has the airline taken on fuel costs?",
        "航空公司对明年有什么规划？",
        "管理层对下半年有何预期？",
        "What does management expect for next year?",
        "What is the outlook for the shipping business?",
        "What is the bank's guidance for 2025?",
        "这家银行有哪些主要风险？",
        "这家药企重点布局的几大治疗领域分别是什么？",
        "酒厂的三大产品线分别是什么",
        "推动地铁业务增长的三项进展分别是什么？",
        "电池厂商在哪几个国家设有工厂？",
        "零售商的数字化转型包括哪些方面",
        "报告提到了哪些新药？",
        "公司的ESG举措都有什么",
        "请列举药企的核心在研管线",
        "降息对银行有何影响？",
        "这项政策有什么好处",
        "有没有提到哪些风险？",
        "是否存在哪些合规问题？",
        "What are the bank's main business lines?",
        "List the retailer's new store formats.",
        "Which countries does the battery maker export to?",
        "Name the drugs approved this year.",
        "What risks does the report mention?",
        "In what ways did the pandemic affect the retailer?",
        "What kinds of batteries does the company make?",
        "Which two products sold best?",
        "Which end markets does the shipping group serve?",
        "Which hotel brands make up the group's portfolio?",
        "What new services has the insurer launched?",
        "零售商从这次并购中得到了什么？",
        "新工厂给当地带来了什么",
        "这项投资有什么收益？",
        "What does the retailer gain from the merger?",
        "What will the insurer's customers get out of the new app?",
        "What does the bank's chair regard as its main strengths?",
        "What did analysts single out as the key growth drivers?",
        "What are the retailer's priorities for next year?",
        "What opportunities does the insurer see in Asia?",
        "What could go wrong with the retailer's expansion plan?",
        "What might go wrong for the insurer next year?",
    ],
    "describe": [
        "公司如何以更低的成本获取储能订单？",  # 如何以…: how, not 何以 (why)
        "这家银行如何管理信用风险？",
        "电池回收业务是怎样运作的？",
        "零售商和供应商是怎么合作的",
        "药品召回是怎么回事？",
        "介绍一下公司的海外业务",
        "描述一下新工厂的生产流程",
        "说说这家银行的零售转型",
        "讲讲固态电池的研发进展",
        "门店扩张目前是什么情况？",
        "具体的供应链管理措施",
        "这种新型电池有什么特点？",
        "该药物在临床上有什么副作用表现？",
        "这座大桥建成后起到了什么作用？",
        "新门店的装修风格是什么样的？",
        "这家银行的零售业务具有何种优势？",
        "What is the new headquarters like?",
        "How does the bank assess credit risk?",
        "Describe the battery recycling process.",
        "Explain the retailer's loyalty programme.",
        "Tell me about the pharma company's oncology pipeline.",
        "What is the current situation of the overseas plants?",
        "how did the company finance the acquisition",
    ],
    "yesno": [
        "这家银行是否计划发行永续债？",
        "电池厂商是不是已经在欧洲建厂了？",
        "报告有没有披露高管薪酬？",
        "新药能否在明年获批？",
        "零售商会不会继续关店？",
        "公司今年分红了吗？",
        "这家药企还是亏损吗？",
        "Is the bank planning a rights issue?",
        "Does the battery maker supply European carmakers?",
        "Did the retailer meet its sales target?",
        "Were any drugs withdrawn from the market?",
        "Can the company fund the new plant from its own cash?",
        "Will the dividend be raised next year?",
        "Has the auditor issued a qualified opinion?",
        "Should investors expect further write-downs?",
    ],
    "fact": [
        "零售商用什么推动数字化转型？",  # the means, not a cause
        "Which city hosts the headquarters?",  # a verb ending in s, not a plural noun
        "三个事业部的收入分别是多少？",
        "前五大客户的收入占比是多少？",  # the five largest customers: a share asked, not a list
        "三大业务分别增长了多少？",  # figures for things counted, not the things
        "投资、产能和主要产品分别是什么？",
        "这家银行2023年的净利润是多少？",
        "电池厂商的年产能达到多少GWh",
        "新工厂什么时候投产？",
        "公司在哪一年上市？",
        "谁是这家药企的首席执行官？",
        "哪家公司是最大的客户？",
        "零售商的门店数量",
        "核心一级资本充足率是什么",
        "具体金额是多少？",
        "How many stores does the retailer operate?",
        "How much did the bank lend to small businesses?",
        "How long is the patent protection for the new drug?",
        "When was the battery plant opened?",
        "Who is the chief financial officer?",
        "Which company acquired the pharmacy chain?",
        "What is the bank's net interest margin?",
        "Which year had the highest revenue?",
        "What did the insurer use as collateral?",  # a singular noun after "as": one thing
        "这家公司是什么性质的企业？",  # its kind: a name, not a description
        "公司的优势是什么？",
    ],
}

CASES = [(question, intent) for intent, questions in PHRASINGS.items() for question in questions]


@pytest.mark.parametrize(("question", "intent"), CASES, ids=[question for question, _ in CASES])
def test_question_intent(question, intent):
    assert question_intent(question) == intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("ＨＯＷ　ＭＡＮＹ　ｓｔｏｒｅｓ？", "fact"),  # full-width letters and spaces
        ("为什么利润下降？？", "reason"),  # full-width question marks
        ("公司今年分红了吗？   ", "yesno"),  # trailing spaces after the 吗
        ("公司今年分红了吗 ？\n", "yesno"),
        ("   How many   employees does the bank have?  ", "fact"),
        ("Why  did the BANK raise rates?", "reason"),
        ("宁德时代vs比亚迪的市场份额", "compare"),  # English keyword glued to Chinese
        ("这家 bank 的 revenue 是多少？", "fact"),
        ("请 summarize 一下这份年报", "summary"),
        ("电池 business 有哪些 risks？", "list"),
        ("How 实现 cost reduction？", "describe"),
        ("哪家公司负责系统更新？", "fact"),  # 更新 is "update", not "more"
        ("哪些行业政策对公司影响比较大？", "list"),  # 比较 before a quality is "rather", not "compare"
        ("What are the main arguments behind the analyst's positive view?", "reason"),  # its reasons
        ("What are the key arguments for buying the shares?", "reason"),
        ("What are the main arguments of the report?", "summary"),
        ("公司的收入来源比较集中在哪里？", "fact"),
        ("比较一下两家公司的毛利率", "compare"),
        ("Which business unit is the largest?", "fact"),  # "business" ends in s but is singular
        ("Isn't the bank's capital ratio too low?", "yesno"),  # negative auxiliary
        ("Doesn’t the retailer own its stores?", "yesno"),  # typographic apostrophe
        # A bound ("at most", "at least") compares nothing.
        ("What share of the trains arrived no more than five minutes late?", "fact"),
        ("How many depots are kept at not less than 95% of capacity?", "fact"),
        ("库容利用率不低于90%的仓库有几个？", "fact"),
        ("Did the bank lend more than it took in deposits?", "compare"),
        ("华东区的毛利率高于华南区吗？", "compare"),
        # "How" with an adjective or adverb asks for a degree or an amount; with a verb, how something happens.
        ("How leveraged is the insurer after the buy-back?", "fact"),
        ("How quickly did the clinic chain open new sites?", "fact"),
        ("How profitable was the cinema business last year?", "fact"),
        ("How did the studio fund the new game engine?", "describe"),
        ("How the turbine blades are inspected", "describe"),
        ("Explain how management intends to reach the target.", "describe"),
        ("How come the order intake slowed?", "reason"),
        ("What were the largest orders signed last year?", "list"),
        # Spoken Chinese and a report's final verdict.
        ("茶叶业务的利润为啥变薄了？", "reason"),
        ("公司干嘛要在越南建厂？", "reason"),
        ("这个新工厂咋运作的？", "describe"),
        ("研报最后给这家公司的总体判断是什么？", "summary"),
        ("分析师对这家租赁公司的最终看法如何？", "summary"),
        ("照这家券商的看法，这只股票值多少钱一股？", "fact"),  # whose view, not the view asked
        ("根据分析师的预测，公司2026年净利润是多少？", "fact"),
        ("What is the analyst's overall verdict on the shares?", "summary"),
        ("What's the bottom line of the review?", "summary"),
        ("Boiled down, what is the overall message the insurer wants investors to take away?", "summary"),
        ("What is the key message of the chairman's letter?", "summary"),
        ("What message did the chief executive send to staff?", "fact"),
        # What the author thinks of the subject is the report's view: a summary, not a description.
        ("研究员怎么看这家水泥厂？", "summary"),
        ("这篇研报如何评价公司的出海战略？", "summary"),
        ("What is the analysts' take on the shipping group?", "summary"),
        ("What does the author make of the spin-off?", "summary"),
        ("公司如何看待价格战？", "describe"),  # the company's own view is what it does about it
    ],
)
def test_edge_cases(question, intent):
    assert question_intent(question) == intent


def test_every_intent_is_covered_and_every_answer_is_known():
    assert set(PHRASINGS) == set(INTENTS)
    assert {question_intent(question) for question, _ in CASES} <= set(INTENTS)


def test_blank_question_is_a_fact_question():
    assert question_intent("") == "fact"
    assert question_intent("  \u3000 ") == "fact"


@pytest.mark.parametrize("question, sides", [
    ("银行卡和信用卡哪个业务增长更快？", ("银行卡", "信用卡")),
    ("华为与比亚迪相比，谁的研发投入更高？", ("华为", "比亚迪")),
    ("线上渠道还是线下渠道的毛利率更高？", ("线上渠道", "线下渠道")),
    ("门店比电商多多少收入", ("门店", "电商")),
    ("Which unit earned more last year, retail or wholesale?", ("retail", "wholesale")),
    ("What is the difference between the bond fund and the equity fund?", ("bond fund", "equity fund")),
    ("Compare the Asian stores with the European stores.", ("Asian stores", "European stores")),
    ("How does the insurance arm compare with the lending arm?", ("insurance arm", "lending arm")),
    ("How did ready meals do compared with soups?", ("ready meals", "soups")),
    ("How has the bank performed relative to its peers?", ("bank", "its peers")),
    ("How did revenue growth in Water Networks compare with that in Flow Control in 2024?",
     ("Water Networks", "Flow Control")),
    ("How does the margin at the UK business compare with those of the US business?", ("UK business", "US business")),
    ("2024年光伏组件与储能两块业务的毛利率差距有多大？", ("光伏组件", "储能")),
    ("华东和华北两个地区相比，哪个地区的收入增长更快？", ("华东", "华北")),
    ("哪个地区的销量更高？", None),  # no two sides named
    ("What drove revenue growth?", None),
])
def test_the_two_sides_a_comparison_weighs(question, sides):
    assert compared(question) == sides


@pytest.mark.parametrize("question, noun", [
    ("投资者需要注意哪些风险？", "风险"),
    ("华宇电池的短板有哪些？", "短板"),
    ("公司接下来有哪些具体的发展举措？", "举措"),
    ("城市配送主要服务哪些客户？", "客户"),
    ("合作涉及哪几个方面？", "方面"),
    ("What are the main risks facing the company?", "risks"),
    ("Which end markets does the group sell into?", "markets"),
    ("What are Northwind's three segments?", "segments"),
    ("What does the Halden acquisition bring?", None),
    ("小米汽车的股价是多少？", None),
])
def test_the_noun_a_list_question_asks_for(question, noun):
    assert asked_noun(question) == noun


@pytest.mark.parametrize("question, parts", [
    ("云帆去年营收是多少？净利润又是多少？", ("云帆去年营收是多少？", "净利润又是多少？")),
    ("How many members does the scheme have, and what share of room nights did they book?",
     ("How many members does the scheme have", "what share of room nights did they book?")),
    ("What is the headcount and how did staff turnover change?", ("What is the headcount", "how did staff turnover change?")),
    ("What did Smith and Jones agree?", ("What did Smith and Jones agree?",)),  # "and" before no question word
    ("为什么？怎么办？", ("为什么？怎么办？",)),  # a part too short to ask anything alone
    ("Why did sales fall? And how?", ("Why did sales fall? And how?",)),
    ("公司的总部在哪里？", ("公司的总部在哪里？",)),
    # The same asked of each of a series of names.
    ("水泥和骨料的毛利率分别是多少？", ("水泥的毛利率是多少？", "骨料的毛利率是多少？")),
    ("北美、欧洲和亚太地区的收入分别是多少？", ("北美的收入是多少？", "欧洲的收入是多少？", "亚太地区的收入是多少？")),
    ("What were revenues in North America, EMEA and Asia-Pacific respectively?",
     ("What were revenues in North America?", "What were revenues in EMEA?", "What were revenues in Asia-Pacific?")),
    ("三个事业部的收入分别是多少？", ("三个事业部的收入分别是多少？",)),  # no names
    ("How many stores does each region have?", ("How many stores does each region have?",)),
])
def test_the_single_asks_of_a_question_that_asks_several(question, parts):
    assert question_parts(question) == parts


@pytest.mark.parametrize("question", [
    "给公司估值时，分析师拿了哪几家同行做对比？", "报告选了哪些可比公司进行比较？",
    "Which peers does the broker compare the stock with?", "Which companies is the group benchmarked against?",
])
def test_who_something_is_compared_with_is_a_list(question):
    assert question_intent(question) == "list"
    assert question_intent("与去年相比，公司的毛利率有哪些变化？") == "compare"  # how it compares, not with whom
