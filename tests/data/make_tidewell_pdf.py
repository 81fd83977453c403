"""Make tests/data/reports/tidewell-retail-2024.pdf (run once; the file is committed).

    python tests/data/make_tidewell_pdf.py

An English annual review of a fictional retailer as reportlab draws one: a bold title, numbered and
unnumbered bold section headings, 10pt body text, bullets drawn in the Symbol font, a table and a
paragraph that runs onto the next page. It and its questions, tidewell_qa.jsonl, were written by a writer
who never saw the answerer, and kept unread until the answerer first ran on them.
"""
import os
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib import colors
from reportlab.platypus import (SimpleDocTemplate, Paragraph, Spacer, Table,
                                TableStyle, CondPageBreak)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reports", "tidewell-retail-2024.pdf")

title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=4)
subtitle = ParagraphStyle("subtitle", fontName="Helvetica", fontSize=11, leading=14, spaceAfter=14,
                          textColor=colors.HexColor("#333333"))
h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=13, leading=16, spaceBefore=12, spaceAfter=6)
h2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=6)
bullet = ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3, spaceAfter=3,
                        bulletFontName="Symbol")

# (kind, text) content blocks. kinds: T title, S subtitle, H1, H2, P, B bullet, TABLE, SPACE
CONTENT = [
    ("T", "Tidewell Retail Group plc"),
    ("S", "Annual Review 2024 - for the 52 weeks ended 28 December 2024"),

    ("H1", "1 Chair's statement"),
    ("P", "2024 was a year in which Tidewell Retail Group delivered growth in a market where household "
          "budgets remained under pressure. Group sales rose 4.6% to £6.84 billion, and like-for-like sales "
          "grew 3.1%, driven by more customers visiting our stores and website rather than by higher prices. "
          "Adjusted operating profit was £412 million, slightly below last year's £438 million, because we "
          "chose to reinvest in lower prices and in the pay of our store teams."),
    ("P", "The Board is recommending a final dividend of 9.9p per share, bringing the full-year dividend to "
          "14.8p, an increase of 4% on 2023. This reflects our confidence in the strength of the balance "
          "sheet and in the cash the business generates. We also returned £50 million to shareholders "
          "through a share buyback programme completed in November."),
    ("P", "During the year the Board welcomed two new independent non-executive directors, bringing "
          "experience in digital retail and in supply chain management. The Board met eleven times and "
          "spent a significant part of its time on the refit programme, the opening of our new fulfilment "
          "centre and the group's climate commitments."),
    ("P", "I would like to thank our 41,200 colleagues across the United Kingdom, Ireland, the Netherlands "
          "and Belgium for their hard work and commitment. Their care for customers is what sets Tidewell "
          "apart, and it is reflected in the highest customer satisfaction scores we have recorded."),

    ("H1", "2 Strategic review"),
    ("P", "Tidewell sells homeware, clothing, beauty and everyday essentials through a network of high "
          "street and retail park stores and a fast-growing online business. Our strategy, launched in 2022, "
          "rests on four pillars:"),
    ("B", "Value you can trust - keeping prices low on the everyday items customers buy most often, funded "
          "by efficiency savings."),
    ("B", "Stores that work harder - refitting and relocating stores so that every square metre earns its "
          "place."),
    ("B", "Digital everywhere - making it easy to shop with us online, in the app and through click & "
          "collect."),
    ("B", "Lean operations - simplifying how we work, from sourcing to distribution, to take cost out of "
          "the business."),
    ("P", "In 2024 we cut prices on more than 1,800 lines and delivered £96 million of cost savings, ahead "
          "of our £80 million target. Customer numbers rose by 5% across the group, and our value perception "
          "score, which measures how customers rate our prices against competitors, reached its highest "
          "level in five years."),

    ("H2", "2.1 Stores"),
    ("P", "We ended the year with 1,126 stores, compared with 1,109 a year earlier: 842 in the United "
          "Kingdom and 284 in Europe. We opened 38 new stores, 24 of them on retail parks, and closed 21 "
          "smaller high street stores where leases expired and trading was no longer viable. A further 57 "
          "stores were refitted to our new Harbour format, which has lifted sales in refitted stores by an "
          "average of 8%."),
    ("P", "Our European business, which trades from stores in Ireland, the Netherlands and Belgium, grew "
          "like-for-like sales by 5.4% and now accounts for 22% of group sales. We see room for at least "
          "100 more stores in these three markets over the next five years."),

    ("H2", "2.2 Online"),
    ("P", "Online sales grew 18% and now represent 27% of group sales, up from 24% in 2023. Click & "
          "collect remains the most popular way to shop online, accounting for 58% of online orders, and it "
          "brings customers into our stores, where many of them buy more. The Tidewell app was downloaded "
          "2.3 million times during the year, and customers who shop both in the app and in store spend on "
          "average twice as much as those who shop only in store."),
    ("P", "We also introduced next-day home delivery across mainland United Kingdom and extended the "
          "range available online by around 6,000 products that are too large to stock in smaller stores."),

    ("H1", "3 Financial review"),
    ("H2", "3.1 Key figures"),
    ("P", "The table below summarises the group's performance for the 52 weeks ended 28 December 2024. "
          "Adjusted figures exclude property impairments and restructuring costs of £34 million."),
    ("TABLE", [
        ["Measure", "2024", "2023", "Change"],
        ["Group sales", "£6,840m", "£6,539m", "+4.6%"],
        ["Like-for-like sales growth", "3.1%", "2.6%", "+0.5 pts"],
        ["Adjusted operating profit", "£412m", "£438m", "-5.9%"],
        ["Adjusted operating margin", "6.0%", "6.7%", "-0.7 pts"],
        ["Adjusted basic earnings per share", "29.6p", "31.8p", "-6.9%"],
        ["Full-year dividend per share", "14.8p", "14.2p", "+4.2%"],
        ["Net cash (excluding leases)", "£185m", "£142m", "+£43m"],
        ["Number of stores", "1,126", "1,109", "+17"],
        ["Online share of sales", "27%", "24%", "+3 pts"],
    ]),
    ("SPACE", 6),

    ("H2", "3.2 Margin"),
    ("P", "Adjusted operating margin fell by 0.7 percentage points to 6.0%. There were three main reasons "
          "for the decline:"),
    ("B", "Pay: we increased hourly pay for store colleagues by 9.8% in April, in line with the rise in the "
          "National Living Wage, adding £58 million to costs."),
    ("B", "Price investment: we lowered prices on everyday lines to protect value for customers, which "
          "reduced gross margin by 0.4 percentage points."),
    ("B", "Distribution: start-up costs at our new Midlands fulfilment centre in Daventry added £21 million "
          "of one-off costs during the year."),
    ("P", "These pressures were partly offset by lower energy costs, which fell by £27 million as "
          "fixed-price contracts rolled off, and by the £96 million of savings delivered under our Lean "
          "operations programme."),

    ("H2", "3.3 Cash and dividend"),
    ("P", "Cash generation remained strong throughout the year. After capital expenditure of £248 million, "
          "most of which was spent on new stores, refits and the Daventry fulfilment centre, the group "
          "generated free cash flow of £238 million. We paid dividends of £145 million and completed the "
          "£50 million share buyback, and we ended the year with net cash of £185 million, excluding lease "
          "liabilities, compared with £142 million at the end of 2023. Our policy is to pay out around half "
          "of adjusted earnings as dividends, and the full-year dividend of 14.8p is covered 2.0 times by "
          "adjusted earnings per share of 29.6p. The Board keeps capital allocation under regular review: "
          "our first priority is to invest in the business where returns are attractive, our second is to "
          "pay a progressive dividend, and any surplus cash above the needs of the business will be returned "
          "to shareholders through further buybacks. We renewed our £400 million revolving credit facility "
          "in September on similar terms, and it remained undrawn at the year end, giving the group "
          "substantial liquidity headroom going into 2025."),

    ("H1", "4 Our people"),
    ("P", "We have 41,200 colleagues, around 70% of whom work part-time, mostly in our stores. Our annual "
          "engagement survey showed a score of 78%, up from 74% last year, and colleague turnover in stores "
          "fell from 38% to 31%. In 2024 we launched a new all-colleague share plan, which 6,500 colleagues "
          "joined in its first year, and we supported 1,150 apprentices in roles from retail management to "
          "logistics. Women now hold 44% of senior management roles, against our target of 50% by 2027."),
    ("P", "Keeping colleagues safe and well remains a priority. We extended free access to our employee "
          "assistance programme to colleagues' families, trained 900 mental health first aiders and "
          "introduced body-worn cameras in 150 stores in response to rising levels of shoplifting and abuse "
          "towards store teams."),

    ("H1", "5 Sustainability"),
    ("P", "We want to be the most responsible retailer on the high street. Our climate targets were "
          "validated by the Science Based Targets initiative in 2023, and we report progress against them "
          "every year:"),
    ("B", "Net zero in our own operations (Scope 1 and 2 emissions) by 2035."),
    ("B", "100% renewable electricity across all stores and sites by 2026; we reached 86% in 2024."),
    ("B", "A 42% reduction in Scope 3 emissions from our supply chain by 2032, against a 2021 baseline."),
    ("B", "A 30% cut in own-brand plastic packaging by 2027; we have achieved 19% so far."),
    ("P", "Scope 1 and 2 emissions fell by 11% in the year, helped by LED lighting and by replacing gas "
          "heating with heat pumps in 60 stores. We also opened textile recycling points in 300 stores, "
          "collecting 1,400 tonnes of unwanted clothing and household textiles."),
    ("P", "In our communities, colleagues and customers raised £4.2 million for our charity partners during "
          "the year, and we donated 2.1 million meals' worth of surplus food and essentials through local "
          "food banks."),

    ("H1", "6 Principal risks"),
    ("P", "The Board regularly reviews the principal risks facing the group and the actions taken to "
          "reduce them. The most significant risks are:"),
    ("B", "Consumer demand - a weaker economy or higher interest rates could reduce spending on "
          "non-essential items."),
    ("B", "Supply chain disruption - around 45% of our own-brand products are sourced from Asia, so "
          "disruption to shipping routes could delay stock and raise freight costs."),
    ("B", "Cyber security - a successful attack could disrupt our stores and online operations and "
          "compromise customer data."),
    ("B", "Labour costs - further increases in the National Living Wage and in employer taxes would add to "
          "our cost base."),
    ("B", "Regulation - new extended producer responsibility rules for packaging will add costs from 2025."),

    ("H1", "Outlook"),
    ("P", "We expect the market to remain competitive in 2025, and the increase in employer National "
          "Insurance contributions will add around £24 million to our costs. We plan to open around 30 new "
          "stores, refit a further 60 and invest around £260 million of capital expenditure. We expect group "
          "sales growth of 3% to 5% and an adjusted operating margin of around 6.2%, as the Daventry "
          "start-up costs fall away and our savings programme continues, with a new target of £100 million "
          "of savings over the next two years."),

    ("H1", "Summary"),
    ("P", "2024 showed that our strategy is working: we grew sales, attracted more customers and "
          "strengthened our balance sheet while investing in prices and pay. Margin dipped as a result of "
          "that investment, but we expect it to recover in 2025. With a strong net cash position, a growing "
          "online business and a clear plan, Tidewell is well placed to create lasting value for customers, "
          "colleagues and shareholders."),
]


