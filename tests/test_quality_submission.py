"""rules_submission (issue 6 "Bad input"): what stands in the way of a submission, as pure
functions. Each case of the issue: unanswered mandatory items, a missing plan, text over the
limit, an answer to a greyed recommendation, plus ticks outside the options; checked per area."""

from hypothesis import given
from hypothesis import strategies as st

from forlob.quality import rules
from forlob.quality.models import ItemKind
from forlob.quality.rules_submission import (
    AnswerFacts,
    ItemFacts,
    answer_problems,
    carry_over,
    progress,
    submission_problems,
)

IND, PLAN, TEXT, TICK = ItemKind.INDICATOR, ItemKind.PLAN, ItemKind.TEXT, ItemKind.TICKLIST
ITEMS = [
    ItemFacts("1.1", "1", IND, mandatory=True, max_lines=5),
    ItemFacts("1.2", "1", IND, mandatory=True),
    ItemFacts("1.4", "1", PLAN, max_lines=5),
    ItemFacts("3.1", "3", IND, mandatory=True, greyed=True),
    ItemFacts("9.1", "9", IND, mandatory=True),
    ItemFacts("9.2", "9", TEXT, max_lines=5),
    ItemFacts("9.3", "9", TICK, options=("Medicinsk", "Psykosocial")),
]
ALL_YES = [AnswerFacts("1.1", choice="ja"), AnswerFacts("1.2", choice="ja"),
           AnswerFacts("9.1", choice="ja")]


def codes(problems):
    return sorted((p.number, p.area, p.code) for p in problems)


def test_a_complete_submission_has_no_problems():
    assert submission_problems(ITEMS, ALL_YES, [""]) == []


def test_unanswered_mandatory_items_are_named():
    problems = submission_problems(ITEMS, [AnswerFacts("1.1", choice="ja")], [""])
    assert codes(problems) == [("1.2", "", "unanswered"), ("9.1", "", "unanswered")]
    assert all("skal besvares" in p.message for p in problems)
    assert problems[0].message.startswith("1.2")


def test_greyed_items_are_never_mandatory():
    assert ("3.1", "", "unanswered") not in codes(submission_problems(ITEMS, [], [""]))


def test_a_plan_is_required_where_an_indicator_is_not_ja():
    answers = [AnswerFacts("1.1", choice="delvis"), *ALL_YES[1:]]
    assert codes(submission_problems(ITEMS, answers, [""])) == [("1.4", "", "plan_missing")]
    with_plan = [*answers, AnswerFacts("1.4", text="Vi indfører familiesamtaler.")]
    assert submission_problems(ITEMS, with_plan, [""]) == []


def test_a_blank_plan_does_not_count():
    answers = [AnswerFacts("1.1", choice="nej"), *ALL_YES[1:], AnswerFacts("1.4", text="  \n")]
    assert codes(submission_problems(ITEMS, answers, [""])) == [("1.4", "", "plan_missing")]


def test_every_area_is_checked_on_its_own():
    areas = ["alkohol", "stof"]
    answers = [AnswerFacts(a.number, "alkohol", a.choice) for a in ALL_YES] + [
        AnswerFacts("1.1", "stof", "nej"), AnswerFacts("1.2", "stof", "ja")]
    assert codes(submission_problems(ITEMS, answers, areas)) == [
        ("1.4", "stof", "plan_missing"), ("9.1", "stof", "unanswered")]
    message = next(p.message for p in submission_problems(ITEMS, answers, areas))
    assert "Stof" in message


def test_text_over_the_limit():
    long_text = "\n".join(["linje"] * 6)
    problems = answer_problems(ITEMS[5], AnswerFacts("9.2", text=long_text))
    assert codes(problems) == [("9.2", "", "too_long")]
    assert "6 linjer" in problems[0].message and "højst 5" in problems[0].message
    assert answer_problems(ITEMS[5], AnswerFacts("9.2", text="\n".join(["x"] * 5))) == []


def test_a_long_paragraph_counts_as_several_lines():
    assert codes(answer_problems(ITEMS[5], AnswerFacts("9.2", text="x" * (90 * 5 + 1)))) == [
        ("9.2", "", "too_long")]


