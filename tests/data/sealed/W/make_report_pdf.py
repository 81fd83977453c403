#!/usr/bin/env python3
"""Generate stonemere-2024.pdf: the fictional 2024 annual report of
Stonemere Environmental Services plc. All names and figures are invented."""
import os
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (CondPageBreak, KeepTogether, ListFlowable, ListItem, PageBreak, Paragraph,
                                SimpleDocTemplate, Spacer, Table, TableStyle)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "stonemere-2024.pdf")

ss = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=ss["BodyText"], fontName="Helvetica",
                      fontSize=10, leading=14, spaceAfter=6,
                      allowWidows=0, allowOrphans=0)
H1 = ParagraphStyle("h1", parent=ss["Heading1"], fontName="Helvetica-Bold",
                    fontSize=16, leading=20, spaceBefore=12, spaceAfter=8,
                    textColor=colors.HexColor("#1f4e3d"))
H2 = ParagraphStyle("h2", parent=ss["Heading2"], fontName="Helvetica-Bold",
                    fontSize=12, leading=15, spaceBefore=8, spaceAfter=4,
                    textColor=colors.HexColor("#2e6b53"))
CAPTION = ParagraphStyle("cap", parent=BODY, fontName="Helvetica-BoldOblique",
                         fontSize=9.5, spaceBefore=4, spaceAfter=4)
SIGN = ParagraphStyle("sign", parent=BODY, fontName="Helvetica-Oblique")
TITLE = ParagraphStyle("title", parent=ss["Title"], fontName="Helvetica-Bold",
                       fontSize=22, leading=28, alignment=TA_CENTER,
                       textColor=colors.HexColor("#1f4e3d"))
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=15, leading=20,
                          alignment=TA_CENTER)
TITLE_SMALL = ParagraphStyle("tsmall", parent=BODY, fontSize=10, leading=14,
                             alignment=TA_CENTER)

story = []


def h1(t):
    story.append(CondPageBreak(40 * mm))
    story.append(Paragraph(escape(t), H1))


def h2(t):
    story.append(CondPageBreak(30 * mm))
    story.append(Paragraph(escape(t), H2))


def p(t, style=BODY):
    story.append(Paragraph(escape(t), style))


def bullets(items):
    story.append(ListFlowable(
        [ListItem(Paragraph(escape(i), BODY), leftIndent=14) for i in items],
        bulletType="bullet", start="\u2022", leftIndent=14, bulletFontSize=9,
        bulletFontName="Symbol"))


def labelled(items):
    for label, text in items:
        story.append(Paragraph("<b>%s:</b> %s" % (escape(label), escape(text)),
                               ParagraphStyle("lab", parent=BODY, leftIndent=10)))


