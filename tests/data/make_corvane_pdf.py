"""Make tests/data/reports/corvane-networks-2024.pdf (run once; the file is committed).

    pip install reportlab==4.2.5
    python tests/data/make_corvane_pdf.py

An English annual report as a PDF: a large-type title, numbered headings ("1. Overview", "2.1 Fibre") in bold
type larger than the text, the number set apart from the title by a wide gap, paragraphs wrapped over lines, bullets "•", a small table drawn as aligned columns,
a header row in bold, page numbers, in the standard Helvetica fonts. Its questions, corvane_qa.jsonl, were written before the
answerer was run on it.
"""

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

OUT = Path(__file__).parent / "reports" / "corvane-networks-2024.pdf"

TITLE = "Corvane Networks plc - Annual Report 2024"
# (heading, sub-heading, paragraphs); a paragraph starting with "• " is a bullet, a list of cells a table row.
SECTIONS = [
    ("1. Overview", None, [
        "Corvane Networks builds and operates fibre broadband and data-centre interconnect networks in the "
        "Netherlands, Belgium and northern Germany. The company was founded in 2011 in Utrecht and listed on "
        "Euronext Amsterdam in 2018.",
        "In 2024 revenue rose 11% to EUR 918 million and adjusted EBITDA grew 14% to EUR 402 million, a margin "
        "of 43.8%. Net debt at the year end was EUR 1.65 billion, 4.1 times EBITDA.",
        ["Segment", "Revenue 2024", "Growth"],
        ["Consumer fibre", "EUR 541m", "9%"],
        ["Business connectivity", "EUR 236m", "8%"],
        ["Interconnect", "EUR 141m", "27%"],
    ]),
    ("2. Operations", "2.1 Consumer fibre", [
        "The network passed 2.9 million homes at the end of 2024, of which 1.12 million were connected "
        "customers, a take-up rate of 39%. Average revenue per user rose 4% to EUR 41 a month after a price "
        "increase in April.",
        "Monthly customer churn fell to 0.9%, helped by a new router and a simplified tariff range.",
    ]),
    (None, "2.2 Interconnect", [
        "Interconnect links data centres for cloud providers and banks. It was the fastest-growing segment, "
        "driven by three factors:",
        "• New hyperscale campuses near Amsterdam and Frankfurt ordered dedicated dark-fibre routes.",
        "• Artificial-intelligence workloads raised demand for low-latency links between sites.",
        "• The acquisition of Lindqvist Optical in March added 1,900 km of long-haul routes in Germany.",
    ]),
    ("3. Sustainability", None, [
        "All offices and network sites ran on renewable electricity from July 2024. Scope 1 and 2 emissions "
        "fell 36% compared with 2022, and the company aims to be net zero in its own operations by 2030.",
    ]),
    ("4. Principal risks", None, [
        "The board considers the following to be the principal risks:",
        "• Competition: cable operators and a rival fibre builder are overbuilding parts of the footprint.",
        "• Financing: about EUR 600 million of bonds mature in 2026 and will need to be refinanced.",
        "• Construction costs: civil-works contractors raised prices by around 8% in 2024.",
        "• Regulation: the Dutch regulator is reviewing wholesale access prices.",
    ]),
    ("5. Outlook", None, [
        "For 2025 the company expects revenue growth of 8% to 10% and capital expenditure of about EUR 380 "
        "million, down from EUR 455 million, as the main build phase ends. It plans to pass a further "
        "250,000 homes and to start paying a dividend in 2026.",
    ]),
    ("6. Conclusion", None, [
        "Corvane ended 2024 with faster growth and higher margins, and interconnect has become a second engine "
        "beside consumer fibre. The board believes that falling capital spending will turn free cash flow "
        "positive in 2025, which is the key to reducing leverage before the 2026 refinancing.",
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


def make(path):
    pdf = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    margin = 60
    page = 1
    y = height - 80

    def new_page():
        nonlocal y, page
        pdf.setFont(FONT, 9); pdf.drawString(width / 2, 30, str(page))
        pdf.showPage(); page += 1; y = height - 80

    def draw(text, font, size, gap, indent=0):
        nonlocal y
        for line in wrap(text, font, size, width - 2 * margin - indent):
            if y < 70:
                new_page()
            pdf.setFont(font, size); pdf.drawString(margin + indent, y, line); y -= size * 1.5
        y -= gap

    def heading(text, size, gap):
        # The number set apart from the title by a wide gap, as a tab stop would place it.
        nonlocal y
        number, title = text.split(" ", 1)
        if y < 70:
            new_page()
        pdf.setFont(BOLD, size); pdf.drawString(margin, y, number); pdf.drawString(margin + 40, y, title)
        y -= size * 1.5 + gap

    def row(cells, font=FONT):
        nonlocal y
        pdf.setFont(font, 10.5 if font == BOLD else 10)
        for column, cell in enumerate(cells):
            pdf.drawString(margin + 170 * column, y, cell)
        y -= 15

    draw(TITLE, BOLD, 18, 12)
    for title, sub, paragraphs in SECTIONS:
        if title:
            heading(title, 14, 6)
        if sub:
            heading(sub, 12, 4)
        for paragraph in paragraphs:
            if isinstance(paragraph, list):
                row(paragraph, BOLD if paragraph[0] == "Segment" else FONT)  # the header row in bold
            elif paragraph.startswith("• "):
                draw(paragraph, FONT, 10.5, 3, indent=12)
            else:
                draw(paragraph, FONT, 10.5, 6)
        y -= 4
    pdf.setFont(FONT, 9); pdf.drawString(width / 2, 30, str(page))
    pdf.save()


make(OUT)
