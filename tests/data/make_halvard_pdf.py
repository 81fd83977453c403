#!/usr/bin/env python3
"""Make tests/data/reports/halvard-2024.pdf (run once, the file is committed) and a plain-text copy in the system
temp directory, for checking evidence strings against.

    python3 tests/data/make_halvard_pdf.py

A fictional English equity research note (initiation of coverage) on Halvard Instruments plc (semiconductor test
equipment). All companies, people and figures are fictional. A test report, kept unread until the round after it
was written; its questions are reports/halvard_qa.jsonl. The text copy has one line per heading, paragraph, bullet
or table row (cells separated by a tab), without the running header and footer.
"""
import os
import tempfile
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle, KeepTogether)

HERE = os.path.dirname(os.path.abspath(__file__))
PDF_PATH = os.path.join(HERE, "reports", "halvard-2024.pdf")
TXT_PATH = os.path.join(tempfile.gettempdir(), "halvard-2024.txt")

BROKER = "Marlowe Cairns & Co."
RUNNING_HEADER = "Marlowe Cairns & Co. | Halvard Instruments plc | Initiation of coverage | 14 March 2025"

# ---------------------------------------------------------------------------
# Content model: list of blocks
#   ("title", text) ("subtitle", text) ("kv", [(k, v), ...])
#   ("h1", text) ("h2", text) ("p", text)
#   ("bullet", label, text)   -> "• Label: text"
#   ("num", marker, label, text) -> "1) Label: text"
#   ("table", caption, header_row, rows, source)
# ---------------------------------------------------------------------------
CONTENT = [
    ("title", "Halvard Instruments plc"),
    ("subtitle", "Initiation of coverage: precision tools for a packaging-led upcycle"),
    ("kv", [
        ("Broker", "Marlowe Cairns & Co. Equity Research"),
        ("Date", "14 March 2025"),
        ("Rating", "Buy (initiation)"),
        ("Target price", "1,480p"),
        ("Share price", "1,162p (close, 12 March 2025)"),
        ("Implied upside", "27%"),
        ("Ticker / market cap", "HLVD LN / £813m"),
        ("Analysts", "Eleanor Vance, Rahul Mehta"),
    ]),

    ("h1", "1. Investment thesis"),
    ("p", "We initiate coverage of Halvard Instruments plc (Halvard) with a Buy rating and a "
          "12-month target price of 1,480p, implying 27% upside from the current 1,162p. Halvard "
          "designs and builds probe stations and wafer inspection systems used by chipmakers, "
          "foundries and outsourced assembly and test (OSAT) houses, and earns a growing annuity "
          "from service contracts on its installed base. FY2024 was a year of solid delivery: "
          "revenue rose 12.4% to £356.0m, the adjusted EBIT margin widened by 130bps to 17.8% and "
          "adjusted EPS grew 22.2% to 70.4p."),
    ("h2", "1.1 Four reasons to own the shares"),
    ("p", "Our positive stance rests on four pillars:"),
    ("bullet", "Inspection is the growth engine",
     "Wafer Inspection revenue grew 16.7% in FY2024 and we forecast a 13.1% CAGR to FY2026, "
     "led by the Lumen X7 dark-field platform."),
    ("bullet", "Service annuity",
     "Service & Contracts made up 22.6% of group revenue in FY2024, with a contract renewal "
     "rate of 93% across an installed base of more than 4,100 tools."),
    ("bullet", "Margin runway",
     "management targets an adjusted EBIT margin of 20% by FY2027, helped by mix, pricing and "
     "the lower-cost Penang plant."),
    ("bullet", "Undemanding valuation",
     "the shares trade on 14.6x FY2025E P/E, a 25% discount to the peer average of 19.4x, "
     "despite net cash of £84.7m."),
    ("h2", "1.2 Where we differ from consensus"),
    ("p", "Our FY2025E adjusted EPS of 79.7p sits 4% above the company-compiled consensus of 76.6p. "
          "We believe the market underestimates three things: the pace of advanced-packaging "
          "adoption, the resilience of service revenue through the cycle, and the operating "
          "leverage from the Penang facility, which began volume shipments in Q3 2024. We also "
          "think investors still apply a small-cap discount that looks out of step with "
          "Halvard's scale and balance sheet."),

    ("h1", "2. Company overview"),
    ("p", "Founded in Cambridge, UK, in 1987 as a spin-out from a university physics laboratory, "
          "Halvard listed on the London Stock Exchange in 2006. It makes tools at two sites, "
          "Cambridge and Penang in Malaysia, and runs service hubs in Hsinchu, Pyeongtaek and "
          "Austin. By destination, Taiwan accounted for 34% of FY2024 revenue, the US 21%, "
          "South Korea 18%, China 14% and Europe and the rest of the world 13%."),
    ("h2", "2.1 Business segments"),
    ("p", "Halvard reports three divisions:"),
    ("bullet", "Probe Systems",
     "semi-automated and fully automated probe stations, sold under the Meridian brand, used to "
     "test die electrically at wafer level; FY2024 revenue of £163.2m (+9.8%)."),
    ("bullet", "Wafer Inspection",
     "optical defect inspection and metrology tools built on the Lumen platform, including the "
     "Lumen X7 launched in H1 2024; FY2024 revenue of £112.5m (+16.7%)."),
    ("bullet", "Service & Contracts",
     "multi-year HalvardCare service agreements, spare parts, upgrades and refurbishment; "
     "FY2024 revenue of £80.3m (+11.8%)."),
    ("p", "Roughly 60% of Probe Systems revenue comes from R&D and advanced packaging lines, "
          "where tool configurations change often; the remainder comes from production test at "
          "OSATs. Service & Contracts revenue has grown in every year since 2015."),
    ("h2", "2.2 Management and board"),
    ("p", "Dr Ingrid Solberg has been Chief Executive Officer since 2019; she previously ran the "
          "metrology business of a large US equipment maker and holds a doctorate in applied "
          "optics. Marcus Aldane joined as Chief Financial Officer in 2022 from an industrial "
          "engineering group, and has sharpened working-capital discipline. Rosalind Pryce is "
          "the non-executive Chair of the board. Tomasz Wierzbicki, President of the Wafer "
          "Inspection division, led the development of the Lumen X7. We view the team as "
          "credible: the group has met or beaten its initial revenue guidance in each of the "
          "last four years."),

    ("h1", "3. Markets and competitive position"),
    ("h2", "3.1 Demand drivers"),
    ("p", "Halvard addresses a served market we estimate at about $4.8bn in 2024, growing at a "
          "mid-to-high single-digit rate. We see three structural drivers of demand for its "
          "tools over 2025–2026:"),
    ("num", "1)", "Advanced packaging",
     "chiplet architectures and 2.5D/3D integration multiply the number of test and "
     "inspection steps per wafer, particularly for hybrid bonding."),
    ("num", "2)", "High-bandwidth memory",
     "HBM stacks need known-good-die testing before assembly, which lifts demand for "
     "high-precision probe stations at memory makers in South Korea."),
    ("num", "3)", "Regional fab build-outs",
     "new capacity in the US, Europe and Japan, supported by government subsidy schemes, "
     "requires fresh installed bases of inspection and test equipment."),
    ("p", "Against this, trailing-edge and automotive customers remain cautious, and we expect "
          "orders from these end markets to stay subdued until H2 2025."),
    ("h2", "3.2 Competitive landscape"),
    ("p", "Halvard competes with larger diversified process-control vendors and with specialist "
          "probe-station makers, chiefly Veritect Systems, Kessler Probe AG and Tanaka Metrology. "
          "We estimate Halvard holds around 11% of the probe-station market and 4% of the broader "
          "wafer inspection market. Its edge lies in thermal stability, low-noise measurement "
          "and rapid customisation, which matter most in R&D fabs and advanced packaging lines. "
          "R&D spend was £31.3m in FY2024, or 8.8% of revenue."),

    ("h1", "4. FY2024 results review"),
    ("h2", "4.1 Revenue and orders"),
    ("p", "Group revenue rose 12.4% to £356.0m (FY2023: £316.8m), or 13.6% at constant currency. "
          "Trading was second-half weighted, with H1 revenue of £164.8m and H2 revenue of "
          "£191.2m. Order intake reached £375.9m, a book-to-bill of 1.06x, and Q4 2024 orders of "
          "£108.2m were a quarterly record. The closing order book stood at £241.6m, up 9.0% "
          "year on year, giving good cover for FY2025."),
    ("p", "Wafer Inspection was the standout, helped by Lumen X7 orders from two Taiwanese "
          "foundries, while Probe Systems growth of 9.8% was held back by weaker demand from "
          "automotive and power-semiconductor customers in H1 2024."),
    ("h2", "4.2 Margins and cash flow"),
    ("p", "Gross margin improved by 110bps to 46.2%, reflecting a richer mix of inspection tools, "
          "price increases of around 3% and lower freight costs. Adjusted EBIT grew 21.2% to "
          "£63.4m, a margin of 17.8% (FY2023: 16.5%). The margin was 16.1% in H1 and 19.3% in "
          "H2 as volumes and Penang efficiencies came through."),
    ("p", "Cash conversion was weaker. Free cash flow fell to £26.7m (FY2023: £34.0m) because "
          "the group built inventory ahead of the Lumen X7 ramp and spent £14.6m on capex, much "
          "of it on the Penang expansion. After £13.2m of dividends, net cash rose by £13.5m to "
          "£84.7m. The board proposed a final dividend that takes the FY2024 total to 20.5p, "
          "up 13.9%."),

    ("h1", "5. Outlook and forecasts"),
    ("h2", "5.1 Company guidance"),
    ("p", "For FY2025 management guides to high single-digit revenue growth at constant currency "
          "and an adjusted EBIT margin of at least 18%, with a second-half weighting similar to "
          "FY2024. At a Capital Markets Day in November 2024, Dr Solberg set a medium-term "
          "target of a 20% adjusted EBIT margin by FY2027 and revenue of £450m to £500m."),
    ("p", "Commentary on current trading was upbeat: orders in January and February 2025 were "
          "ahead of the prior year, and the company expects the Lumen X7 to account for roughly "
          "half of Wafer Inspection shipments by H2 2025. Dr Solberg also noted that lead times "
          "for the Meridian 300 probe station have lengthened to about 20 weeks."),
    ("h2", "5.2 Our estimates"),
    ("p", "Our key forecast assumptions are as follows:"),
    ("bullet", "Revenue",
     "group revenue of £387.0m in FY2025E (+8.7%) and £428.0m in FY2026E (+10.6%), with Wafer "
     "Inspection growing fastest."),
    ("bullet", "Margins",
     "an adjusted EBIT margin of 18.5% in FY2025E and 19.2% in FY2026E, as Penang reaches full "
     "utilisation."),
    ("bullet", "Tax and interest",
     "an effective tax rate of 25% and net interest income of £2.8m in FY2025E."),
    ("bullet", "Currency",
     "a USD/GBP rate of 1.27 throughout the forecast period."),
    ("table",
     "Table 1: Halvard Instruments – key financials and Marlowe Cairns estimates "
     "(£m unless stated; years to 31 December)",
     ["Year", "FY2023", "FY2024", "FY2025E", "FY2026E"],
     [
         ["Probe Systems", "148.6", "163.2", "171.4", "186.8"],
         ["Wafer Inspection", "96.4", "112.5", "127.0", "143.9"],
         ["Service & Contracts", "71.8", "80.3", "88.6", "97.3"],
         ["Group revenue", "316.8", "356.0", "387.0", "428.0"],
         ["Revenue growth (%)", "6.9", "12.4", "8.7", "10.6"],
         ["Adjusted EBIT", "52.3", "63.4", "71.6", "82.2"],
         ["Adjusted EBIT margin (%)", "16.5", "17.8", "18.5", "19.2"],
         ["Adjusted EPS (p)", "57.6", "70.4", "79.7", "91.7"],
         ["Dividend per share (p)", "18.0", "20.5", "23.0", "26.5"],
         ["Net cash", "71.2", "84.7", "103.5", "126.8"],
         ["P/E at 1,162p (x)", "20.2", "16.5", "14.6", "12.7"],
     ],
     "Source: company reports, Marlowe Cairns estimates"),
    ("p", "Our forecasts exclude any M&A. The balance sheet could support bolt-on deals, but "
          "management has not announced any and we do not assume buybacks."),
    ("h2", "5.3 Catalysts"),
    ("p", "Near-term catalysts include the AGM trading update in May 2025, the H1 2025 results "
          "in early August and any Lumen X7 orders from memory makers, which would broaden the "
          "platform beyond its foundry base."),

    ("h1", "6. Valuation"),
    ("h2", "6.1 Peer comparison"),
    ("p", "We compare Halvard with listed process-control and test-equipment companies, namely "
          "Veritect Systems, Norrland Optics, Kessler Probe AG and Tanaka Metrology. The peer "
          "average trades on 19.4x FY2025E P/E and 14.8x FY2025E EV/EBIT, against Halvard's "
          "14.6x and 10.2x respectively. Part of the gap reflects Halvard's smaller scale and "
          "lower liquidity, but we think a 25% discount is too wide given its comparable growth "
          "and net cash position."),
    ("p", "On our estimates, adjusted EPS grows at a 14.1% CAGR over FY2024–2026E, compared "
          "with around 12% for the peer group, which in our view argues for at least a peer "
          "multiple over time."),
    ("h2", "6.2 Target price derivation"),
    ("p", "Our 1,480p target price is a 50/50 blend of two methods:"),
    ("bullet", "Multiples",
     "16x FY2026E adjusted EPS of 91.7p, in line with Halvard's five-year average forward P/E, "
     "gives 1,467p."),
    ("bullet", "DCF",
     "a discounted cash flow with a WACC of 9.0% and terminal growth of 2.5% gives 1,490p."),
    ("p", "The average of the two, 1,478.5p, rounds to our target of 1,480p. At that price the "
          "shares would trade on 18.6x FY2025E P/E, still below the peer average."),

    ("h1", "7. Key risks"),
    ("p", "The main risks to our rating and target price are:"),
    ("bullet", "Customer concentration",
     "the three largest customers accounted for 41% of FY2024 revenue, so the loss or delay of "
     "a single large order could move annual revenue by several percentage points."),
    ("bullet", "Export controls",
     "China was 14% of FY2024 revenue; tighter US, UK or Dutch restrictions on tool sales could "
     "cut this further."),
    ("bullet", "Cyclicality",
     "a sharper downturn in memory or logic capex would hit new-tool orders, although service "
     "revenue would cushion earnings."),
    ("bullet", "Currency",
     "around 85% of revenue is in US dollars while much of the cost base is in sterling; we "
     "estimate a 5% move in USD/GBP changes adjusted EBIT by about £4.1m."),
    ("bullet", "Execution",
     "delays in the Lumen X7 ramp or in Penang yields would put the FY2027 margin target at risk."),

    ("h1", "8. Analyst certification and disclosures"),
    ("p", "Eleanor Vance (Lead Analyst, Semiconductor Equipment) and Rahul Mehta (Associate) "
          "certify that the views in this report accurately reflect their personal opinions. "
          "Marlowe Cairns & Co. has not received investment banking fees from Halvard "
          "Instruments plc in the past 12 months. Buy means an expected total return above 15% "
          "over 12 months, Hold means 0% to 15% and Sell means below 0%. Prices are as of the "
          "market close on 12 March 2025."),
]

