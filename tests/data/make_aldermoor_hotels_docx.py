#!/usr/bin/env python3
"""Make tests/data/reports/aldermoor-hotels-2024.docx (run once, the file is committed).

    python3 tests/data/make_aldermoor_hotels_docx.py

The fictional Aldermoor Hotels & Resorts plc Annual Review 2024 (it shares its name with the unrelated water utility
of reports/aldermoor-water-2024.md). All companies, people and figures are fictional. A test report written by a
helper who never saw the answerer, kept unread until the round after it was written; its questions are
reports/aldermoorhotels_qa.jsonl. Uses only the standard library and python-docx.
"""
import os

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "reports", "aldermoor-hotels-2024.docx")

doc = Document()
doc.core_properties.title = "Aldermoor Hotels & Resorts plc - Annual Review 2024"
doc.core_properties.author = "Aldermoor Hotels & Resorts plc"

normal = doc.styles["Normal"]
normal.font.name = "Calibri"
normal.font.size = Pt(10.5)


def h(level, text):
    doc.add_heading(text, level=level)


def p(text, italic=False, bold=False, align=None):
    para = doc.add_paragraph()
    run = para.add_run(text)
    run.italic = italic
    run.bold = bold
    if align is not None:
        para.alignment = align
    return para


def bullets(items, style="List Bullet"):
    """items: plain strings or (label, rest) tuples; label is set in bold."""
    for it in items:
        para = doc.add_paragraph(style=style)
        if isinstance(it, tuple):
            label, rest = it
            para.add_run(label).bold = True
            para.add_run(rest)
        else:
            para.add_run(it)


def _restarted_num_id():
    """Create a new numbering instance of the List Number style that restarts at 1."""
    numbering = doc.part.numbering_part.element
    style_num_id = doc.styles["List Number"].element.pPr.numPr.numId.val
    abstract_id = None
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) == str(style_num_id):
            abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(new_id))
    an = OxmlElement("w:abstractNumId")
    an.set(qn("w:val"), abstract_id)
    num.append(an)
    ov = OxmlElement("w:lvlOverride")
    ov.set(qn("w:ilvl"), "0")
    so = OxmlElement("w:startOverride")
    so.set(qn("w:val"), "1")
    ov.append(so)
    num.append(ov)
    numbering.append(num)
    return new_id


def numbered(items):
    """Numbered list in Word's List Number style; each list restarts at 1."""
    num_id = _restarted_num_id()
    for it in items:
        para = doc.add_paragraph(style="List Number")
        para.add_run(it)
        pPr = para._p.get_or_add_pPr()
        numPr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), "0")
        nid = OxmlElement("w:numId")
        nid.set(qn("w:val"), str(num_id))
        numPr.append(ilvl)
        numPr.append(nid)
        pPr.insert(1 if pPr.find(qn("w:pStyle")) is not None else 0, numPr)


def caption(text):
    doc.add_paragraph(text, style="Caption")


def table(rows, widths=None):
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, val in enumerate(row):
            cell = t.cell(r, c)
            cell.text = ""
            run = cell.paragraphs[0].add_run(val)
            if r == 0:
                run.bold = True
            if c > 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()
    return t


# ---------------------------------------------------------------- cover
doc.add_paragraph("Aldermoor Hotels & Resorts plc", style="Title")
p("Annual Review 2024", bold=True)
p("Welcoming more guests, in more places, more lightly", italic=True)

# ---------------------------------------------------------------- at a glance
h(1, "2024 at a glance")
p("Aldermoor Hotels & Resorts plc (\"Aldermoor\" or \"the Group\") owns, manages and franchises "
  "hotels and resorts in 23 countries across Europe, the Middle East, Africa and Asia. This Annual "
  "Review covers the financial year ended 31 December 2024 and should be read together with the "
  "Annual Report and Accounts 2024, which contains the full financial statements and the "
  "directors' reports.")
p("2024 was the strongest year in Aldermoor's history. We welcomed around 19 million guests, opened "
  "more hotels than in any previous year and grew profits faster than revenue as more of our "
  "business came from fees rather than from owning property.")

