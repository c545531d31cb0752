"""The SVG chart helper: proportional bars and columns, escaped labels, accessible markup."""

import xml.etree.ElementTree as ElementTree

import pytest

from api.web.charts import WIDTH, bar_chart, column_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    """The chart as XML (it must be well-formed), with the SVG namespace the browser assumes."""
    return ElementTree.fromstring(str(markup).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def bars(chart: ElementTree.Element) -> list[ElementTree.Element]:
    return chart.findall(f"{SVG}rect")


def texts(chart: ElementTree.Element) -> list[str]:
    return [text.text or "" for text in chart.findall(f"{SVG}text")]


@pytest.mark.parametrize(
    ("label", "beside"), [("Belu", True), ("Individual recruiter without a licence", False)]
)
def test_bar_lengths_are_proportional_to_the_values(label, beside):
    """Short labels stand left of their bars, long ones above them (bars then start at 0)."""
    chart = parse(bar_chart([("Alor", 2), (label, 8), ("Rote Ndao", 0), ("Kupang", 5)], title="T"))
    widths = [float(bar.get("width")) for bar in bars(chart)]
    assert widths[2] == 0
    assert widths[0] / widths[1] == pytest.approx(2 / 8, abs=0.002)
    assert widths[3] / widths[1] == pytest.approx(5 / 8, abs=0.002)
    right_ends = [float(bar.get("x")) + float(bar.get("width")) for bar in bars(chart)]
    assert max(right_ends) <= WIDTH
    assert {"Alor", label, "Rote Ndao", "Kupang", "2", "8", "0", "5"} <= set(texts(chart))
    assert (float(bars(chart)[0].get("x")) > 0) is beside
    rows = [float(bar.get("y")) for bar in bars(chart)]
    assert rows == sorted(rows) and len(set(rows)) == 4  # one row each, in the given order


def test_column_heights_are_proportional_and_stand_on_one_line():
    chart = parse(column_chart([("2026-01", 3), ("2026-02", 0), ("2026-03", 6)], title="T"))
    heights = [float(bar.get("height")) for bar in bars(chart)]
    assert heights[0] / heights[2] == pytest.approx(0.5, abs=0.002) and heights[1] == 0
    bottoms = {float(bar.get("y")) + float(bar.get("height")) for bar in bars(chart)}
    assert len(bottoms) == 1
    assert ["2026-01", "2026-02", "2026-03"] == [t for t in texts(chart) if t.startswith("2026")]


def test_many_columns_label_only_some_periods_and_keep_them_inside():
    days = [(f"2026-03-{day:02d}", day) for day in range(1, 32)]
    chart = parse(column_chart(days, title="T"))
    assert len(bars(chart)) == 31
    labels = [text for text in chart.findall(f"{SVG}text") if text.text.startswith("2026")]
    assert 2 <= len(labels) < 10 and labels[0].text == "2026-03-01"
    xs = [float(text.get("x")) for text in labels]
    assert all(0 < x < WIDTH for x in xs) and xs == sorted(xs)
    assert not any(text.text.isdigit() for text in chart.findall(f"{SVG}text"))  # no room


def test_labels_and_titles_are_escaped_and_the_chart_names_itself():
    evil = '<script>alert("x")</script> & Co'
    for chart in (bar_chart([(evil, 1)], title=evil), column_chart([(evil, 1)], title=evil)):
        assert "<script>" not in chart
        svg = parse(chart)
        assert svg.get("role") == "img"
        assert svg.get("viewBox").startswith(f"0 0 {WIDTH} ")
        assert svg.find(f"{SVG}title").text == evil
        assert evil in texts(svg)
        assert bars(svg)[0].find(f"{SVG}title").text == f"{evil}: 1"


def test_very_long_labels_are_shortened_but_whole_in_the_tooltip():
    label = "word " * 30
    chart = parse(bar_chart([(label, 3)], title="T"))
    shown = texts(chart)[0]
    assert shown.endswith("…") and len(shown) == 50 and label.startswith(shown[:-1])
    assert bars(chart)[0].find(f"{SVG}title").text == f"{label}: 3"


def test_nothing_to_draw_gives_an_empty_chart_not_an_error():
    for chart in (bar_chart([], title="T"), column_chart([], title="T")):
        assert bars(parse(chart)) == []
    assert float(bars(parse(bar_chart([("Alor", 0)], title="T")))[0].get("width")) == 0
