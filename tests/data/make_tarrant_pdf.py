"""Make tests/data/reports/tarrant-signalling-2024.pdf (run once; the file is committed) and its plain-text copy
(in the system temp directory, for checking evidence strings against).

    pip install reportlab==4.2.5
    python tests/data/make_tarrant_pdf.py

A test report, kept unread until the round after it was written: an English analyst's annual review of a fictional railway-signalling group, as a PDF
with a large bold title, numbered headings ("1. Overview", "2.1 Mainline Signalling") in bold type larger than
the text, paragraphs wrapped over lines, bullets "•" (some labelled "Label: content"), lead-in sentences ending
with a colon, a small table drawn as aligned columns with a bold header row, page numbers, Helvetica fonts.

The .txt copy holds the same text from the same data: one line per heading, paragraph, bullet or table row
(table cells separated by a tab); wrapped lines are joined and the page-number footers are left out.
The questions are reports/tarrant_qa.jsonl.
"""

import tempfile
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
OUT_PDF = HERE / "reports" / "tarrant-signalling-2024.pdf"
OUT_TXT = Path(tempfile.gettempdir()) / "tarrant-signalling-2024.txt"

TITLE = "Tarrant Signalling Group plc - Annual Review 2024"
SUBTITLE = "Equity research note on the 2024 results, published March 2025"
TABLE_HEADER = ["Business line", "Revenue 2024", "Change", "Share of group"]