caption("Table 1: Key financial figures, year ended 31 December 2024")
table([
    ["Measure", "2024", "2023", "Change"],
    ["Revenue", "£1,842m", "£1,695m", "+8.7%"],
    ["Fee revenue", "£312m", "£276m", "+13.0%"],
    ["Adjusted EBITDA", "£486m", "£431m", "+12.8%"],
    ["Adjusted EBITDA margin", "26.4%", "25.4%", "+1.0 pts"],
    ["Operating profit", "£331m", "£289m", "+14.5%"],
    ["Profit before tax", "£268m", "£229m", "+17.0%"],
    ["Basic earnings per share", "61.4p", "51.8p", "+18.5%"],
    ["Total dividend per share", "24.0p", "21.0p", "+14.3%"],
    ["Free cash flow", "£214m", "£176m", "+21.6%"],
    ["Net debt", "£1,018m", "£1,102m", "-£84m"],
    ["Net debt to adjusted EBITDA", "2.1x", "2.6x", "-0.5x"],
])

caption("Table 2: Key operating figures, year ended 31 December 2024")
table([
    ["Measure", "2024", "2023", "Change"],
    ["Group RevPAR", "£98.40", "£91.20", "+7.9%"],
    ["Occupancy", "76.8%", "74.1%", "+2.7 pts"],
    ["Average daily rate (ADR)", "£128.13", "£123.08", "+4.1%"],
    ["Hotels open at year end", "412", "389", "+23"],
    ["Rooms open at year end", "68,950", "65,300", "+5.6%"],
    ["Pipeline rooms", "21,400", "19,800", "+8.1%"],
    ["Share of rooms managed or franchised", "81%", "78%", "+3 pts"],
    ["Aldermoor Circle members", "14.2m", "11.9m", "+19.3%"],
])
p("Adjusted EBITDA is earnings before interest, tax, depreciation, amortisation and exceptional "
  "items. RevPAR (revenue per available room) is room revenue divided by the number of room nights "
  "available, and equals occupancy multiplied by average daily rate (ADR). Pipeline rooms are rooms "
  "in hotels for which an agreement has been signed but which have not yet opened.", italic=True)

h(2, "Highlights of the year")
p("The milestones that shaped our year were:")
bullets([
    ("Record openings: ", "31 hotels with 4,880 rooms opened in 11 countries, lifting the estate to 412 hotels."),
    ("Strong signings: ", "46 new hotel agreements signed, adding 7,050 rooms to the pipeline."),
    ("Lighter balance sheet: ", "six owned hotels sold for £142m while we kept long-term contracts to manage them."),
    ("Loyal guests: ", "Aldermoor Circle passed 14 million members and accounted for 44% of room nights."),
    ("Lower footprint: ", "energy use per occupied room down 7.2% on 2023."),
])

# ---------------------------------------------------------------- chair
h(1, "Chair's letter")
p("Dear shareholders,")
p("When the Board set out our Grow Lighter strategy in early 2023, we asked management to do three "
  "things at once: grow the number of rooms carrying our brands, reduce the capital we tie up in "
  "bricks and mortar, and raise returns for shareholders. I am pleased to report that in 2024 "
  "Aldermoor made clear progress on all three.")
p("Revenue rose 8.7% to £1,842m and adjusted EBITDA grew 12.8% to £486m. Basic earnings per share "
  "increased 18.5% to 61.4p. Just as importantly, the quality of those earnings improved: fee "
  "revenue, which needs little capital and tends to be more resilient through the cycle, grew 13.0% "
  "and now makes up 17% of Group revenue.")
p("Reflecting this performance and the Board's confidence in the Group's prospects, we are "
  "recommending a final dividend of 16.2p per share. Together with the interim dividend of 7.8p paid "
  "in October, this brings the total dividend for the year to 24.0p, an increase of 14.3%. In "
  "September we also began a £75m share buyback programme, our first since 2019, as the sale of six "
  "hotels and strong cash generation left us with capital beyond the needs of the business.")
p("There was one change to the Board during the year. Dr Hannah Lindqvist joined as an independent "
  "non-executive director on 1 March 2024. Hannah was previously chief digital officer of a "
  "Scandinavian airline group, and her experience of digital distribution and customer data is "
  "already proving valuable as we invest in our technology platform and in Aldermoor Circle.")
p("Hospitality is, above all, a people business. On behalf of the Board I want to thank our 38,600 "
  "colleagues, together with the hotel owners who entrust their properties to us. Their care for "
  "guests is the reason our brands keep winning recognition and repeat business.")
p("The environment in which we operate remains uncertain, with conflict in the Middle East, "
  "persistent cost inflation in several of our markets and elections in many countries during the "
  "year. Yet the fundamentals of our industry – people's desire to travel, meet and celebrate – "
  "remain strong, and Aldermoor enters 2025 in excellent shape.")
p("Margaret Ashdown", bold=True)
p("Chair", italic=True)

