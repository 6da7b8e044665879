"""Regression tests for ways a hidden count could be worked out from what is shown (issue 5
item 4), each with the arithmetic that would have revealed it."""

import datetime as dt

from forlob.indicators import charts
from forlob.indicators.catalogue import Kpi, Value
from forlob.indicators.presentation import figure, shown_value

KPI = Kpi(code="k", name_da="K", name_en="K", definition_da="d", definition_en="d",
          numerator="n", denominator="d", source="s", better="higher", period_date="p",
          compute=lambda f: None)


def test_a_share_hides_when_a_cell_of_its_denominator_is_hidden():
    # done 6, declined 3, missed 10 of 19: with the rate (6/19) and 19 and 10 shown,
    # declined = 19 - 6 - 10 = 3. So the rate is not shown, in every view (API included).
    v = Value(6 / 19, 6, 19, cells=(("done", "Gennemført", 6), ("declined", "Afslået", 3),
                                     ("missed", "Ikke nået", 10)))
    assert shown_value(v, True) is None
    assert figure(KPI, v, True).hidden
    assert shown_value(v, False) == 6 / 19


def test_a_ratio_over_an_estimate_hides_a_small_numerator():
    # 3 citizens over an estimated target group of 3,885: ratio x denominator = 3.
    v = Value(3 / 3885, 3, 3885, unit="ratio")
    assert shown_value(v, True) is None
    assert shown_value(Value(30 / 3885, 30, 3885, unit="ratio"), True) == 30 / 3885


def test_monthly_counts_in_a_trend_are_suppressed_together():
    # months 3, 10, 12 with the period's 25 shown beside the chart: 25 - 10 - 12 = 3.
    months = [dt.date(2026, m, 1) for m in (1, 2, 3)]
    points = [(m, Value(float(n), unit="count")) for m, n in zip(months, (3, 10, 12),
                                                                 strict=True)]
    rows = charts.trend_spec("t", points, "count", True)["data"]["values"]
    hidden = [r["value"] is None for r in rows]
    assert hidden[0] and sum(hidden) >= 2


def test_each_survey_question_is_suppressed_against_its_own_answers():
    # q1: 10, 3, 0 (13 answers) and q2: 6, 7, 0: hiding a q2 cell would not protect the 3,
    # since q1's 13 answers minus 10 minus 0 = 3.
    cells = tuple(((q, o), f"{q}{o}", n) for (q, o), n in (
        (("q1", "a"), 10), (("q1", "b"), 3), (("q1", "c"), 0),
        (("q2", "a"), 6), (("q2", "b"), 7), (("q2", "c"), 0)))
    f = figure(KPI, Value(13.0, denominator=13, cells=cells, unit="count"), True)
    texts = dict(f.cells)
    q1 = [texts["q1a"], texts["q1b"], texts["q1c"]]
    assert texts["q1b"] == "<5" and sum(t in ("<5", "x") for t in q1) >= 2