# ---------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=9.5, leading=13.2,
                      spaceAfter=5)
TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=24,
                       spaceAfter=2, textColor=colors.HexColor("#13294B"))
SUBTITLE = ParagraphStyle("subtitle", fontName="Helvetica-Oblique", fontSize=11.5,
                          leading=15, spaceAfter=8, textColor=colors.HexColor("#333333"))
H1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=13.5, leading=17,
                    spaceBefore=10, spaceAfter=4, textColor=colors.HexColor("#13294B"))
H2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=11, leading=14,
                    spaceBefore=6, spaceAfter=3, textColor=colors.HexColor("#13294B"))
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=14, bulletIndent=3,
                        spaceAfter=3)
CAPTION = ParagraphStyle("caption", fontName="Helvetica-Bold", fontSize=9, leading=12,
                         spaceBefore=6, spaceAfter=3)
SOURCE = ParagraphStyle("source", fontName="Helvetica-Oblique", fontSize=8, leading=10,
                        spaceBefore=2, spaceAfter=6)
CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=8.5, leading=10.5)
KV_KEY = ParagraphStyle("kvk", fontName="Helvetica-Bold", fontSize=9, leading=11)
KV_VAL = ParagraphStyle("kvv", fontName="Helvetica", fontSize=9, leading=11)