# ---------------------------------------------------------------- CEO
h(1, "Chief Executive's review")
p("2024 was a year in which our strategy moved from promise to proof. Group RevPAR rose 7.9% to "
  "£98.40, with occupancy up 2.7 percentage points to 76.8% and average daily rate up 4.1%. We "
  "opened 31 hotels, a record for Aldermoor, and signed 46 more. Profits grew faster than revenue "
  "and we reduced net debt while returning more cash to shareholders.")

h(2, "What drove demand")
p("Three things stood out in 2024. First, leisure travel remained robust, particularly for city "
  "breaks and resort stays of four nights or more. Second, events gave several of our cities a "
  "significant lift: the Paris Olympic and Paralympic Games, UEFA Euro 2024 in Germany and a run of "
  "stadium concerts in London and Dublin all filled rooms at higher rates. Third, business travel "
  "and conferences continued their steady return; group and meetings revenue grew 11% and corporate "
  "room nights finally exceeded their 2019 level.")
p("Demand was not uniformly strong. Some regional UK cities saw softer midweek business, and later "
  "in the year guests in several markets became more price-sensitive. Our revenue management teams "
  "responded by focusing on filling rooms in those locations, which protected market share at the "
  "cost of some rate.")

h(2, "Growing lighter")
p("Our strategy is built on the asset-light model, in which we earn fees for running hotels or for "
  "lending them our brands, while third-party owners provide most of the capital. At the end of "
  "2024, 81% of our rooms were managed or franchised, up from 78% a year earlier and on course for "
  "our 2027 target of 85%. The sale of six Kestrel Inn hotels in the Netherlands and Belgium, for "
  "which we received £142m while retaining 25-year management contracts, was a good example of this "
  "approach in action.")
p("Conversions – existing hotels that switch to one of our brands – were an important source of "
  "growth, accounting for 14 of our 31 openings. Conversions typically open within six to twelve "
  "months of signing, compared with three to five years for a newly built hotel, so they bring fees "
  "forward and give owners a quicker return on their investment.")

h(2, "Guests and service")
p("Our guest satisfaction score, based on more than 1.6 million post-stay surveys, rose to 86.2 out "
  "of 100 from 84.9. Kestrel Inn was rated the best midscale hotel brand in the UK by a leading "
  "consumer survey for the third year running, and four Aldermoor Grand hotels received new "
  "national hospitality awards. We remain focused on the basics that matter most to guests: a clean "
  "and quiet room, a good night's sleep, reliable Wi-Fi and friendly, helpful colleagues.")

h(2, "Investing in our platform")
p("During the year we completed the first phase of Aldermoor OnePlatform, a single cloud-based "
  "reservations, property management and guest data system that will replace eleven separate "
  "legacy systems by the end of 2026. More than 140 hotels are now live on the new platform. We also "
  "relaunched the Aldermoor app, and direct bookings through our own website, app and call centres "
  "rose to 61% of room revenue from 57% in 2023. Every percentage point of business we move from "
  "online travel agents to our own channels saves owners commission and strengthens our "
  "relationship with the guest.")
p("I would like to thank every colleague across Aldermoor for their hard work in a record year. We "
  "have a clear strategy, a growing pipeline and a stronger balance sheet, and I am confident we can "
  "keep delivering for guests, owners and shareholders.")
p("Daniel Okafor", bold=True)
p("Chief Executive Officer", italic=True)

# ---------------------------------------------------------------- business model
h(1, "Our business")
p("Aldermoor operates a portfolio of four brands, each designed for a distinct type of guest and "
  "stay. Our portfolio at the end of 2024 comprised:")
bullets([
    ("Aldermoor Grand", " – our luxury brand of landmark city hotels and historic properties, with 24 "
     "hotels including the flagship Aldermoor Grand London Mayfair."),
    ("Fernhill", " – an upscale lifestyle brand for guests who want design, local food and a lively "
     "social scene, with 58 hotels."),
    ("Kestrel Inn", " – our midscale, select-service brand offering comfortable rooms, fast Wi-Fi and "
     "a simple breakfast at a fair price, with 291 hotels and the largest share of our rooms."),
    ("Saltmarsh Resorts", " – coastal and countryside resorts with spas and family facilities, with "
     "39 properties."),
])
p("Our hotels are grouped into three regions – UK & Ireland, Continental Europe, and Middle East, "
  "Africa & Asia – each led by a regional managing director who is responsible for hotel "
  "operations, owner relationships and development in that region. Brand, loyalty, technology and "
  "finance are run centrally from our head office in London.")