def table(caption, rows, widths, total_row=False):
    parts = []
    if caption:
        parts.append(Paragraph(escape(caption), CAPTION))
    t = Table(rows, colWidths=[w * mm for w in widths], hAlign="LEFT", repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("FONTNAME", (0, 1), (-1, -1), "Helvetica"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#d9e8e0")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#1f4e3d")),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.grey),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
    ]
    if total_row:
        style += [("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                  ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black)]
    t.setStyle(TableStyle(style))
    parts.append(t)
    parts.append(Spacer(1, 8))
    story.append(KeepTogether(parts))


# ---------------------------------------------------------------- title page
story.append(Spacer(1, 60 * mm))
story.append(Paragraph("Stonemere Environmental Services plc", TITLE))
story.append(Spacer(1, 8 * mm))
story.append(Paragraph("Annual Report and Accounts 2024", SUBTITLE))
story.append(Spacer(1, 4 * mm))
story.append(Paragraph("Recovering value from what others throw away", SUBTITLE))
story.append(Spacer(1, 40 * mm))
story.append(Paragraph("Waste collection - Recycling - Energy from waste", TITLE_SMALL))
story.append(Paragraph("Registered office: 14 Quarry Row, Leeds LS1 4QX", TITLE_SMALL))
story.append(Paragraph("Listed on the Main Market of the London Stock Exchange (STMR)", TITLE_SMALL))
story.append(PageBreak())

# ---------------------------------------------------------------- 1 Chair
h1("1. Letter from the Chair")
p("Dear Shareholders,")
p("2024 was the year in which Stonemere showed that a waste company can grow its earnings while sending "
  "less to the ground. Group revenue rose 5.7% to £1,251.9 million, underlying EBITDA increased 8.6% to "
  "£268.4 million and, for the first time in our history, close to half of all the material we collected "
  "was recycled or reused. I am grateful to our 11,850 colleagues, who kept bins emptied and plants running "
  "through one of the wettest winters on record.")
p("The Board met eleven times during the year. We welcomed Dr Priyanka Ashworth-Lane as an independent "
  "non-executive director in May; she brings twenty years of experience in process engineering and chairs "
  "our new Plant Safety and Integrity Committee. Tomasz Whitlow, who served as Senior Independent Director "
  "for nine years, stepped down at the AGM in June and was succeeded in that role by Fiona Carrick-Dunn.")
p("Your Board is recommending a final dividend of 5.0 pence per share, which, together with the interim "
  "dividend of 2.4 pence paid in October, gives a total of 7.4 pence for the year, an increase of 8.8% on "
  "2023. This is consistent with our progressive dividend policy, under which we aim to grow the dividend "
  "broadly in line with underlying earnings while keeping leverage between 2.5x and 3.0x.")
p("The regulatory landscape continues to shift in our favour. Simpler recycling rules, extended producer "
  "responsibility for packaging and the planned inclusion of energy from waste in the UK Emissions Trading "
  "Scheme all reward companies that can sort, recover and decarbonise at scale. Stonemere is well placed to "
  "benefit, and the Board has approved a capital plan that reflects this.")
p("Eleanor Vance-Maddox, Chair, 4 March 2025", SIGN)

# ---------------------------------------------------------------- 2 Glance
h1("2. 2024 at a Glance")
p("The tables below summarise the Group's financial and operating performance. All figures are in pounds "
  "sterling and relate to the year ended 31 December 2024 unless stated otherwise.")
table("Table 1: Key financial figures (£m unless stated)", [
    ["Measure", "2024", "2023", "Change"],
    ["Revenue", "1,251.9", "1,183.9", "+5.7%"],
    ["Underlying EBITDA", "268.4", "247.1", "+8.6%"],
    ["Underlying EBITDA margin", "21.4%", "20.9%", "+0.5 pts"],
    ["Operating profit", "141.2", "128.5", "+9.9%"],
    ["Profit before tax", "102.6", "92.6", "+10.8%"],
    ["Net profit", "76.9", "69.9", "+10.0%"],
    ["Basic earnings per share (pence)", "18.7", "17.0", "+10.0%"],
    ["Dividend per share (pence)", "7.4", "6.8", "+8.8%"],
    ["Free cash flow", "64.3", "58.8", "+9.4%"],
    ["Net debt", "742.0", "709.5", "+4.6%"],
    ["Net debt / underlying EBITDA", "2.8x", "2.9x", "-0.1x"],
], [70, 28, 28, 28])
table("Table 2: Operating indicators", [
    ["Indicator", "2024", "2023"],
    ["Waste handled (million tonnes)", "9.42", "9.18"],
    ["Recycling rate", "47.3%", "45.1%"],
    ["Landfill diversion rate", "91.6%", "89.8%"],
    ["Energy from waste plant availability", "92.4%", "89.7%"],
    ["Electricity exported (GWh)", "1,048", "962"],
    ["Collection vehicles", "3,140", "3,085"],
    ["of which electric", "212", "118"],
    ["Lost time injury frequency rate", "0.84", "1.02"],
    ["Employees at year end", "11,850", "11,620"],
], [80, 30, 30])
p("Highlights of the year:")
bullets([
    "Seven new local authority contracts won, worth around £38 million a year in revenue",
    "Brantmoor turbine overhaul completed on schedule and within budget",
    "Calder Reach heat network began supplying 2,400 homes and a hospital",
    "94 electric refuse collection vehicles added to the fleet",
    "£250 million green bond issued in September",
])

# ---------------------------------------------------------------- 3 CEO
h1("3. Chief Executive's Review")
h2("3.1 A year of disciplined growth")
p("We entered 2024 with three clear tasks: to run our plants harder, to win back municipal volume lost in "
  "the 2022 retendering round, and to lower the carbon intensity of every tonne we handle. I am pleased to "
  "report progress on all three. Energy from waste availability improved to 92.4%, up from 89.7%, as the "
  "reliability programme launched in 2023 began to pay off. We won seven of the eleven local authority "
  "tenders we bid for, and our carbon intensity fell by 6.1% to 212 kg of CO2 equivalent per tonne handled.")
p("Volumes were steady rather than spectacular. Total waste handled rose 2.6% to 9.42 million tonnes, "
  "helped by contract wins in the Midlands and by a recovery in construction activity later in the year. "
  "Commercial volumes were flat, as higher collections from the hospitality sector offset weaker demand from "
  "manufacturing customers.")
h2("3.2 Contracts and customers")
p("Municipal contracts remain the backbone of the Group. At the end of 2024 we held 68 local authority "
  "contracts with an average remaining life of 9.3 years. We retained 94% of contracts that came up for "
  "renewal by value, and the seven new contracts add around £38 million of annual revenue once fully "
  "mobilised. The largest of these, a 12-year integrated collection and recycling contract with Thornbury "
  "Vale District Council, began in October. In the commercial market we serve some 96,000 customers, from "
  "single cafes to national retailers.")
p("Daniel Okafor-Brent, Chief Executive", SIGN)

# ---------------------------------------------------------------- 4 Segments
h1("4. Business Segments")
p("Stonemere reports through four segments. Table 3 shows revenue and underlying EBITDA for each. Central "
  "costs cover Group functions such as finance, legal and information technology.")
table("Table 3: Segment revenue and underlying EBITDA (£m)", [
    ["Segment", "Revenue 2024", "Revenue 2023", "EBITDA 2024", "EBITDA 2023"],
    ["Collections", "612.4", "574.0", "98.7", "92.4"],
    ["Recycling & Materials", "318.6", "301.2", "52.3", "49.8"],
    ["Energy from Waste", "241.8", "218.5", "109.6", "94.1"],
    ["Landfill & Specialist", "79.1", "90.2", "21.8", "24.6"],
    ["Central costs", "-", "-", "(14.0)", "(13.8)"],
    ["Group", "1,251.9", "1,183.9", "268.4", "247.1"],
], [50, 28, 28, 28, 28], total_row=True)
h2("4.1 Collections")
p("Collections revenue grew 6.7% to £612.4 million. About 58% of the segment's revenue comes from local "
  "authorities and the remainder from commercial customers. Growth came from the mobilisation of new "
  "municipal contracts, contractual price indexation averaging 4.2% and the introduction of separate food "
  "waste collections for 310,000 additional households. Underlying EBITDA rose to £98.7 million, giving a "
  "margin of 16.1%, unchanged from the prior year. Higher driver wages, which rose by an average of 5.5% "
  "under the national pay agreement, were offset by route optimisation and lower fuel consumption.")
h2("4.2 Recycling & Materials")
p("The segment operates 14 material recovery facilities, two plastics reprocessing plants and a glass "
  "processing site at Ebbsworth. Revenue rose 5.8% to £318.6 million and underlying EBITDA increased 5.0% to "
  "£52.3 million. The improvement reflected firmer prices for recovered paper and card, which averaged 14% "
  "higher than in 2023, and a full year of the new optical sorting lines at our Sallowfield facility, which "
  "raised the purity of our paper output and the price it commands. Plastics were more difficult: prices for "
  "recycled PET flake fell by around 9% as cheap virgin polymer flowed into Europe, and we idled one of the "
  "two extrusion lines at our Ashdown Road plant for eleven weeks over the summer.")
h2("4.3 Energy from Waste")
p("Energy from waste is now the Group's most profitable segment. Revenue grew 10.7% to £241.8 million and "
  "underlying EBITDA rose 16.5% to £109.6 million. Three factors drove the increase: higher plant "
  "availability, which allowed our five plants to process 1.79 million tonnes, up from 1.68 million tonnes; "
  "gate fees that are indexed to inflation under long-term contracts; and higher electricity export "
  "volumes. These more than offset a fall in achieved power prices, which averaged £74 per MWh against £89 "
  "per MWh in 2023. Roughly 70% of our expected 2025 power output has been sold forward at an average of "
  "£78 per MWh.")
h2("4.4 Landfill & Specialist")
p("Revenue in Landfill & Specialist fell 12.3% to £79.1 million and underlying EBITDA fell to £21.8 "
  "million. The decline was expected. Landfill tax rose again in April, pushing customers towards "
  "alternatives, and our Hollins Cross site stopped accepting new waste in March 2024 as it reached its "
  "permitted capacity. We now operate three active landfill sites, which we manage for long-term "
  "restoration rather than volume. The specialist business, which handles clinical and hazardous waste, "
  "grew revenue by 4% and partly offset the landfill decline.")

# ---------------------------------------------------------------- 5 Operations
h1("5. Operations")
h2("5.1 Energy from waste plants")
p("Table 4 lists our five energy from waste plants. Together they have a permitted capacity of 1.86 million "
  "tonnes a year and exported 1,048 GWh of electricity in 2024, enough to power around 380,000 homes.")
table("Table 4: Energy from waste plants, 2024", [
    ["Plant", "Region", "Capacity (kt)", "Throughput (kt)", "Availability"],
    ["Calder Reach", "Yorkshire", "420", "405", "94.1%"],
    ["Wexcombe", "Hampshire", "380", "372", "93.8%"],
    ["Brantmoor", "Lancashire", "360", "331", "86.2%"],
    ["Sallowfield", "West Midlands", "400", "392", "93.5%"],
    ["Ebbsworth", "Kent", "300", "290", "94.0%"],
    ["Total", "", "1,860", "1,790", "92.4%"],
], [34, 34, 28, 30, 26], total_row=True)
p("Each plant follows the same process. Refuse collection vehicles tip residual waste into an enclosed "
  "bunker, where cranes mix it to even out its calorific value. The waste is fed onto a moving grate and "
  "burned at temperatures above 850 degrees Celsius. Heat from the combustion gases raises high-pressure "
  "steam in a boiler, and the steam drives a turbine that generates electricity for export to the grid. "
  "Flue gases are cleaned with lime, activated carbon and fabric filters before release, and emissions are "
  "monitored continuously. The bottom ash left on the grate is processed into aggregate for road building, "
  "and metals recovered from it are sold for recycling.")
p("Brantmoor's availability of 86.2% was below the rest of the fleet because the plant was shut for six "
  "weeks in the second quarter for a planned turbine overhaul, the first since it opened in 2011. The work "
  "was completed on schedule and within its £11.4 million budget. At Calder Reach, the heat network we "
  "built with Calderside Metropolitan Council began supplying heat to 2,400 homes and a hospital in "
  "September, making it our first plant to sell heat as well as power.")
h2("5.2 Collection fleet and depots")
p("We operate 3,140 collection vehicles from 96 depots across England and Wales. Of these, 212 are fully "
  "electric, up from 118 a year earlier, so electric vehicles now make up 6.8% of the fleet. A further 640 "
  "diesel vehicles now run on hydrotreated vegetable oil. Our route planning system, Routewise, was rolled "
  "out to 61 depots during the year and cut the average distance driven per collection round by 7%.")
h2("5.3 Health and safety")
p("Safety is our first priority. The lost time injury frequency rate fell to 0.84 per 100,000 hours "
  "worked, from 1.02 in 2023, and there were no fatalities among employees or contractors. The improvement "
  "followed the fitting of 360-degree camera systems to every collection vehicle and a new training "
  "programme for reversing manoeuvres, which account for a large share of incidents in our industry.")

# ---------------------------------------------------------------- 6 Markets
h1("6. Markets")
h2("6.1 Market overview")
p("We estimate that the UK waste management market is worth around £14 billion a year. Growth tracks "
  "population, economic activity and, increasingly, regulation. Municipal collection is a tendered market "
  "with long contracts, while the commercial market is fragmented and competitive, with several thousand "
  "local operators alongside a handful of national groups. We estimate our share of municipal collections "
  "in England at around 9%.")
h2("6.2 Regulation")
p("Three regulatory changes shape our markets:")
bullets([
    "Simpler Recycling, which requires separate food waste collections from businesses from 2025 and from "
    "households from 2026",
    "Extended producer responsibility for packaging, under which producers will meet the cost of managing "
    "household packaging waste from 2025",
    "The inclusion of energy from waste in the UK Emissions Trading Scheme from 2028",
])
p("Together these changes should raise the value of sorted material and increase the demand for "
  "collections, while making carbon capture more valuable for energy from waste operators.")
h2("6.3 Recyclate prices")
p("Prices for recovered paper and card strengthened through the year as mills in Europe restocked. Glass "
  "prices were stable. Recycled plastics remained under pressure from low virgin polymer prices, and we "
  "expect little improvement until recycled content targets tighten. About 30% of our recyclate sales are "
  "made under contracts with floor prices, which limits our exposure to short-term swings.")

# ---------------------------------------------------------------- 7 Strategy
h1("7. Strategy")
h2("7.1 Our priorities to 2030")
p("Our strategy, Recover 2030, sets out four priorities:")
bullets([
    "Collect smarter: use data and route optimisation to lower the cost and carbon of every collection",
    "Recover more: raise the recycling rate to 55% by investing in sorting and reprocessing capacity",
    "Decarbonise: electrify the fleet and fit carbon capture to our energy from waste plants",
    "Grow energy from waste: build a sixth plant and extend heat networks from existing sites",
])
h2("7.2 Investment and capital allocation")
p("Capital expenditure rose to £148.5 million in 2024 (2023: £131.0 million), of which £96.5 million was "
  "maintenance spending and £52.0 million was growth investment, mainly electric vehicles, the Calder Reach "
  "heat network and new sorting lines. Our largest project is Tollgate Park, a sixth energy from waste plant "
  "in Essex with a capacity of 350,000 tonnes a year. It received planning consent in November 2024, "
  "construction will start in 2025 and the plant is expected to open in 2028 at a total cost of about "
  "£410 million. Our capital allocation order is unchanged: maintain the asset base safely, pay a "
  "progressive dividend, invest in growth projects that earn a post-tax return above 10%, and keep leverage "
  "within our target range.")

# ---------------------------------------------------------------- 8 Sustainability
h1("8. Sustainability")
h2("8.1 Climate and carbon")
p("Our scope 1 and 2 emissions fell to 2.00 million tonnes of CO2 equivalent, from 2.07 million tonnes in "
  "2023, and our carbon intensity fell 6.1% to 212 kg per tonne handled. Most of our emissions come from "
  "the fossil carbon in plastics that reach our energy from waste plants, so better recycling of plastics "
  "is the single biggest lever we have.")
p("At Sallowfield we are running a carbon capture pilot with the engineering firm Verdane Process "
  "Technologies. The pilot unit takes a slipstream of about 1% of the plant's flue gas and strips out "
  "carbon dioxide using an amine solvent. Since it started in June it has captured 1,150 tonnes of CO2 at a "
  "capture rate of 91%, and the captured gas is liquefied and sold to a nearby greenhouse grower. Because "
  "around half of the carbon in residual waste is biogenic, capture at full scale would make the plant a "
  "net remover of carbon dioxide from the atmosphere. The results will inform a decision in 2026 on a "
  "full-scale unit.")
h2("8.2 Targets for 2030")
p("We have set the following targets, measured against 2019 where a baseline applies:")
bullets([
    "A recycling rate of 55%",
    "A landfill diversion rate of 97%",
    "A 40% reduction in carbon intensity per tonne handled",
    "1,000 electric collection vehicles in the fleet",
    "A lost time injury frequency rate below 0.5",
])
h2("8.3 People and communities")
p("We employ 11,850 people, 23% of whom are women, and we paid at least the real living wage to all "
  "directly employed staff for the third year running. Our apprenticeship scheme took on 164 new "
  "apprentices, mainly as heavy goods vehicle drivers and plant technicians. The Stonemere Community Fund "
  "gave £1.2 million to 285 local projects near our sites, from wildlife habitats on restored landfill to "
  "school recycling programmes.")

# ---------------------------------------------------------------- 9 Financial review
h1("9. Financial Review")
h2("9.1 Income statement")
p("Revenue increased 5.7% to £1,251.9 million and underlying EBITDA rose 8.6% to £268.4 million, lifting "
  "the margin to 21.4%. Operating profit increased 9.9% to £141.2 million after depreciation and "
  "amortisation of £127.2 million. Net finance costs rose to £38.6 million from £35.9 million, mainly "
  "because the £250 million green bond issued in September carries a coupon of 5.375%, well above the "
  "2.75% on the bond it refinanced, and because average borrowings were higher through the year. Profit "
  "before tax was £102.6 million. The effective tax rate was 25.0%, and net profit rose 10.0% to £76.9 "
  "million. Basic earnings per share were 18.7 pence.")
h2("9.2 Cash flow and net debt")
p("Free cash flow, which we define as cash generated after maintenance capital expenditure, interest, tax "
  "and lease payments but before growth investment and dividends, rose 9.4% to £64.3 million. Net debt "
  "increased by £32.5 million to £742.0 million, as free cash flow was more than absorbed by growth "
  "capital expenditure of £52.0 million, dividends of £28.8 million and new vehicle leases of £16.0 "
  "million. Leverage fell to 2.8x underlying EBITDA from 2.9x.")
h2("9.3 Financing")
p("The green bond, which matures in 2034, is the Group's second green issue and its proceeds are "
  "earmarked for electric vehicles, sorting capacity and Tollgate Park. At the year end, 82% of our gross "
  "debt was at fixed rates, the average maturity was 6.1 years and the average cost of debt was 4.6%. We "
  "had £410 million of undrawn committed facilities.")
h2("9.4 Dividend")
p("The recommended final dividend of 5.0 pence per share will be paid on 20 May 2025 to shareholders on "
  "the register on 11 April 2025, subject to approval at the AGM.")

# ---------------------------------------------------------------- 10 Risks
h1("10. Principal Risks")
p("The Board reviews the Group's principal risks twice a year. The main risks, and how we manage them, "
  "are set out below.")
labelled([
    ("Regulatory change", "new rules on collections, packaging and carbon could change the value of our "
     "assets; we engage early with government and design contracts with change-in-law protection."),
    ("Commodity prices", "falls in recyclate or power prices reduce margins; we use floor-price contracts "
     "and sell power forward."),
    ("Plant availability", "unplanned outages at energy from waste plants cut income and raise costs; our "
     "reliability programme and planned maintenance reduce this risk."),
    ("Contract renewal", "losing large municipal contracts at retender would reduce volumes; we bid "
     "selectively and invest in service quality."),
    ("Health and safety", "our work involves heavy vehicles and hazardous processes; safety leadership and "
     "training are central to our culture."),
    ("Cyber security", "an attack could disrupt route planning, weighbridges or plant controls; we test our "
     "defences regularly and keep plant systems segregated."),
])

# ---------------------------------------------------------------- 11 Outlook
h1("11. Outlook")
p("We enter 2025 with good momentum. The new municipal contracts will contribute for a full year, "
  "Brantmoor is back at full availability and the Calder Reach heat network adds a new source of income. "
  "Lower power prices will hold back energy from waste revenue, but most of our 2025 output is already "
  "sold forward. We expect underlying EBITDA of £285 million to £295 million and capital expenditure of "
  "£190 million to £210 million, including the start of construction at Tollgate Park. Leverage is "
  "expected to stay within our range of 2.5x to 3.0x.")

# ---------------------------------------------------------------- 12 Summary
h1("12. Summary")
p("In summary, 2024 was a year of profitable growth for Stonemere. Revenue rose 5.7%, underlying EBITDA "
  "grew 8.6% and net profit increased 10.0%, driven above all by stronger performance in energy from "
  "waste. Our recycling rate reached 47.3%, carbon intensity fell 6.1% and leverage eased to 2.8x, giving "
  "us the capacity to fund Tollgate Park while raising the dividend. Stonemere is well placed to turn "
  "tighter environmental regulation into long-term growth.")


def on_page(canvas, doc):
    canvas.saveState()
    if doc.page > 1:
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(20 * mm, A4[1] - 12 * mm,
                          "Stonemere Environmental Services plc - Annual Report 2024")
        canvas.line(20 * mm, A4[1] - 14 * mm, A4[0] - 20 * mm, A4[1] - 14 * mm)
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, "Page %d" % doc.page)
    canvas.restoreState()


def main():
    doc = SimpleDocTemplate(OUT, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=22 * mm, bottomMargin=22 * mm,
                            title="Stonemere Environmental Services plc - Annual Report 2024",
                            author="Stonemere Environmental Services plc")
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