def esc(s):
    return escape(s)


def build_flowables():
    flow = []
    txt = []
    for block in CONTENT:
        kind = block[0]
        if kind == "title":
            flow.append(Paragraph(esc(block[1]), TITLE))
            txt.append(block[1])
        elif kind == "subtitle":
            flow.append(Paragraph(esc(block[1]), SUBTITLE))
            txt.append(block[1])
        elif kind == "kv":
            rows = [[Paragraph(esc(k), KV_KEY), Paragraph(esc(v), KV_VAL)]
                    for k, v in block[1]]
            t = Table(rows, colWidths=[42 * mm, 80 * mm], hAlign="LEFT")
            t.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#E8EDF5")),
                ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#13294B")),
                ("INNERGRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#9AA8C0")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]))
            flow.append(t)
            flow.append(Spacer(1, 6))
            for k, v in block[1]:
                txt.append(f"{k}\t{v}")
        elif kind == "h1":
            flow.append(Paragraph(esc(block[1]), H1))
            txt.append(block[1])
        elif kind == "h2":
            flow.append(Paragraph(esc(block[1]), H2))
            txt.append(block[1])
        elif kind == "p":
            flow.append(Paragraph(esc(block[1]), BODY))
            txt.append(block[1])
        elif kind == "bullet":
            _, label, text = block
            flow.append(Paragraph(f"<b>{esc(label)}:</b> {esc(text)}", BULLET,
                                  bulletText="\u2022"))
            txt.append(f"\u2022 {label}: {text}")
        elif kind == "num":
            _, marker, label, text = block
            flow.append(Paragraph(f"<b>{esc(label)}:</b> {esc(text)}", BULLET,
                                  bulletText=marker))
            txt.append(f"{marker} {label}: {text}")
        elif kind == "table":
            _, caption, header, rows, source = block
            data = [[Paragraph(f"<b>{esc(c)}</b>", CELL) for c in header]]
            for r in rows:
                data.append([Paragraph(esc(r[0]), CELL)] +
                            [Paragraph(esc(c), ParagraphStyle("num", parent=CELL,
                                                              alignment=2))
                             for c in r[1:]])
            t = Table(data, colWidths=[58 * mm] + [26 * mm] * 4, hAlign="LEFT",
                      repeatRows=1)
            style = [
                ("LINEABOVE", (0, 0), (-1, 0), 1.0, colors.black),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 1.0, colors.black),
                ("LINEABOVE", (0, 4), (-1, 4), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EDF5")),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
            for i in range(1, len(data)):
                style.append(("LINEBELOW", (0, i), (-1, i), 0.2, colors.HexColor("#BBBBBB")))
            t.setStyle(TableStyle(style))
            flow.append(KeepTogether([Paragraph(esc(caption), CAPTION), t,
                                      Paragraph(esc(source), SOURCE)]))
            txt.append(caption)
            txt.append("\t".join(header))
            for r in rows:
                txt.append("\t".join(r))
            txt.append(source)
        else:
            raise ValueError(kind)
    return flow, txt


def on_page(canvas, doc):
    canvas.saveState()
    w, h = A4
    canvas.setFont("Helvetica", 7.5)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawString(18 * mm, h - 12 * mm, RUNNING_HEADER)
    canvas.setStrokeColor(colors.HexColor("#13294B"))
    canvas.setLineWidth(0.6)
    canvas.line(18 * mm, h - 13.5 * mm, w - 18 * mm, h - 13.5 * mm)
    canvas.line(18 * mm, 14 * mm, w - 18 * mm, 14 * mm)
    canvas.drawString(18 * mm, 10 * mm, "Marlowe Cairns & Co. Equity Research")
    canvas.drawRightString(w - 18 * mm, 10 * mm, f"Page {doc.page}")
    canvas.restoreState()


def main():
    flow, txt = build_flowables()
    doc = SimpleDocTemplate(PDF_PATH, pagesize=A4,
                            leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm,
                            title="Halvard Instruments plc - Initiation of coverage",
                            author=BROKER)
    doc.build(flow, onFirstPage=on_page, onLaterPages=on_page)
    with open(TXT_PATH, "w", encoding="utf-8") as f:
        f.write("\n".join(txt) + "\n")
    print(f"wrote {PDF_PATH}")
    print(f"wrote {TXT_PATH} ({sum(len(l) for l in txt)} chars, {len(txt)} lines)")


if __name__ == "__main__":
    main()