h(2, "How our operating models work")
p("We run our hotels under three operating models. Each carries a different balance of risk, reward "
  "and capital, and together they give us the flexibility to choose the right structure for each "
  "hotel and owner.")
bullets([
    ("Managed: ", "the owner holds the property and funds its upkeep, while Aldermoor runs the hotel "
     "day to day under a long-term contract, usually of 15 to 25 years. We earn a base fee, typically "
     "2% to 3% of total hotel revenue, and an incentive fee, typically 6% to 10% of the hotel's gross "
     "operating profit above an agreed threshold. Managed hotels accounted for 38% of our rooms at "
     "year end."),
    ("Franchised: ", "the owner, or a management company it appoints, operates the hotel under one of "
     "our brands. The owner pays a royalty, typically 4% to 6% of rooms revenue, plus fees for our "
     "reservations system, marketing and loyalty programme, and must meet our brand standards, which "
     "we check through unannounced quality inspections. Franchised hotels represented 43% of rooms."),
    ("Owned and leased: ", "we own the hotel or lease it from a landlord, so we keep all of its "
     "revenue and bear all of its costs. These hotels, 19% of our rooms, generate most of our "
     "reported revenue but need significant capital and make our earnings more sensitive to changes "
     "in demand."),
])
p("Because base fees are linked to revenue rather than profit, and franchise royalties to rooms "
  "revenue, most of our fee income holds up well even when hotel margins are under pressure. "
  "Incentive fees rise and fall more sharply with hotel profitability, which is why they grew faster "
  "than other fee streams in a strong year such as 2024. For owners, the attraction of working with "
  "us lies in the strength of our brands, the bookings our distribution and loyalty systems deliver, "
  "and the purchasing power of a group of more than 400 hotels.")

h(2, "Aldermoor Circle")
p("Aldermoor Circle is our free-to-join loyalty programme and one of the main reasons owners choose "
  "our brands. Members earn 10 points for every £1 spent on rooms and 5 points for every £1 spent "
  "on food and drink at any of our hotels. Points can be redeemed for free nights from 8,000 points, "
  "for room upgrades, or converted into miles with six partner airlines.")
p("Members move up through three tiers according to the number of nights they stay in a calendar "
  "year: Silver from 10 nights, Gold from 25 nights and Onyx from 50 nights. Higher tiers bring bonus "
  "points, late check-out, guaranteed room availability and, for Onyx members, lounge access at "
  "Aldermoor Grand hotels.")
p("The programme is funded by the hotels themselves. Every hotel pays a programme fee of 4% of "
  "qualifying member spend into a central loyalty fund, which pays for marketing and for members' "
  "free nights. When a member redeems points, the hotel where they stay is reimbursed from the fund "
  "at a rate linked to its average daily rate, so owners are not out of pocket for hosting reward "
  "stays.")
p("Membership grew 19.3% to 14.2 million in 2024, and members accounted for 44% of room nights, up "
  "from 40% in 2023. Members book direct more often, stay longer and spend more on food and drink, "
  "which lowers distribution costs for owners and makes our brands more attractive to them.")

# ---------------------------------------------------------------- strategy
h(1, "Our strategy")
p("Grow Lighter, our strategy for 2023 to 2027, sets out how we aim to build a larger, more "
  "profitable and less capital-intensive business. It has four priorities:")
numbered([
    "Grow our brands where guests and owners want them, adding at least 20,000 net rooms between 2023 and 2027.",
    "Move to an asset-light estate, with 85% of rooms managed or franchised by 2027.",
    "Win more direct bookings through Aldermoor Circle and our own digital channels.",
    "Operate responsibly, halving carbon intensity per occupied room by 2030 against 2019 and reaching net zero by 2045.",
])

h(2, "Progress in 2024")
p("Two years into the plan, we have added 7,530 net rooms, more than a third of our 20,000-room "
  "goal, and with 21,400 rooms in the pipeline we are confident of reaching it. Around 60% of "
  "pipeline rooms are already under construction or are conversions of existing hotels, which "
  "reduces the risk of delays.")
