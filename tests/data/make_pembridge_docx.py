#!/usr/bin/env python3
"""Write tests/data/reports/pembridge-2024.docx (a fictional veterinary group's annual report; run once, the file
is committed) and a plain-text dump of the same text in the system temp directory, for checking evidence strings
against: one line per paragraph, heading or list item, and one line per table row with tab-separated cells.

    pip install python-docx
    python tests/data/make_pembridge_docx.py

A test report, kept unread until the round after it was written; its questions are reports/pembridge_qa.jsonl.
"""
import tempfile
from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent
DOCX = HERE / "reports" / "pembridge-2024.docx"
TXT = Path(tempfile.gettempdir()) / "pembridge-2024.txt"

T, H1, H2, P, B, TABLE = "title", "h1", "h2", "p", "bullet", "table"

BLOCKS = [
    (T, "Pembridge Veterinary Group plc: Annual Report 2024"),
    (P, "Pembridge Veterinary Group plc operates a network of companion-animal veterinary practices, "
        "specialist referral hospitals and a subscription and online pharmacy business across Great Britain "
        "and the Republic of Ireland. This review covers the year ended 31 December 2024."),

    (H1, "Highlights"),
    (B, "Revenue: £412.6 million (2023: £368.9 million), an increase of 11.8%."),
    (B, "Like-for-like sales growth: 6.4% (2023: 7.9%)."),
    (B, "Underlying EBITDA: £78.3 million (2023: £69.1 million), a margin of 19.0% (2023: 18.7%)."),
    (B, "Clinics in the network at the year end: 318 (2023: 294)."),
    (B, "Pet health plan members: 486,000 (2023: 431,000)."),
    (B, "Total dividend for the year: 9.0 pence per share (2023: 8.1 pence)."),

    (H1, "Chairman's statement"),
    (P, "I am pleased to report another year of steady progress for Pembridge. Revenue grew by 11.8% to "
        "£412.6 million (2023: £368.9 million), helped both by the practices we acquired and by a healthy 6.4% "
        "like-for-like increase across the estate (2023: 7.9%), and underlying EBITDA rose to £78.3 million "
        "(2023: £69.1 million). Pet owners continued to prioritise the health of their animals despite pressure "
        "on household budgets, although we saw some customers defer non-urgent dental work and elective "
        "procedures in the spring."),
    (P, "Our focus remains entirely on companion animals: dogs, cats, rabbits and other small pets. We have not "
        "treated horses or farm animals since 2019, when we sold our two mixed practices in Herefordshire, and "
        "the board has no plans to re-enter those markets. During the year the Competition and Markets Authority "
        "continued its market investigation into veterinary services for household pets. We welcome scrutiny of "
        "the sector and, to make it easier for owners to compare costs, since July we have published the prices "
        "of our twenty most common treatments on every clinic's web page, together with a reminder that "
        "prescriptions can be dispensed by any pharmacy."),
    (P, "There were two changes to the board. Tom Adeyemi, who had served as senior independent director since "
        "our listing in 2016, retired at the annual general meeting in May, and Priya Nandakumar, formerly "
        "finance director of a FTSE 250 leisure group, succeeded him in that role. I would like to thank Tom for "
        "his counsel over eight years."),
    (P, "On behalf of the board, I thank our 7,900 colleagues for their care and professionalism. The board is "
        "recommending a final dividend of 6.2 pence per share, bringing the total for the year to 9.0 pence "
        "(2023: 8.1 pence)."),
    (P, "Helena Marsh, Chair"),

    (H1, "Strategy"),
    (P, "Our purpose is to give every pet access to excellent, affordable care close to home. Our strategy, "
        "unchanged since 2022, rests on three priorities:"),
    (B, "Build dense local clusters of primary care clinics around our referral hospitals."),
    (B, "Grow recurring revenue through the Pembridge Care Plan and our online pharmacy."),
    (B, "Be the employer of choice for vets and vet nurses in every community we serve."),
    (H2, "Clinic network"),
    (P, "We ended the year with 318 clinics (2023: 294). We bought 26 independent practices during 2024 "
        "(2023: 21) for a combined consideration of £58.2 million (2023: £44.7 million), equivalent to an "
        "average of 7.4 times their pre-acquisition EBITDA, and opened five new greenfield sites. Seven sites "
        "were closed or merged into larger clinics nearby, mainly where premises were too small to house modern "
        "diagnostic equipment or where leases came to an end. The network now includes 22 clinics in the "
        "Republic of Ireland (2023: 17)."),
    (P, "The cluster model works by grouping clinics within roughly 45 minutes' drive of one of our referral "
        "hospitals. Clinics in a cluster share out-of-hours cover, so that no individual practice has to staff "
        "its own night rota, send complex cases to the hospital for imaging or surgery, and are served by a daily "
        "courier that takes samples to our central laboratory. At the year end 14 clusters (2023: 12) were fully "
        "formed, and around 71% of our clinics sat within one."),
    (H2, "Digital and recurring revenue"),
    (P, "The Pembridge app, relaunched in March, lets owners book appointments, order repeat medicines and hold "
        "video consultations with a vet. The proportion of appointments booked online through the app or our "
        "websites rose to 41% (2023: 33%), which frees reception teams to spend more time with clients in the "
        "clinic."),
    (H2, "People"),
    (P, "Recruiting and keeping veterinary professionals is the single biggest constraint on growth in our "
        "industry. At the year end we employed 2,140 vets (2023: 1,980) and 2,610 registered veterinary nurses "
        "(2023: 2,450). The vet vacancy rate across the group fell to 6.8% from 9.1% a year earlier, and turnover "
        "among vets eased to 14.9% (2023: 17.3%)."),
    (P, "Several initiatives contributed to this improvement:"),
    (B, "First Paws graduate programme: 185 newly qualified vets joined (2023: 140), each with a named mentor "
        "for their first two years."),
    (B, "Flexible rotas: a four-day working week is now offered in 60% of clinics."),
    (B, "Professional development: every vet receives a funded allowance of £1,500 a year for continuing "
        "professional development."),

    (H1, "Segment review"),
    (P, "The group reports three segments. Their revenue and underlying EBITDA are set out in the financial "
        "review."),
    (H2, "Primary care clinics"),
    (P, "Primary care revenue increased by 10.8% to £301.4 million (2023: £272.0 million). Our clinics carried "
        "out 4.2 million consultations (2023: 4.1 million), and the average transaction value rose by 6.7% to "
        "£96 (2023: £90), reflecting price increases introduced in February, which took account of the 6% pay "
        "award to clinical staff that came into effect in April and of higher medicine costs. Demand for "
        "vaccinations, neutering and dentistry was resilient, although, as the Chair notes, some owners "
        "postponed elective treatment in the second quarter. Segment EBITDA rose to £62.5 million "
        "(2023: £56.0 million)."),
    (H2, "Referral hospitals"),
    (P, "Our ninth referral hospital opened in Leeds in September 2024. Built at a cost of £12.4 million, it has "
        "its own MRI and CT scanners, eight operating theatres and a 24-hour emergency and critical care unit, "
        "and it takes referrals from practices across Yorkshire. Referral revenue grew by 16.5% to £74.9 million "
        "(2023: £64.3 million), and around 38% of cases came from practices outside the Pembridge network "
        "(2023: 35%)."),
    (P, "Across the nine hospitals we offer the following specialist disciplines:"),
    (B, "Orthopaedic and soft-tissue surgery"),
    (B, "Oncology, including chemotherapy and radiotherapy"),
    (B, "Neurology and spinal surgery"),
    (B, "Cardiology and cardiac imaging"),
    (B, "Ophthalmology, including cataract surgery"),
    (B, "Internal medicine and endoscopy"),
    (H2, "Pembridge Direct"),
    (P, "Pembridge Direct combines the Pembridge Care Plan with our online pharmacy. Revenue was £36.3 million "
        "(2023: £32.6 million). Care Plan membership reached 486,000 pets at the year end (2023: 431,000), and "
        "annual churn improved to 8.2% (2023: 9.0%), helped by reminder messages sent through the app before "
        "each renewal."),
    (P, "Plans start at £13.50 a month for a cat and £16.75 for a dog and include:"),
    (B, "Annual vaccinations and boosters"),
    (B, "Flea, tick and worming treatment all year round"),
    (B, "Two health checks a year with a vet or nurse"),
    (B, "A 10% discount on all other treatment and food"),
    (P, "The online pharmacy dispatched 1.1 million orders (2023: 0.9 million) from its warehouse in "
        "Northampton."),

    (H1, "Financial review"),
    (H2, "Income statement"),
    (P, "Group revenue was £412.6 million (2023: £368.9 million), of which acquisitions made in 2023 and 2024 "
        "contributed £21.8 million. Gross margin eased to 46.8% (2023: 47.3%), as the 6% pay award to clinical "
        "staff and greater use of locum vets in the first half outweighed price increases. Underlying EBITDA "
        "rose by 13.3% to £78.3 million, giving a margin of 19.0% (2023: 18.7%), because central costs grew "
        "more slowly than revenue. Underlying operating profit was £51.2 million (2023: £45.0 million)."),
    (P, "Net finance costs increased to £10.9 million (2023: £8.1 million), reflecting higher average net debt "
        "following the acquisition programme and higher interest rates on the floating-rate portion of our "
        "borrowings. Exceptional items of £3.5 million (2023: £3.4 million) related to acquisition and "
        "integration costs. Profit before tax was £36.8 million (2023: £33.5 million). The effective tax rate "
        "was 25.6% and basic earnings per share rose to 27.4 pence (2023: 25.1 pence)."),
    (P, "Segment performance is summarised below (£ million)."),
    (TABLE, [
        ["Segment", "Revenue 2024", "Revenue 2023", "Underlying EBITDA 2024", "Underlying EBITDA 2023"],
        ["Primary care clinics", "301.4", "272.0", "62.5", "56.0"],
        ["Referral hospitals", "74.9", "64.3", "17.8", "14.9"],
        ["Pembridge Direct", "36.3", "32.6", "9.1", "8.4"],
        ["Central costs", "–", "–", "(11.1)", "(10.2)"],
        ["Group", "412.6", "368.9", "78.3", "69.1"],
    ]),
    (H2, "Cash flow and net debt"),
    (P, "Cash conversion from underlying EBITDA was 94% (2023: 91%). Capital expenditure rose to £31.5 million "
        "(2023: £26.8 million), including the £12.4 million spent on the Leeds hospital, and free cash flow was "
        "£39.7 million (2023: £35.2 million). Net debt, excluding lease liabilities, closed the year at "
        "£164.0 million (2023: £141.5 million), or 1.9 times underlying EBITDA on a pre-IFRS 16 basis "
        "(2023: 1.8 times). In October we extended our £250 million revolving credit facility to 2028; its "
        "leverage covenant is 3.0 times."),
    (H2, "Dividend"),
    (P, "The board recommends a final dividend of 6.2 pence per share, which, with the interim dividend of "
        "2.8 pence, makes a total of 9.0 pence for the year (2023: 8.1 pence), an increase of 11%. Subject to "
        "shareholder approval, the final dividend will be paid on 30 May 2025 to shareholders on the register on "
        "25 April 2025. We intend to keep the dividend covered about three times by earnings."),

    (H1, "Sustainability"),
    (P, "Renewable sources supplied 78% of the electricity used across our clinics and hospitals (2023: 64%), "
        "and scope 1 and 2 emissions fell by 9% even as the estate grew. We are phasing out desflurane, an "
        "anaesthetic gas with a high warming potential, and by December it was no longer used in any of our "
        "hospitals. Through our community programme we funded free neutering for 3,400 pets belonging to owners "
        "receiving income support."),

    (H1, "Principal risks"),
    (P, "The board reviews the principal risks twice a year. Those it regards as most significant are:"),
    (B, "Regulation: the Competition and Markets Authority investigation could lead to remedies on pricing, "
        "prescriptions or the disclosure of ownership that reduce revenue per visit."),
    (B, "Workforce: a shortage of vets and nurses would limit our ability to open clinics and could drive up "
        "pay and locum costs."),
    (B, "Acquisition integration: practices that are bought but poorly integrated may lose clients and key "
        "staff."),
    (B, "Clinical quality: a failure in clinical standards could harm animals and damage our reputation."),
    (B, "Information security: a cyber attack could disrupt the practice management system on which every "
        "clinic depends, particularly during its migration to a new cloud platform in 2025."),
    (P, "The board judges that the regulatory risk increased during the year, while the workforce risk reduced "
        "as vacancy rates fell."),

    (H1, "Outlook"),
    (P, "Trading in the first weeks of 2025 has been in line with our expectations. We plan to acquire between "
        "20 and 25 practices and to open six new greenfield clinics in 2025, and construction of our tenth "
        "referral hospital, in Bristol, will begin in the summer ahead of an opening in 2026. We expect "
        "like-for-like revenue growth of 4% to 6% and capital expenditure of about £35 million. Our ambition is "
        "to reach 600,000 Care Plan members by the end of 2026. While the outcome of the market investigation "
        "remains uncertain, the board is confident that Pembridge's focus on clinical quality and convenient "
        "local care leaves it well placed."),
]

STYLE = {T: "Title", H1: "Heading 1", H2: "Heading 2", P: "Normal", B: "List Bullet"}


def main():
    doc = Document()
    lines = []
    for kind, content in BLOCKS:
        if kind == TABLE:
            table = doc.add_table(rows=len(content), cols=len(content[0]))
            table.style = "Table Grid"
            for r, row in enumerate(content):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
                lines.append("\t".join(row))
        else:
            doc.add_paragraph(content, style=STYLE[kind])
            lines.append(content)
    doc.save(DOCX)
    TXT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {DOCX.name} and {TXT.name} ({len(TXT.read_text(encoding='utf-8'))} characters)")


if __name__ == "__main__":
    main()