def footer(canvas, doc):
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(colors.HexColor("#666666"))
    canvas.drawString(20 * mm, 12 * mm, "Tidewell Retail Group plc | Annual Review 2024")
    canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, str(doc.page))
    canvas.restoreState()


def build():
    story = []
    for kind, val in CONTENT:
        if kind == "T":
            story.append(Paragraph(val, title))
        elif kind == "S":
            story.append(Paragraph(val.replace("&", "&amp;"), subtitle))
        elif kind == "H1":
            story.append(CondPageBreak(30 * mm))
            story.append(Paragraph(val, h1))
        elif kind == "H2":
            story.append(CondPageBreak(25 * mm))
            story.append(Paragraph(val, h2))
        elif kind == "P":
            story.append(Paragraph(val.replace("&", "&amp;"), body))
        elif kind == "B":
            story.append(Paragraph(val.replace("&", "&amp;"), bullet, bulletText="\u2022"))
        elif kind == "SPACE":
            story.append(Spacer(1, val))
        elif kind == "TABLE":
            t = Table(val, colWidths=[72 * mm, 28 * mm, 28 * mm, 28 * mm], hAlign="LEFT")
            t.setStyle(TableStyle([
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, 1), (-1, -1), "Helvetica"),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.grey),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
            ]))
            story.append(t)
    doc = SimpleDocTemplate(OUT, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=20 * mm, bottomMargin=22 * mm,
                            title="Tidewell Retail Group plc - Annual Review 2024",
                            author="Tidewell Retail Group plc")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return OUT


if __name__ == "__main__":
    print(build())