caption("Table 3: Progress against Grow Lighter targets")
table([
    ["Priority", "Measure", "Target", "2024", "2023"],
    ["Grow our brands", "Net rooms added since 1 January 2023", "20,000 by 2027", "7,530", "3,880"],
    ["Asset-light", "Rooms managed or franchised", "85% by 2027", "81%", "78%"],
    ["Direct bookings", "Share of room revenue booked direct", "65% by 2027", "61%", "57%"],
    ["Operate responsibly", "Reduction in carbon intensity per occupied room vs 2019", "50% by 2030", "31%", "25%"],
])
p("The shift to asset-light is happening in two ways. Almost all new rooms are added under "
  "management or franchise agreements, so the share of owned and leased rooms falls naturally as "
  "the estate grows. In addition, we sell selected owned hotels where we can achieve an attractive "
  "price while keeping a long-term contract to operate them, as we did in the Netherlands and "
  "Belgium in 2024. We expect to complete one or two further transactions of this kind by 2027.")
p("Direct bookings are growing as more guests join Aldermoor Circle and use our app, and as "
  "OnePlatform allows us to offer members personalised prices and room choices. On climate, the "
  "reduction achieved so far puts us slightly ahead of the path needed to reach our 2030 target, "
  "although the next steps – replacing gas boilers and upgrading older buildings – will be more "
  "expensive than the savings made to date.")

# ---------------------------------------------------------------- regions
h(1, "Regional review")
p("We report our results in three regions. Table 4 summarises their performance in 2024. RevPAR "
  "growth is shown at constant exchange rates, and central costs, which cover head office "
  "functions, are shown separately.")
caption("Table 4: Performance by region, year ended 31 December 2024")
table([
    ["Region", "Hotels", "Rooms", "Revenue", "Revenue growth", "RevPAR", "RevPAR growth", "Occupancy", "Adjusted EBITDA"],
    ["UK & Ireland", "214", "29,400", "£842m", "+5.1%", "£86.10", "+4.2%", "80.6%", "£214m"],
    ["Continental Europe", "121", "22,150", "£598m", "+12.4%", "£104.00", "+10.6%", "75.8%", "£158m"],
    ["Middle East, Africa & Asia", "77", "17,400", "£402m", "+11.0%", "£112.40", "+11.8%", "72.1%", "£162m"],
    ["Central costs", "-", "-", "-", "-", "-", "-", "-", "(£48m)"],
    ["Group", "412", "68,950", "£1,842m", "+8.7%", "£98.40", "+7.9%", "76.8%", "£486m"],
])

h(2, "UK & Ireland")
p("UK & Ireland is our largest region, with 214 hotels and 29,400 rooms, most of them under the "
  "Kestrel Inn brand. Revenue rose 5.1% to £842m and RevPAR grew 4.2% to £86.10, with occupancy up "
  "0.9 percentage points to 80.6%. London led the way: RevPAR in the capital increased 6.8%, helped "
  "by a strong summer of concerts and sporting events and a further recovery in international "
  "visitors. Dublin also performed well. Regional cities were more mixed, with softer midweek "
  "corporate demand in parts of the Midlands and the North of England.")
p("Adjusted EBITDA rose to £214m, but the margin was almost unchanged at 25.4% (2023: 25.3%). The "
  "main reason was labour cost: the 9.8% increase in the National Living Wage in April 2024 added "
  "around £19m to payroll in our owned and leased hotels. We offset most of this through lower "
  "energy costs, which fell by £11m as fixed-price contracts agreed during the 2022 energy crisis "
  "expired, and through ShiftWise, our new scheduling tool, which matches staff rosters more closely "
  "to forecast occupancy.")
p("We opened nine hotels in the region, including the 240-room Kestrel Inn Manchester Piccadilly and "
  "the Fernhill Edinburgh Old Town, and signed a further 14. Ireland remains an attractive market "
  "for franchise growth, and we signed five Kestrel Inn conversions there with two established hotel "
  "companies.")

h(2, "Continental Europe")
p("Continental Europe delivered the strongest growth of our three regions. Revenue increased 12.4% "
  "to £598m and RevPAR grew 10.6% to £104.00, as occupancy rose 4.2 percentage points to 75.8%.")
p("Three factors drove this performance. The Paris Olympic and Paralympic Games lifted rates across "
  "our 17 hotels in the Paris region between July and September, with RevPAR in Paris up 24% for "
  "the year. UEFA Euro 2024 filled our hotels in the German host cities in June and July. And the "
  "return of large conferences and trade fairs, particularly in Barcelona, Milan and Frankfurt, "
  "brought corporate groups back in numbers we had not seen since 2019.")
p("Adjusted EBITDA rose 19.7% to £158m, and the margin widened to 26.4% from 24.8%, as higher rates "
  "flowed through to profit in our owned and leased hotels in Germany and Spain.")
