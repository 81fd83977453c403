"""Make the Chinese test PDFs in tests/data/ (run once; the PDFs are committed).

    apt-get install fonts-wqy-microhei && pip install reportlab==5.1.0
    python tests/data/make_pdf_fixtures.py

Two files with the same report, laid out as real reports are:
- report_embedded.pdf: an embedded TrueType CJK font (WenQuanYi Micro Hei), as Word and
  LibreOffice export;
- report_cid.pdf: Adobe's non-embedded STSong-Light CID font, common in government PDFs.

Each has a large-type title and headings, a paragraph wrapped over several lines, a
page header and page number, a two-column page, and a paragraph written to the content
stream after the one below it, so an extractor that follows the stream and not the
page gets the order wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).parent
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

TITLE = "北汽与小米合作报告"
SECTIONS = [
    ("一、合作背景", [
        "二零二四年，北汽集团与小米汽车签署战略合作协议，双方在整车制造、动力电池和智能座舱三个领域展开合作，"
        "首批联合开发的车型计划于二零二五年第三季度量产。",
        "合作的第一阶段由北汽提供位于北京亦庄的生产线，小米负责软件与生态接入。",
    ]),
    ("二、核心合作领域", [
        "双方约定每年采购不少于二十吉瓦时的动力电池，由宁德时代与比亚迪分别供货。",
    ]),
]
# Written to the page top-to-bottom but to the stream bottom-to-top.
REVERSED = ("三、风险提示", [
    "第一段：原材料价格波动可能压缩整车毛利率。",
    "第二段：新车型的市场接受度仍有不确定性。",
])
LEFT_COLUMN = ("四、左栏：产能规划", "亦庄工厂年产能为十五万辆，二期扩建后达到三十万辆，扩建工程预计二零二六年完工。")
RIGHT_COLUMN = ("五、右栏：人员安排", "合作团队共有八百名工程师，其中软件工程师占六成，主要来自小米武汉研发中心。")


def expected() -> dict:
    """What a faithful extractor returns: the text of each block in reading order."""
    blocks = [TITLE]
    for heading, paragraphs in SECTIONS:
        blocks += [heading, *paragraphs]
    blocks += [REVERSED[0], *REVERSED[1]]
    blocks += [LEFT_COLUMN[0], LEFT_COLUMN[1], RIGHT_COLUMN[0], RIGHT_COLUMN[1]]
    return {"headings": [TITLE] + [s[0] for s in SECTIONS] + [REVERSED[0], LEFT_COLUMN[0], RIGHT_COLUMN[0]],
            "blocks": blocks}


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    return lines + [line] if line else lines


def _paragraph(pdf, text, font, x, y, width, size=11) -> float:
    for line in _wrap(text, font, size, width):
        pdf.setFont(font, size)
        pdf.drawString(x, y, line)
        y -= size * 1.6
    return y - 6


def make(path: Path, font: str) -> None:
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle(TITLE)
    width, height = A4
    margin = 60
    body = width - 2 * margin

    pdf.setFont(font, 9)
    pdf.drawString(margin, height - 30, "内部资料")  # page header
    pdf.drawString(width / 2, 30, "1")  # page number
    y = height - 80
    pdf.setFont(font, 20)
    pdf.drawString(margin, y, TITLE)
    y -= 40
    for heading, paragraphs in SECTIONS:
        pdf.setFont(font, 15)
        pdf.drawString(margin, y, heading)
        y -= 26
        for paragraph in paragraphs:
            y = _paragraph(pdf, paragraph, font, margin, y, body)
    pdf.setFont(font, 15)
    pdf.drawString(margin, y, REVERSED[0])
    y -= 26
    first_y, second_y = y, y - 11 * 1.6 - 6
    _paragraph(pdf, REVERSED[1][1], font, margin, second_y, body)
    _paragraph(pdf, REVERSED[1][0], font, margin, first_y, body)
    pdf.showPage()

    pdf.setFont(font, 9)
    pdf.drawString(margin, height - 30, "内部资料")
    pdf.drawString(width / 2, 30, "2")
    column = (body - 30) / 2
    for (heading, text), x in ((LEFT_COLUMN, margin), (RIGHT_COLUMN, margin + column + 30)):
        pdf.setFont(font, 15)
        pdf.drawString(x, height - 80, heading)
        _paragraph(pdf, text, font, x, height - 110, column)
    pdf.showPage()
    pdf.save()


def main() -> None:
    pdfmetrics.registerFont(TTFont("WQY", WQY, subfontIndex=0))
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    make(HERE / "report_embedded.pdf", "WQY")
    make(HERE / "report_cid.pdf", "STSong-Light")
    (HERE / "report_pdf_expected.json").write_text(json.dumps(expected(), ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
