"""Make tests/data/reports/larkspur-foods-2024.docx (run once; the file is committed).

    python tests/data/make_larkspur_docx.py

An English annual report as Word writes one: a Title, numbered `Heading 1` / `Heading 2` sections, items
in `List Bullet` and `List Number` paragraphs (Word keeps the bullets and numbers in the style, not the
text) and a table. Its questions, larkspur_qa.jsonl, were written before the answerer was run on it.
"""

from pathlib import Path

import docx

OUT = Path(__file__).parent / "reports" / "larkspur-foods-2024.docx"

BLOCKS = [
    ('Title', 'Larkspur Foods plc — Annual Report 2024'),
    ('Heading 1', '1. Overview'),
    ('Normal', 'Larkspur Foods is a UK producer of chilled ready meals, soups and plant-based products, supplying supermarkets and food-service customers from five factories in England and one in Poland. At the end of the financial year the company employed 3,140 people.'),
    ('Normal', 'Revenue for the year ended 30 September 2024 increased 6.8% to £642 million. Underlying operating profit was £38.5 million, compared with £31.2 million a year earlier, helped by lower energy costs in the second half.'),
    ('Normal', 'The directors point to four developments that shaped the year:'),
    ('List Bullet', 'Contract wins: a five-year agreement to supply own-label soups to a national discounter, worth about £40 million a year from April 2025.'),
    ('List Bullet', 'Factory consolidation: the Leeds site was closed in June and its lines moved to Wakefield.'),
    ('List Bullet', 'Plant-based recovery: sales of the Verdant brand returned to growth, up 11%, after two years of decline.'),
    ('List Bullet', 'Waste reduction: food waste fell to 2.9% of production, from 3.6%.'),
    ('Heading 1', '2. Business review'),
    ('Heading 2', '2.1 Ready meals'),
    ('Normal', "Ready meals remain the largest category, with revenue of £371 million. Volumes were flat, but price increases agreed with retailers in late 2023 lifted revenue by 5%. The category's margin recovered to 6.1% as chicken and dairy costs eased."),
    ('Heading 2', '2.2 Soups'),
    ('Normal', 'Soup revenue rose 14% to £168 million, the fastest growth in the group. Demand was driven by a cold winter and by the launch of a high-protein range in January. The Wakefield soup kitchen now runs around the clock, six days a week.'),
    ('Heading 2', '2.3 Plant-based'),
    ('Normal', 'Plant-based products contributed £103 million. The Verdant brand was relaunched with shorter ingredient lists and a lower price point. The Polish factory in Poznań, which makes most plant-based lines, reached 85% utilisation.'),
    ('Heading 1', '3. Financial position'),
    ('Normal', 'Net debt at the year end was £96 million, 1.6 times EBITDA, down from 2.1 times. Capital expenditure was £22 million, mainly on automation at Wakefield. The board proposes a final dividend of 3.4 pence per share, making 5.0 pence for the year.'),
    ('table', [['Category', 'Revenue 2024', 'Revenue 2023'], ['Ready meals', '£371m', '£353m'], ['Soups', '£168m', '£147m'], ['Plant-based', '£103m', '£101m']]),
    ('Heading 1', '4. Principal risks'),
    ('Normal', 'The risk committee considers the following to be the principal risks to the business:'),
    ('List Number', 'Customer concentration: the three largest supermarket groups account for 58% of revenue.'),
    ('List Number', 'Input costs: a renewed rise in energy or protein prices could not be passed on quickly.'),
    ('List Number', 'Labour availability: factory vacancies in England stood at 7% in the summer.'),
    ('List Number', 'Food safety: a contamination incident would damage trust in both own-label and branded products.'),
    ('Normal', 'To reduce these risks the company fixed the price of 80% of its 2025 energy needs, recruited 120 apprentices and added a second independent audit of hygiene at every site.'),
    ('Heading 1', '5. Outlook'),
    ('Normal', "The board expects revenue growth of 4% to 6% in the 2025 financial year, with the discounter soup contract contributing from April. Underlying operating margin should improve towards 6.5%, although the increase in employers' national insurance will add about £4 million of costs."),
    ('Heading 1', '6. Conclusion'),
    ('Normal', '2024 was a year of recovery for Larkspur. Margins rebuilt as input costs fell, soups grew strongly and the plant-based business stabilised. The priorities for 2025 are to start the discounter contract smoothly and to finish automating Wakefield.'),
]


def make(path: Path) -> None:
    document = docx.Document()
    for style, content in BLOCKS:
        if style == "table":
            table = document.add_table(rows=len(content), cols=len(content[0]))
            for r, row in enumerate(content):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        else:
            document.add_paragraph(content, style=style)
    document.save(path)


if __name__ == "__main__":
    make(OUT)
