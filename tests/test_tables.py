"""Tables as lines whose rows name their columns (reportqa.tables)."""

from reportqa.tables import column_names_line, names_columns, row_values, rows_stated, table_lines


def test_rows_under_a_row_of_column_names_name_each_cell():
    lines = table_lines([["指标", "2023年", "2024年"], ["营业收入（亿元）", "505.0", "412.6"], ["毛利率", "15.2%", ""]])
    assert lines == ["指标 | 2023年 | 2024年", "营业收入（亿元） | 2023年：505.0 | 2024年：412.6", "毛利率 | 2023年：15.2%"]


def test_a_first_row_is_judged_by_its_cells_unless_the_format_says():
    figures = [["Segment", "Revenue 2024", "Growth"], ["Consumer fibre", "EUR 541m", "9%"]]
    assert table_lines(figures)[1] == "Consumer fibre | Revenue 2024: EUR 541m | Growth: 9%"
    # A first row with figures is a row like the others; so is a table of words only, unless marked as a header.
    assert table_lines([["Consumer fibre", "EUR 541m"], ["Interconnect", "EUR 141m"]])[1] == "Interconnect | EUR 141m"
    assert table_lines([["Risk", "Trend"], ["Fuel", "Rising"]])[1] == "Fuel | Rising"
    assert table_lines([["Risk", "Trend"], ["Fuel", "Rising"]], header=True)[1] == "Fuel | Trend: Rising"
    # A row of another length (merged cells) stays as it is.
    assert table_lines([["Segment", "2024", "2023"], ["Total", "1,284"]], header=True)[1] == "Total | 1,284"


def test_names_columns():
    assert names_columns(["Segment", "Revenue 2024 (£m)", "Change"]) and names_columns(["指标", "2023年", "2024年"])
    assert not names_columns(["Consumer fibre", "541"]) and not names_columns(["Segment"])
    assert column_names_line("指标 | 2023年 | 2024年") and not column_names_line("指标：2023年与2024年")


def test_a_row_states_its_own_cells_without_the_column_names():
    assert row_values("Plant-based | Revenue 2024: £103m | Revenue 2023: £101m") == "Plant-based | £103m | £101m"
    assert row_values("研发投入（亿元） | 2023年：16.1 | 2024年：15.3") == "研发投入（亿元） | 16.1 | 15.3"
    assert row_values("Margin: 12%, as guided.") == "Margin: 12%, as guided."  # no row: as it is
    assert rows_stated("Revenue rose.\nA | B: 1\nC | B: 2") == "Revenue rose.\nA | 1\nC | 2"