# (heading, sub-heading, paragraphs); a paragraph starting with "• " is a bullet, a list of cells a table row.
SECTIONS = [
    ("1. Overview", None, [
        "Tarrant Signalling Group designs, installs and maintains railway signalling and train-control systems "
        "for mainline railways, metros and tramways. The group was founded in 1987 in Derby, England, where its "
        "headquarters and main engineering centre remain, and its shares have traded on the London Stock "
        "Exchange since 2009. It employs about 4,300 people in the United Kingdom, Sweden, Norway and Australia, "
        "and its customers are mostly state-owned railway operators and infrastructure owners.",
        "2024 was a year of solid growth. Revenue increased by 9% to GBP 1.18 billion, while adjusted operating "
        "profit rose 13% to GBP 132 million, which lifted the adjusted operating margin from 10.8% to 11.2%. "
        "Orders received during the year reached GBP 1.46 billion, a book-to-bill ratio of 1.24, and the order "
        "book closed the year at a record GBP 3.9 billion, equal to roughly 3.3 years of revenue.",
        "The group has no operations in North America and does not bid for contracts there. Management has "
        "repeatedly said that the region's separate certification regime would require too much investment for "
        "the expected return, and we do not expect this stance to change.",
    ]),
    ("2. Business lines", None, [
        "Tarrant reports three business lines, which together serve around 40 railway operators and "
        "infrastructure owners:",
        "• Mainline Signalling: interlockings, ETCS (European Train Control System) equipment and digital "
        "signalling upgrades for national rail networks.",
        "• Urban Transit: communications-based train control (CBTC) for metros and signalling for tram systems.",
        "• Services: maintenance, spare parts, obsolescence management and round-the-clock technical support "
        "under long-term contracts.",
    ]),
    (None, "2.1 Mainline Signalling", [
        "Mainline Signalling remains the largest business line, with revenue of GBP 612 million, up 6%, or 52% "
        "of the group total. Growth came mainly from the Scandinavian digital signalling programmes. In Norway "
        "Tarrant supplies ETCS Level 2 trackside equipment for the eastern region of the national programme run "
        "by Bane NOR; it commissioned 410 km of line in 2024, bringing the cumulative total to 1,150 km. In "
        "Sweden the group completed the resignalling of the Malmo to Ystad line in October, four weeks ahead of "
        "schedule.",
        "Progress in Britain was slower. Network Rail postponed two interlocking renewals in the Midlands to the "
        "2025-26 financial year because of funding constraints in Control Period 7, which reduced the expected "
        "UK mainline revenue for 2024 by about GBP 25 million. The business line's profitability was also held "
        "back by cost overruns on a legacy fixed-price contract in Yorkshire, for which the group took a charge "
        "of GBP 9 million in the first half.",
    ]),
    (None, "2.2 Urban Transit", [
        "Urban Transit was the fastest-growing business line: revenue rose 16% to GBP 318 million. The group's "
        "CBTC system, sold under the name TSG Vector, now runs on 11 metro lines in six cities. Tram signalling "
        "contributed GBP 54 million of the total, including the extension of the Nottingham tram network.",
        "Three developments drove the increase:",
        "• Oslo: the CBTC upgrade of the Oslo Metro entered its main installation phase, and 96 trains were "
        "fitted with onboard equipment during the year.",
        "• Glasgow: the Subway modernisation reached its final stage, with the last section switched to "
        "automatic operation in November.",
        "• Perth: early design work started on the new Australian contract described in section 4.",
        "The Australian subsidiary opened a new engineering office in Brisbane in September and doubled its "
        "headcount to 380 people to prepare for the Perth programme.",
    ]),
    (None, "2.3 Services", [
        "Services revenue grew 8% to GBP 250 million. This business line earns the highest margins in the "
        "group, because most of its work is recurring and priced on long-term agreements: about 85% of services "
        "revenue comes from contracts lasting five years or more. At the end of 2024 Tarrant maintained "
        "signalling assets on roughly 7,800 km of track and supported 2,100 interlockings.",
        "A remote condition-monitoring platform, launched in 2023, is now installed on 3,400 points machines. It "
        "measures the motor current and movement time of each points machine, detects wear before a failure "
        "occurs and alerts the maintenance teams, who can then plan repairs outside traffic hours. On the "
        "monitored routes, train delays caused by signalling faults fell by 22% in its first full year of use.",
    ]),
    ("3. Financial performance", "3.1 Results", [
        "Revenue by business line was as follows:",
        TABLE_HEADER,
        ["Mainline Signalling", "GBP 612m", "+6%", "52%"],
        ["Urban Transit", "GBP 318m", "+16%", "27%"],
        ["Services", "GBP 250m", "+8%", "21%"],
        ["Group", "GBP 1,180m", "+9%", "100%"],
        "Gross margin improved by 1.1 percentage points to 27.4%, as a larger share of revenue came from Urban "
        "Transit software and from recurring services. Research and development spending amounted to GBP 71 "
        "million, equivalent to 6.0% of revenue. Net finance costs were GBP 14 million and the effective tax "
        "rate was 24%. Basic earnings per share were 38.6 pence, compared with 33.1 pence in 2023.",
    ]),
    (None, "3.2 Cash flow and balance sheet", [
        "Free cash flow was GBP 88 million, a cash conversion of 67% of adjusted operating profit. This was lower "
        "than the 81% achieved in 2023, because working capital rose on the large Scandinavian projects, where "
        "customers pay only when contractual milestones are reached.",
        "Net debt stood at GBP 146 million at 31 December 2024, or 0.8 times EBITDA, comfortably within the "
        "board's ceiling of 1.5 times. The board proposes a final dividend of 9.4 pence, which brings the "
        "full-year dividend to 14.0 pence, an increase of 12% on the previous year.",
    ]),
    ("4. Orders and order book", None, [
        "Orders received rose 21% to GBP 1.46 billion. The main awards of the year were:",
        "• Perth CBTC (Australia): GBP 410 million, signed in June, the largest single order in the company's "
        "history, covering the Airport and Midland lines, with installation planned from 2026 to 2031.",
        "• Norway eastern region, phase 3: GBP 265 million of ETCS trackside work for Bane NOR.",
        "• Network Rail services framework: a seven-year maintenance framework for the Wessex and Anglia routes, "
        "worth about GBP 180 million.",
        "• Gothenburg tram: GBP 48 million for a new depot and tram signalling system.",
        "About 60% of the order book is expected to turn into revenue within the next three years. No single "
        "contract accounts for more than 11% of the order book's total value.",
    ]),
    ("5. Technology and people", None, [
        "Development work is focused on the next generation of the group's products. In 2024 Tarrant released "
        "version 4 of its TSG Vector software, which adds automatic train operation up to Grade of Automation 4, "
        "meaning fully driverless running. The group also obtained type approval in Sweden for its Halo "
        "computer-based interlocking, a prerequisite for bidding in Trafikverket's national renewal programme, "
        "whose first packages are expected to be tendered in 2026. Every new interlocking is now certified to "
        "the IEC 62443 cyber-security standard.",
        "Headcount rose by 360 during the year. Engineering staff shortages remain a constraint: the group had "
        "210 unfilled engineering vacancies at the year end, mostly in the UK and Australia. To widen its talent "
        "pipeline, Tarrant took on 145 apprentices and graduates in 2024, its largest intake so far, and opened "
        "a signalling training academy in Derby in May. Voluntary staff turnover fell from 9.8% to 8.1%.",
        "Scope 1 and 2 emissions were cut by 18% compared with 2023, mainly because the UK and Swedish sites "
        "moved to renewable electricity tariffs.",
    ]),
    ("6. Principal risks", None, [
        "We see the following principal risks for the investment case:",
        "• Public funding: most customers are state-owned railways whose budgets depend on government spending "
        "reviews, and the UK postponements in Control Period 7 show how quickly work can be deferred.",
        "• Fixed-price contracts: about 45% of the order book is on fixed-price terms, so cost overruns such as "
        "the Yorkshire contract fall on the group.",
        "• Skills: a shortage of qualified signalling engineers could slow delivery and push up wages.",
        "• Technology transition: the move from conventional signalling to ETCS and CBTC favours larger rivals "
        "such as Siemens Mobility, Alstom and Hitachi Rail, which can spread research costs over bigger volumes.",
        "• Cyber-security: an attack on a signalling system could disrupt train services and cause serious "
        "reputational damage.",
        "The Perth contract also brings a concentration risk: in its peak years, 2027 to 2029, it is expected to "
        "account for about 12% of group revenue.",
    ]),
    ("7. Outlook", None, [
        "For 2025 management guides to revenue growth of 7% to 9% at constant currency and an adjusted operating "
        "margin of 11.5% to 12.0%. The medium-term target is a margin of 13% by 2028, to be reached through a "
        "larger services business, more software content and the completion of the loss-making legacy "
        "contracts. Capital expenditure is planned at about GBP 45 million in 2025, including a new test "
        "facility in Derby for ETCS equipment.",
        "We expect the second half of 2025 to be stronger than the first, as Perth design work gathers pace and "
        "the postponed UK interlocking renewals begin.",
    ]),
    ("8. Conclusion", None, [
        "Tarrant delivered a strong 2024: revenue and profit grew, the margin widened and orders reached a "
        "record, with Urban Transit now a second growth engine beside Mainline Signalling. The Perth award gives "
        "the group visibility well into the next decade and confirms its position in Australia. The main "
        "weaknesses are the lower cash conversion and the dependence on public budgets, especially in the UK. We "
        "believe the record order book and the growing base of recurring services revenue justify a positive "
        "view, provided the group keeps its large fixed-price projects under control.",
    ]),
]

