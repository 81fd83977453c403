"""Make tests/data/reports/marlow-2024.docx (run once; the file is committed).

    python tests/data/make_marlow_docx.py [output_path]

An English annual review of a fictional UK housebuilder, Marlow Homes: numbered sections in `Heading 1`
and `Heading 2`, `Normal` paragraphs, a segment table, `List Bullet` and `List Number` paragraphs, a
paragraph introducing a list with a colon, principal risks and an outlook. Written, with its questions
(marlow_qa.jsonl), by a writer who never saw the answerer; the answerer's results on it were read only
as summary figures until commit 6823c34. All companies, people and figures are invented.
"""
import os
import sys

from docx import Document
from docx.shared import Pt
from docx.enum.text import WD_ALIGN_PARAGRAPH

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "reports", "marlow-2024.docx")

doc = Document()
doc.core_properties.title = "Marlow Homes plc Annual Review 2024"
doc.core_properties.author = "Marlow Homes plc"

normal = doc.styles["Normal"]
normal.font.name = "Calibri"
normal.font.size = Pt(11)


def H1(text):
    doc.add_paragraph(text, style="Heading 1")


def H2(text):
    doc.add_paragraph(text, style="Heading 2")


def P(text):
    doc.add_paragraph(text, style="Normal")


def bullets(items):
    for it in items:
        doc.add_paragraph(it, style="List Bullet")


def numbered(items):
    for it in items:
        doc.add_paragraph(it, style="List Number")


# ---------------------------------------------------------------- cover
doc.add_paragraph("Marlow Homes plc", style="Title")
sub = doc.add_paragraph("Annual Review 2024", style="Subtitle")
P("Marlow Homes plc builds new homes across southern England and the Midlands. "
  "Our head office is in High Wycombe, Buckinghamshire, and we operate through "
  "nine regional businesses. This review covers the year ended 31 December 2024.")

# ---------------------------------------------------------------- 1 Chair
H1("1 Chair's statement")
P("2024 was a year in which the housing market tested every part of our business. "
  "Mortgage rates stayed well above the levels our customers had become used to for "
  "much of the first half, and reservations only began to recover in the autumn. "
  "Against that background, Marlow Homes delivered 4,215 new homes, a profit before "
  "tax of £141.2 million and a year-end net cash position of £212.4 million. I am "
  "grateful to our 2,380 colleagues and to the many subcontractors who work on our "
  "sites for the commitment they showed throughout the year.")
P("The Board is recommending a final dividend of 8.9p per share, which, together with "
  "the interim dividend of 4.8p paid in October, brings the total for the year to "
  "13.7p (2023: 19.7p). This is in line with our policy of paying an ordinary dividend "
  "covered around 2.3 times by earnings, and it reflects the lower level of profit "
  "rather than any change in our confidence in the business.")
P("There were two changes to the executive team during the year. Priya Raman joined "
  "the Board as Chief Financial Officer in April 2024, succeeding Martin Hale, who "
  "retired after nine years with the company. David Okafor completed his third full "
  "year as Chief Executive, and I would like to thank him and his team for the calm "
  "and decisive way in which they steered the business through a difficult market.")
P("Safety remains our first priority. Our accident frequency rate, measured as "
  "reportable injuries per 100,000 hours worked, improved to 0.14 (2023: 0.19), and "
  "we introduced a new site induction programme that every worker on our sites must "
  "complete before starting work. — Eleanor Whitcombe, Chair")

# ---------------------------------------------------------------- 2 Strategy
H1("2 Strategic review")
P("Our strategy is unchanged. We aim to build high-quality homes in places where people "
  "want to live, to buy land with discipline and to turn it into cash efficiently. "
  "Our strategy rests on four priorities:")
bullets([
    "Disciplined land investment, with every new site required to meet a minimum gross "
    "margin hurdle of 22% at current prices",
    "Build quality and customer service that earn repeat recommendations",
    "Modern methods of construction that reduce our reliance on scarce site labour",
    "Capital discipline, with surplus cash returned to shareholders through dividends",
])

H2("2.1 Market conditions")
P("The first half of 2024 was difficult. With average two-year fixed mortgage rates "
  "above 5.5% for much of the period, first-time buyers in particular delayed their "
  "purchases, and the absence of any Government-backed equity loan scheme continued to "
  "weigh on demand at lower price points. Conditions improved in the second half as "
  "lenders cut rates. Private net reservations per outlet per week averaged 0.48 in "
  "the first half and 0.67 in the second, giving 0.58 for the year (2023: 0.52).")
P("Completions fell by 9.0% to 4,215 homes. The decline reflected two factors. First, "
  "we operated from fewer sales outlets, an average of 92 compared with 98 in 2023, "
  "because delays in the planning system held back the opening of new sites. Second, "
  "we entered the year with a smaller forward order book following weak reservations "
  "in the second half of 2023.")