p("In October we completed the sale of six owned Kestrel Inn hotels in the Netherlands and Belgium "
  "to a European real estate investor for £142m, equivalent to around 15 times their 2023 EBITDA. We "
  "continue to run all six under 25-year management contracts. We also opened ten hotels in the "
  "region, seven of them conversions to the Fernhill brand in Italy and Spain, and signed 17 new "
  "agreements.")

h(2, "Middle East, Africa & Asia")
p("Middle East, Africa & Asia (MEAA), our fastest-growing region by rooms, increased revenue 11.0% "
  "to £402m. RevPAR rose 11.8% to £112.40, supported by strong demand in Saudi Arabia and the United "
  "Arab Emirates and by the recovery of inbound tourism to Japan and Thailand.")
p("Occupancy, at 72.1%, is lower than in our other regions. This is mainly because 12 of our 31 "
  "openings in 2024 were in MEAA, and new hotels usually take two to three years to build up to "
  "mature occupancy. Nearly all of the region's hotels are managed or franchised, so its revenue is "
  "mostly fee income and it earns a much higher adjusted EBITDA margin, 40.3% in 2024, than our "
  "regions with large owned estates.")
p("Openings included the 320-room Aldermoor Grand Riyadh, the first Saltmarsh Resort in Vietnam at "
  "Phu Quoc, and three Kestrel Inn hotels in Dubai. We signed 15 new agreements, among them a "
  "ten-hotel development partnership for the Kestrel Inn brand in Saudi Arabia. The conflict in the "
  "Middle East weighed on demand in Jordan and Egypt, where we operate seven hotels, but the effect "
  "on the region's results was limited.")

# ---------------------------------------------------------------- financial review
h(1, "Financial review")
p("The Group delivered a strong financial performance in 2024, with growth in revenue, margins, "
  "earnings and cash flow, and a lower level of debt. This review is written by Priya Venkataraman, "
  "Chief Financial Officer.")

h(2, "Income statement")
h(3, "Revenue")
p("Group revenue increased 8.7% to £1,842m. At constant exchange rates, growth was 9.6%, as the "
  "strengthening of sterling against the euro reduced reported revenue by around £15m.")
caption("Table 5: Revenue by source")
table([
    ["Source", "2024", "2023", "Change"],
    ["Owned and leased hotel revenue", "£1,398m", "£1,301m", "+7.5%"],
    ["Fee revenue", "£312m", "£276m", "+13.0%"],
    ["Other revenue", "£132m", "£118m", "+11.9%"],
    ["Total revenue", "£1,842m", "£1,695m", "+8.7%"],
])
p("Owned and leased revenue grew 7.5%, reflecting higher RevPAR and a 6% increase in food and "
  "beverage revenue, partly offset by the loss of revenue from the six hotels sold in October. Fee "
  "revenue rose 13.0% to £312m and comprised base management fees of £148m, incentive management "
  "fees of £61m and franchise fees of £103m. Incentive fees grew fastest, up 17.3%, as profits at our "
  "managed hotels rose. Other revenue, which mainly consists of Aldermoor Circle programme fees and "
  "brand services charged to owners, increased 11.9% to £132m.")

h(3, "Costs and margins")
p("Adjusted EBITDA grew 12.8% to £486m, and the adjusted EBITDA margin improved by 1.0 percentage "
  "point to 26.4%. Three factors explain the improvement:")
bullets([
    ("Business mix: ", "fee revenue, which carries little cost, grew faster than revenue from our "
     "owned and leased hotels."),
    ("Energy: ", "Group energy costs fell by £17m, as lower wholesale prices fed through into new "
     "supply contracts and our efficiency programme cut consumption."),
    ("Procurement: ", "our central purchasing programme for food, linen and guest amenities saved £9m."),
])
p("These gains more than offset wage inflation, which increased payroll costs in owned and leased "
  "hotels by 7.9%, and a £4m increase in central costs to £48m, driven by investment in Aldermoor "
  "OnePlatform.")
p("Depreciation and amortisation were £155m (2023: £142m), so operating profit increased 14.5% to "
  "£331m. There were no exceptional items in either year; the six hotels were sold at close to their "
  "book value, so no material gain was recognised on the sale.")

h(3, "Finance costs and tax")
p("Net finance costs increased to £63m (2023: £60m) as the interest rate on our revolving credit "
  "facility reset higher early in the year, partly offset by lower average borrowings. Profit before "
  "tax rose 17.0% to £268m. The tax charge was £67m, an effective tax rate of 25.0% (2023: 24.5%), "
  "and profit after tax was £201m. Basic earnings per share increased 18.5% to 61.4p, helped by a "
  "lower average number of shares.")

