"""Make tests/data/reports/qinghe-dairy-2024.pdf (run once; the file is committed).

    pip install reportlab==4.2.5
    python tests/data/make_qinghe_pdf.py

A Chinese analyst report as a PDF: a large-type title, numbered headings (一、 and （一）) in type larger than
the text, paragraphs wrapped over lines, items numbered "1." and "（1）", page numbers, in Adobe's
non-embedded STSong-Light CID font. Its questions, qinghe_qa.jsonl, were written before the answerer was
run on it.
"""

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

OUT = Path(__file__).parent / "reports" / "qinghe-dairy-2024.pdf"

TITLE = "青禾乳业2024年经营分析报告"
SECTIONS = [
    ("一、公司概况", None, [
        "青禾乳业股份有限公司成立于2006年，总部位于内蒙古呼和浩特，主营液态奶、奶粉和奶酪三大业务，在内蒙古、宁夏和黑龙江拥有7座自有牧场，奶牛存栏约4.2万头。",
        "2024年公司实现营业收入86.4亿元，同比增长5.2%；归母净利润4.1亿元，同比下降12.8%。利润下滑主要是因为原奶价格下行导致牧场资产减值，以及促销费用增加。",
    ]),
    ("二、业务分析", "（一）液态奶", [
        "液态奶是公司第一大业务，2024年收入52.7亿元，占总收入的61%。其中高端有机奶“青禾臻选”收入增长23%，成为增长最快的单品。",
    ]),
    (None, "（二）奶粉", [
        "奶粉业务收入21.3亿元，同比下降6%。婴幼儿配方奶粉受出生人口减少影响，销量下滑9%；中老年奶粉收入增长15%，部分抵消了下滑。",
    ]),
    (None, "（三）奶酪", [
        "奶酪业务收入12.4亿元，同比增长31%，是增速最快的业务板块。公司2024年在天津新建的奶酪工厂投产，年产能2万吨。",
    ]),
    ("三、竞争优势", None, [
        "报告认为青禾乳业具备以下竞争优势：",
        "1. 奶源自给：自有牧场供应约70%的原奶，品质和成本可控。",
        "2. 渠道下沉：在三四线城市拥有超过18万个零售终端。",
        "3. 有机认证：是国内较早获得中欧双有机认证的乳企之一。",
    ]),
    ("四、主要风险", None, [
        "公司面临的主要风险包括：",
        "（1）原奶价格波动：2024年国内原奶价格同比下跌约14%，牧场盈利承压。",
        "（2）行业竞争加剧：头部乳企加大促销力度，价格战压缩毛利空间。",
        "（3）食品安全风险：任何质量事件都可能对品牌造成长期损害。",
        "为应对上述风险，公司计划压缩低效牧场存栏、推进数字化牧场管理，并引入第三方全链条质量追溯体系。",
    ]),
    ("五、结论与展望", None, [
        "总体来看，青禾乳业在行业下行周期中保持了收入增长，但盈利能力有所下降。奶酪和高端液态奶是未来的主要增长点。",
        "预计2025年公司收入增长4%至6%，净利润有望恢复至5亿元左右。建议关注原奶价格企稳的时间点以及奶酪产能的爬坡进度。",
    ]),
]

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def wrap(text, size, width):
    lines, line = [], ""
    for char in text:
        if pdfmetrics.stringWidth(line + char, FONT, size) > width:
            lines.append(line); line = char
        else:
            line += char
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

    def draw(text, size, gap):
        nonlocal y
        for line in wrap(text, size, width - 2 * margin):
            if y < 70:
                new_page()
            pdf.setFont(FONT, size); pdf.drawString(margin, y, line); y -= size * 1.6
        y -= gap

    draw(TITLE, 20, 12)
    for heading, sub, paragraphs in SECTIONS:
        if heading:
            draw(heading, 15, 6)
        if sub:
            draw(sub, 13, 4)
        for p in paragraphs:
            draw(p, 11, 6)
    pdf.setFont(FONT, 9); pdf.drawString(width / 2, 30, str(page))
    pdf.save()


make(OUT)