FONT, BOLD = "Helvetica", "Helvetica-Bold"


def wrap(text, font, size, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if pdfmetrics.stringWidth(candidate, font, size) > width and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + [line] if line else lines


def text_lines():
    """The report's text, one line per title, heading, paragraph, bullet or table row."""
    out = [TITLE, SUBTITLE, ""]
    for title, sub, paragraphs in SECTIONS:
        if title:
            out += [title, ""]
        if sub:
            out += [sub, ""]
        for paragraph in paragraphs:
            if isinstance(paragraph, list):
                out.append("\t".join(paragraph))
            else:
                out.append(paragraph)
            out.append("")
    return out


def make_pdf(path):
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle(TITLE)
    width, height = A4
    margin = 64
    page = 1
    y = height - 80

    def footer():
        pdf.setFont(FONT, 9)
        pdf.drawCentredString(width / 2, 30, f"Page {page}")

    def new_page():
        nonlocal y, page
        footer()
        pdf.showPage()
        page += 1
        y = height - 80

    def draw(text, font, size, gap, indent=0, bullet=False):
        nonlocal y
        # A bullet is drawn with its first line; the following lines hang under the text, not the bullet.
        hang = pdfmetrics.stringWidth("•  ", font, size) if bullet else 0
        lines = wrap(text[2:] if bullet else text, font, size, width - 2 * margin - indent - hang)
        for i, line in enumerate(lines):
            if y < 70:
                new_page()
            pdf.setFont(font, size)
            if bullet and i == 0:
                pdf.drawString(margin + indent, y, "•  " + line)
            else:
                pdf.drawString(margin + indent + hang, y, line)
            y -= size * 1.5
        y -= gap

    def heading(text, size, gap):
        nonlocal y
        if y < 110:  # keep a heading with the text that follows it
            new_page()
        y -= 4
        pdf.setFont(BOLD, size)
        pdf.drawString(margin, y, text)
        y -= size * 1.5 + gap

    def row(cells, font):
        nonlocal y
        if y < 70:
            new_page()
        pdf.setFont(font, 10.5)
        for x, cell in zip((0, 150, 260, 340), cells):
            pdf.drawString(margin + 12 + x, y, cell)
        y -= 16

    draw(TITLE, BOLD, 19, 2)
    draw(SUBTITLE, FONT, 11, 14)
    for title, sub, paragraphs in SECTIONS:
        if title:
            heading(title, 14, 6)
        if sub:
            heading(sub, 12, 4)
        for n, paragraph in enumerate(paragraphs):
            if isinstance(paragraph, list):
                row(paragraph, BOLD if paragraph == TABLE_HEADER else FONT)
                if n + 1 < len(paragraphs) and not isinstance(paragraphs[n + 1], list):
                    y -= 8
            elif paragraph.startswith("• "):
                draw(paragraph, FONT, 11, 3, indent=10, bullet=True)
            else:
                draw(paragraph, FONT, 11, 7)
        y -= 4
    footer()
    pdf.save()


def main():
    make_pdf(OUT_PDF)
    OUT_TXT.write_text("\n".join(text_lines()).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {OUT_PDF.name} and {OUT_TXT.name}")


if __name__ == "__main__":
    main()