h(2, "Cash flow and balance sheet")
h(3, "Net debt")
p("Free cash flow – cash generated from operations after maintenance capital expenditure, interest, "
  "tax and lease payments – rose 21.6% to £214m. Together with £142m of proceeds from the sale of six "
  "hotels, this allowed us to reduce net debt by £84m to £1,018m, even after investing £112m in "
  "growth capital expenditure and key money, paying £73m in dividends and returning £41m through the "
  "share buyback. Other movements, mainly new lease liabilities and foreign exchange, added £46m.")
p("Key money is an upfront contribution we sometimes make to an owner to secure a management or "
  "franchise contract for a high-quality hotel. It is recovered over the life of the contract "
  "through the fees the hotel pays us, and we use it selectively where the expected return is well "
  "above our cost of capital.")
p("Net debt to adjusted EBITDA fell to 2.1x from 2.6x, at the lower end of our target range of 2.0x "
  "to 2.5x. Our £600m revolving credit facility, which runs to 2029, was undrawn at the year end, and "
  "our main bond, a £400m issue with a 4.25% coupon, does not mature until 2030.")

h(3, "Capital allocation and dividend")
p("Our capital allocation framework sets out the order in which we use the cash the business "
  "generates:")
numbered([
    "Invest in our hotels and in growth, including maintenance capital expenditure of around 4% of owned and leased revenue and key money for new contracts.",
    "Pay a progressive ordinary dividend, covered around 2.5 times by earnings.",
    "Keep net debt between 2.0x and 2.5x adjusted EBITDA.",
    "Return surplus capital to shareholders, normally through share buybacks.",
])
p("The Board recommends a final dividend of 16.2p per share, payable on 23 May 2025 to shareholders "
  "on the register on 11 April 2025. With the interim dividend of 7.8p, the total for 2024 is 24.0p, "
  "up 14.3%. Of the £75m buyback launched in September, £41m had been completed by 31 December 2024 "
  "and we expect to complete the remainder by the end of April 2025.")

# ---------------------------------------------------------------- sustainability
h(1, "Responsible hospitality")
p("We want guests to be able to stay with us without costing the earth, and we want our hotels to "
  "be good places to work and good neighbours. Our sustainability programme is overseen by the "
  "Board's Sustainability Committee and is built into the Grow Lighter strategy as its fourth "
  "priority.")

h(2, "Climate and energy")
p("Our Scope 1 and 2 emissions fell 8.2% to 212,000 tonnes of CO2 equivalent (2023: 231,000 "
  "tonnes), and carbon intensity per occupied room is now 31% below our 2019 baseline. Energy use per "
  "occupied room fell 7.2%, helped by heat pumps installed in 14 owned hotels, LED lighting upgrades "
  "and smart room controls that turn heating and cooling down when rooms are empty. Renewable "
  "sources supplied 58% of the electricity used by our owned and leased hotels, up from 46%.")
p("We reduced food waste per cover by 18% in the 160 hotels taking part in our Waste Less Plate "
  "programme, which measures kitchen waste and redesigns breakfast buffets and menus around it. "
  "Water use per occupied room fell 4.1%.")
p("Our managed and franchised hotels account for most of our wider Scope 3 emissions. From 2025, new "
  "management and franchise agreements will require owners to share energy data monthly and to meet "
  "minimum efficiency standards for new builds.")

h(2, "People and communities")
p("At the end of 2024 Aldermoor employed 38,600 colleagues, including staff employed in our managed "
  "hotels on behalf of their owners. Our annual engagement survey recorded a score of 81%, up from "
  "78%, and colleague turnover fell to 42% from 49%, reducing recruitment and training costs. Our "
  "main people programmes are:")
bullets([
    ("Aldermoor Academy", " – our training school, which ran 1,250 apprenticeships in 2024 across "
     "kitchens, front office and hotel engineering."),
    ("Pathway to GM", " – a two-year programme that prepares department heads for general manager "
     "roles; women now hold 41% of our general manager positions."),
    ("Fair rostering", " – through ShiftWise, colleagues receive their schedules at least two weeks in "
     "advance and can swap shifts through an app."),
])
p("Our hotels and colleagues raised and donated £2.3m for local charities in 2024, and colleagues "
  "gave more than 52,000 hours of volunteering time, much of it supporting young people into their "
  "first jobs in hospitality.")