P("We responded to these conditions in three ways:")
bullets([
    "We used incentives selectively, mainly contributions to deposits and mortgage "
    "costs, rather than cutting headline prices",
    "We slowed construction on sites where sales were weakest, keeping work in progress "
    "in line with demand",
    "We reduced overheads by closing our smallest regional office, at Basingstoke, and "
    "merging its sites into our Thames Valley business",
])

H2("2.2 Land and planning")
P("At 31 December 2024 we owned or controlled 29,800 plots (2023: 31,200), equivalent "
  "to around seven years of supply at current volumes. Of these, 41% were sourced "
  "through our strategic land business, which promotes land through the planning "
  "system over several years and typically delivers a higher margin than land bought "
  "with planning consent already in place.")
P("We approved the purchase of 2,950 plots across 14 sites during the year, a "
  "deliberately lower level of investment than in 2023. Each site had to meet our "
  "minimum gross margin hurdle of 22% at current selling prices and build costs, "
  "without assuming any future house price growth. Where possible we agreed deferred "
  "payment terms with landowners, which helps to protect our cash position.")
P("Our newest region, the West Midlands, opened its first four sales outlets in 2024 "
  "and is building a strong land pipeline around Worcester and Stratford-upon-Avon.")
P("The planning environment remains slow. At the year end, 11 of our sites with a "
  "combined 2,100 plots were awaiting a decision, some of them for more than a year. "
  "We welcome the Government's commitment to planning reform and its higher housing "
  "targets, although we expect the benefits to take time to come through.")

H2("2.3 Build and operations")
P("In May 2024 we opened our own timber frame factory at Didcot, Oxfordshire, which we "
  "designed and built ourselves on land we already owned, at a cost of £24.0 million. "
  "The factory can produce 1,500 timber frame kits a year, and in its first eight "
  "months it supplied frames for 610 homes, around 14% of our completions.")
P("We invested in the factory for two main reasons. First, timber frame construction "
  "needs far fewer bricklayers and other skilled site trades, which reduces our "
  "exposure to labour shortages. Second, factory-built frames give better airtightness "
  "and thermal performance, helping us to prepare for the Future Homes Standard. A "
  "timber frame home also reaches the watertight stage around five weeks sooner than "
  "a traditional masonry home, so we can release cash from each site more quickly.")
P("Build cost inflation eased to around 2% in 2024, from 7% in 2023. Materials prices "
  "were broadly flat, but labour rates continued to rise, particularly for groundworks "
  "and brickwork. Our central procurement team renegotiated national supply agreements "
  "for bricks, roof tiles and kitchens, which together account for around a fifth of "
  "our materials spend.")

H2("2.4 Customers")
P("We retained our five-star rating in the Home Builders Federation's national new "
  "homes survey for the fourth consecutive year, with 92% of customers saying they "
  "would recommend Marlow to a friend. The average number of reportable defects per "
  "home at handover fell to 1.8 (2023: 2.4), helped by an additional pre-handover "
  "inspection carried out by a quality manager who is independent of the site team.")

# ---------------------------------------------------------------- 3 Finance
H1("3 Financial review")
H2("3.1 Group results")
P("Group revenue fell by 6.2% to £1,482.6 million (2023: £1,581.3 million). Housing "
  "revenue, which excludes land sales, was £1,424.7 million. The average selling price "
  "across all completions rose by 2.7% to £338,000 (2023: £329,000), reflecting a "
  "shift towards larger family homes and modest price increases on private homes.")
P("Adjusted operating profit was £163.8 million (2023: £214.6 million), giving an "
  "operating margin of 11.0% (2023: 13.6%). The fall in margin was caused mainly by "
  "lower volumes, which spread our fixed overheads across fewer homes, by build cost "
  "inflation that we could not fully recover through selling prices, and by a higher "
  "level of sales incentives, which averaged 4.5% of the private selling price "
  "(2023: 3.1%).")
P("We recognised an exceptional charge of £18.5 million for building safety "
  "remediation, relating to four apartment buildings completed between 2009 and 2016 "
  "that we have committed to repair under the Government's developer remediation "
  "contract. After net finance costs of £4.1 million, profit before tax was £141.2 "
  "million (2023: £201.9 million), and basic earnings per share were 31.4p "
  "(2023: 45.2p).")