def test_an_answer_to_a_greyed_recommendation():
    problems = answer_problems(ITEMS[3], AnswerFacts("3.1", choice="ja"))
    assert codes(problems) == [("3.1", "", "greyed")]
    assert "grå" in problems[0].message
    assert answer_problems(ITEMS[3], AnswerFacts("3.1")) == []
    assert ("3.1", "", "greyed") in codes(
        submission_problems(ITEMS, [*ALL_YES, AnswerFacts("3.1", choice="nej")], [""]))


def test_ticks_outside_the_options_and_choices_outside_ja_delvis_nej():
    assert codes(answer_problems(ITEMS[6], AnswerFacts("9.3", ticks=("Kirurgisk",)))) == [
        ("9.3", "", "tick")]
    assert answer_problems(ITEMS[6], AnswerFacts("9.3", ticks=("Medicinsk",))) == []
    assert codes(answer_problems(ITEMS[0], AnswerFacts("1.1", choice="måske"))) == [
        ("1.1", "", "choice")]
    assert codes(answer_problems(ITEMS[5], AnswerFacts("9.2", choice="ja"))) == [
        ("9.2", "", "choice")]


def test_progress_counts_mandatory_items_per_area():
    assert progress(ITEMS, ALL_YES, [""]) == (3, 3)
    assert progress(ITEMS, [AnswerFacts("1.1", "stof", "ja")], ["alkohol", "stof"]) == (1, 6)


def test_carry_over_from_whole_to_split_copies_the_answers():
    answers = {("1.1", ""): AnswerFacts("1.1", "", "ja", "tekst")}
    result = carry_over([""], ["alkohol", "stof"], answers)
    assert set(result) == {("1.1", "alkohol"), ("1.1", "stof")}
    assert result[("1.1", "stof")].choice == "ja" and result[("1.1", "stof")].text == "tekst"


def test_carry_over_between_splits_keeps_kept_areas_only():
    answers = {("1.1", "alkohol"): AnswerFacts("1.1", "alkohol", "ja"),
               ("1.1", "stof"): AnswerFacts("1.1", "stof", "nej")}
    assert set(carry_over(["alkohol", "stof"], ["alkohol", "unge"], answers)) == {
        ("1.1", "alkohol")}


def test_carry_over_from_split_to_whole_keeps_only_identical_answers():
    answers = {("1.1", "alkohol"): AnswerFacts("1.1", "alkohol", "ja"),
               ("1.1", "stof"): AnswerFacts("1.1", "stof", "ja"),
               ("1.2", "alkohol"): AnswerFacts("1.2", "alkohol", "ja"),
               ("1.2", "stof"): AnswerFacts("1.2", "stof", "nej")}
    result = carry_over(["alkohol", "stof"], [""], answers)
    assert set(result) == {("1.1", "")}


choices = st.sampled_from(["", "ja", "delvis", "nej"])


@given(st.lists(st.tuples(st.sampled_from(["1.1", "1.2", "9.1"]), choices), max_size=6),
       st.booleans())
def test_submission_is_clean_exactly_when_answered_and_planned(picks, with_plans):
    """Property: with only indicator answers and plans, a submission has no problems if and
    only if every mandatory indicator has a choice and every section with a non-ja choice has
    a plan."""
    answers = {n: AnswerFacts(n, choice=c) for n, c in picks}
    facts = list(answers.values())
    if with_plans:
        facts += [AnswerFacts("1.4", text="plan")]
    problems = submission_problems(ITEMS, facts, [""])
    answered = all(answers.get(n) and answers[n].choice for n in ("1.1", "1.2", "9.1"))
    needs_plan = any(answers.get(n) and answers[n].choice in ("delvis", "nej")
                     for n in ("1.1", "1.2"))
    # Section 9 has no plan item here, so a non-ja there never asks for one.
    assert (problems == []) == (answered and (with_plans or not needs_plan))


@given(st.text(max_size=800), st.sampled_from([None, 1, 5]))
def test_answer_problems_never_fail_on_any_text(text, max_lines):
    item = ItemFacts("9.2", "9", TEXT, max_lines=max_lines)
    problems = answer_problems(item, AnswerFacts("9.2", text=text))
    assert all(p.code == "too_long" for p in problems)
    assert bool(problems) == rules.too_long(text, max_lines)