# ---------------------------------------------------------------- risks
h(1, "Principal risks")
p("The Board monitors a set of principal risks that could threaten our strategy, performance or "
  "reputation, and reviews how each is being managed at least twice a year. The most significant "
  "are:")
bullets([
    ("Economic conditions and travel demand: ", "a downturn or a sharp rise in living costs could "
     "reduce leisure and business travel. Our asset-light model and geographic spread reduce, but do "
     "not remove, this exposure."),
    ("Geopolitical events and security: ", "conflict, terrorism or political instability can deter "
     "travel to particular destinations, as shown in parts of the Middle East in 2024."),
    ("Cyber security and data privacy: ", "a breach affecting guest or payment data could cause "
     "financial loss and damage trust. The move to Aldermoor OnePlatform reduces the number of "
     "systems we must protect but concentrates risk during the migration."),
    ("Owner relationships: ", "we depend on third-party owners to sign and renew contracts. Weak hotel "
     "performance or poor service could lead owners to switch brands when contracts expire."),
    ("Labour availability and cost: ", "shortages of skilled staff and rises in statutory wages can "
     "raise costs and affect service quality."),
    ("Climate and physical risks: ", "coastal Saltmarsh Resorts are exposed to flooding, storms and "
     "extreme heat, and tighter building efficiency rules will require investment."),
])
p("The Board also keeps emerging risks under review. In 2024 it paid particular attention to the "
  "growing influence of artificial intelligence on how travellers search for and book hotels, which "
  "could shift bookings toward large online platforms, and to new short-term rental regulations in "
  "several European cities, which may reduce competing supply.")

# ---------------------------------------------------------------- governance
h(1, "Governance")
p("The Board is committed to high standards of corporate governance and applied the principles of "
  "the UK Corporate Governance Code 2018 throughout the year.")

h(2, "Board composition")
p("At 31 December 2024 the Board had ten members: the Chair, two executive directors and seven "
  "independent non-executive directors. Four directors (40%) are women and two are from ethnic "
  "minority backgrounds. Jonathan Pryce is the Senior Independent Director. The Board met nine times "
  "during the year, including a two-day visit to our hotels in Riyadh and Dubai.")

h(2, "Board committees")
p("The Board delegates certain responsibilities to four committees, each chaired by the Chair or an "
  "independent non-executive director:")
bullets([
    ("Audit and Risk Committee: ", "chaired by Catherine Moyo, oversees financial reporting, internal "
     "controls and risk management."),
    ("Remuneration Committee: ", "chaired by Jonathan Pryce, sets pay policy for the executive "
     "directors and senior management."),
    ("Nomination Committee: ", "chaired by Margaret Ashdown, leads succession planning and Board "
     "appointments."),
    ("Sustainability Committee: ", "chaired by Anil Mehra, oversees our climate targets and people "
     "programmes."),
])
p("During the year the Nomination Committee oversaw the appointment of Dr Hannah Lindqvist, and the "
  "Remuneration Committee added a measure linked to the share of rooms managed or franchised to the "
  "executive long-term incentive plan, aligning pay more closely with the Grow Lighter strategy.")

# ---------------------------------------------------------------- outlook
h(1, "Outlook")
p("Trading in the first weeks of 2025 has been in line with our expectations. Forward bookings are "
  "ahead of the same point last year, although we expect RevPAR growth to moderate in Continental "
  "Europe as we lap the exceptional events of 2024. Cost inflation, particularly in wages, will "
  "remain a headwind in the UK, where a further increase in the National Living Wage takes effect in "
  "April 2025.")
p("For 2025 as a whole we expect:")
bullets([
    "Group RevPAR growth in the low to mid single digits;",
    "between 30 and 35 hotel openings, with net rooms growth of 5% to 6%;",
    "a further increase in the share of rooms managed or franchised, toward our 85% target;",
    "net debt to adjusted EBITDA of around 2.0x, before any further returns of capital.",
])
p("In summary, 2024 showed what Aldermoor's strategy can deliver. Record openings and a larger "
  "pipeline are growing our brands; the shift to an asset-light estate is raising margins and freeing "
  "up capital; and Aldermoor Circle is bringing guests back to us directly. With a strong balance "
  "sheet and a clear plan, the Board is confident that Aldermoor will continue to create value for "
  "guests, owners, colleagues and shareholders in 2025 and beyond.")

doc.save(OUT)


def word_count(path):
    d = Document(path)
    words = 0
    for para in d.paragraphs:
        words += len(para.text.split())
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                words += len(cell.text.split())
    return words


if __name__ == "__main__":
    print("wrote", OUT, "words:", word_count(OUT))