H2("3.2 Segment performance")
P("We report three operating segments. Their performance in 2024 is summarised below.")
rows = [
    ("Segment", "Completions 2024", "Revenue 2024 (£m)", "Revenue 2023 (£m)",
     "Change", "Operating profit 2024 (£m)"),
    ("Private housing", "3,120", "1,151.0", "1,279.9", "-10.1%", "152.4"),
    ("Affordable & Partnerships", "1,095", "273.7", "243.3", "+12.5%", "24.6"),
    ("Land & other", "–", "57.9", "58.1", "-0.3%", "9.1"),
    ("Central costs", "–", "–", "–", "–", "(22.3)"),
    ("Group", "4,215", "1,482.6", "1,581.3", "-6.2%", "163.8"),
]
table = doc.add_table(rows=len(rows), cols=len(rows[0]))
table.style = "Table Grid"
for r, row in enumerate(rows):
    for c, val in enumerate(row):
        cell = table.cell(r, c)
        cell.text = val
        if r == 0:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        if c > 0:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
P("Private housing revenue fell by 10.1% as completions dropped from 3,560 to 3,120. "
  "Affordable & Partnerships revenue grew by 12.5%, reflecting the delivery of two "
  "large mixed-tenure schemes at Aylesbury and Swindon with housing association "
  "partners and the first completions under our framework agreement with Vale Housing "
  "Group. Land & other revenue, which comes mainly from selling serviced land parcels "
  "to other builders, was broadly flat at £57.9 million.")

H2("3.3 Balance sheet and cash")
P("Net cash at 31 December 2024 was £212.4 million (2023: £268.0 million). The "
  "reduction reflects dividend payments of £63.2 million, continued land payments and "
  "the £24.0 million investment in the Didcot factory. Land creditors, which are "
  "amounts owed to landowners under deferred payment terms, stood at £186.5 million. "
  "We have a £300 million revolving credit facility, which runs to 2028 and was "
  "undrawn at the year end.")
P("Work in progress fell by £41.2 million as we matched the pace of construction to "
  "sales, while our investment in land was broadly unchanged. We expect to end 2025 "
  "with net cash of a similar level to 2024.")

H2("3.4 Dividend")
P("Subject to shareholder approval at the Annual General Meeting, the final dividend "
  "of 8.9p will be paid on 23 May 2025 to shareholders on the register on "
  "25 April 2025.")

# ---------------------------------------------------------------- 4 Sustainability
H1("4 Sustainability")
P("We want the homes we build to be cheaper to run and kinder to the environment. "
  "Our main sustainability targets are:")
bullets([
    "Reduce our Scope 1 and 2 emissions by 50% by 2030 against a 2019 baseline",
    "Cut the operational carbon emissions of the homes we sell by 75% per square metre "
    "by 2030",
    "Divert at least 97% of construction waste from landfill every year",
    "Deliver at least 10% biodiversity net gain on all new sites",
])
P("In 2024 we cut Scope 1 and 2 emissions by 31% against the 2019 baseline, mainly by "
  "switching site generators to hydrotreated vegetable oil and connecting more sites "
  "to the grid early. We diverted 96.4% of construction waste from landfill, slightly "
  "below our target because of contaminated material found at a brownfield site in "
  "Swindon. All homes completed in 2024 had an energy performance rating of B or above, "
  "and 38% were fitted with air source heat pumps.")

# ---------------------------------------------------------------- 5 Risks
H1("5 Principal risks")
P("The Board regularly reviews the principal risks that could threaten our business "
  "model, performance or solvency. The most significant are:")
numbered([
    "Housing market and mortgage affordability: higher interest rates or weaker "
    "consumer confidence could reduce reservations and selling prices",
    "Planning and regulation: delays in obtaining planning consent and changes in "
    "building regulations could slow the opening of new outlets",
    "Build costs and supply chain: rising labour and materials costs may not be "
    "recoverable through selling prices",
    "Labour and skills: shortages of skilled site trades could delay build programmes",
    "Building safety: further legacy defects may be identified, requiring additional "
    "provisions",
    "Climate change: more extreme weather and the move to low-carbon homes could "
    "increase costs and disrupt sites",
])
P("The Board considers that the risk of reduced mortgage affordability increased "
  "during 2024, while the risk from build cost inflation decreased.")

# ---------------------------------------------------------------- 6 Outlook
H1("6 Outlook")
P("Trading since the start of 2025 has been encouraging. Private net reservations per "
  "outlet per week have averaged 0.71 in the first eight weeks of the year, and at "
  "28 February 2025 our forward order book stood at £812 million, equivalent to 2,540 "
  "homes (1 March 2024: £704 million).")
P("We continue to expect 2025 completions of between 4,300 and 4,500 homes, unchanged "
  "from the guidance we gave in our January trading update, with average sales outlets "
  "increasing to around 96. We expect build cost inflation to remain at around 2% to "
  "3%, and the Didcot factory to supply frames for around 1,200 homes.")
P("The market has not yet returned to normal and affordability remains stretched, so "
  "we remain cautious. But with a strong land bank, a net cash balance sheet and a new "
  "factory that gives us a lasting cost and quality advantage, Marlow is well placed to "
  "grow volumes again in 2025 and to benefit fully when mortgage conditions improve.")

doc.save(OUT)
print("wrote", OUT)
