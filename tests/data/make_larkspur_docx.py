"""Make tests/data/reports/larkspur-foods-2024.docx (run once; the file is committed).

    python tests/data/make_larkspur_docx.py

An English annual report as Word writes one: a Title, numbered `Heading 1` / `Heading 2` sections, items
in `List Bullet` and `List Number` paragraphs (Word keeps the bullets and numbers in the style, not the
text) and a table. Its questions, larkspur_qa.jsonl, were written before the answerer was run on it.
"""

from pathlib import Path

import docx

OUT = Path(__file__).parent / "reports" / "larkspur-foods-2024.docx"

d = docx.Document()
d.add_paragraph("Larkspur Foods plc — Annual Report 2024", style="Title")
d.add_paragraph("1. Overview", style="Heading 1")
d.add_paragraph("Larkspur Foods is a UK producer of chilled ready meals, soups and plant-based products, supplying "
                "supermarkets and food-service customers from five factories in England and one in Poland. "
                "At the end of the financial year the company employed 3,140 people.")
d.add_paragraph("Revenue for the year ended 30 September 2024 increased 6.8% to £642 million. Underlying operating "
                "profit was £38.5 million, compared with £31.2 million a year earlier, helped by lower energy "
                "costs in the second half.")
d.add_paragraph("The directors point to four developments that shaped the year:")
for t in ["Contract wins: a five-year agreement to supply own-label soups to a national discounter, worth about "
          "£40 million a year from April 2025.",
          "Factory consolidation: the Leeds site was closed in June and its lines moved to Wakefield.",
          "Plant-based recovery: sales of the Verdant brand returned to growth, up 11%, after two years of decline.",
          "Waste reduction: food waste fell to 2.9% of production, from 3.6%."]:
    d.add_paragraph(t, style="List Bullet")
d.add_paragraph("2. Business review", style="Heading 1")
d.add_paragraph("2.1 Ready meals", style="Heading 2")
d.add_paragraph("Ready meals remain the largest category, with revenue of £371 million. Volumes were flat, but "
                "price increases agreed with retailers in late 2023 lifted revenue by 5%. The category's margin "
                "recovered to 6.1% as chicken and dairy costs eased.")
d.add_paragraph("2.2 Soups", style="Heading 2")
d.add_paragraph("Soup revenue rose 14% to £168 million, the fastest growth in the group. Demand was driven by a cold "
                "winter and by the launch of a high-protein range in January. The Wakefield soup kitchen now runs "
                "around the clock, six days a week.")
d.add_paragraph("2.3 Plant-based", style="Heading 2")
d.add_paragraph("Plant-based products contributed £103 million. The Verdant brand was relaunched with shorter "
                "ingredient lists and a lower price point. The Polish factory in Poznań, which makes most "
                "plant-based lines, reached 85% utilisation.")
d.add_paragraph("3. Financial position", style="Heading 1")
d.add_paragraph("Net debt at the year end was £96 million, 1.6 times EBITDA, down from 2.1 times. Capital "
                "expenditure was £22 million, mainly on automation at Wakefield. The board proposes a final "
                "dividend of 3.4 pence per share, making 5.0 pence for the year.")
t = d.add_table(rows=4, cols=3)
for r, row in enumerate([["Category", "Revenue 2024", "Revenue 2023"], ["Ready meals", "£371m", "£353m"],
                         ["Soups", "£168m", "£147m"], ["Plant-based", "£103m", "£101m"]]):
    for c, v in enumerate(row):
        t.cell(r, c).text = v
d.add_paragraph("4. Principal risks", style="Heading 1")
d.add_paragraph("The risk committee considers the following to be the principal risks to the business:")
for t in ["Customer concentration: the three largest supermarket groups account for 58% of revenue.",
          "Input costs: a renewed rise in energy or protein prices could not be passed on quickly.",
          "Labour availability: factory vacancies in England stood at 7% in the summer.",
          "Food safety: a contamination incident would damage trust in both own-label and branded products."]:
    d.add_paragraph(t, style="List Number")
d.add_paragraph("To reduce these risks the company fixed the price of 80% of its 2025 energy needs, recruited 120 "
                "apprentices and added a second independent audit of hygiene at every site.")
d.add_paragraph("5. Outlook", style="Heading 1")
d.add_paragraph("The board expects revenue growth of 4% to 6% in the 2025 financial year, with the discounter soup "
                "contract contributing from April. Underlying operating margin should improve towards 6.5%, "
                "although the increase in employers' national insurance will add about £4 million of costs.")
d.add_paragraph("6. Conclusion", style="Heading 1")
d.add_paragraph("2024 was a year of recovery for Larkspur. Margins rebuilt as input costs fell, soups grew strongly "
                "and the plant-based business stabilised. The priorities for 2025 are to start the discounter "
                "contract smoothly and to finish automating Wakefield.")
d.save(OUT)
