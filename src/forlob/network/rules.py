"""Pure rules of network and consent (issue 4 items 3 and 4). Dates in, answers out."""

import datetime as dt
import enum


def consent_in_force(given_on: dt.date, valid_until: dt.date | None,
                     withdrawn_on: dt.date | None, day: dt.date) -> bool:
    """Whether a consent covers `day`: given on or before it, not expired, and not withdrawn.
    Withdrawal takes effect at once, from the day it is recorded (forvaltningsloven § 29 and
    sundhedsloven § 43 require consent for disclosure; issue 4 item 4: "Withdrawal takes
    effect at once")."""
    if day < given_on:
        return False
    if valid_until is not None and day > valid_until:
        return False
    return withdrawn_on is None or day < withdrawn_on


class ConsentStatus(enum.StrEnum):
    NOT_YET = "not_yet"
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


def consent_status(given_on: dt.date, valid_until: dt.date | None,
                   withdrawn_on: dt.date | None, day: dt.date) -> ConsentStatus:
    """The status shown on the case: withdrawn (from the withdrawal day, issue 4 item 4),
    expired (after `valid_until`), not yet given, or in force. IN_FORCE exactly when
    `consent_in_force` holds."""
    if withdrawn_on is not None and day >= withdrawn_on:
        return ConsentStatus.WITHDRAWN
    if valid_until is not None and day > valid_until:
        return ConsentStatus.EXPIRED
    if day < given_on:
        return ConsentStatus.NOT_YET
    return ConsentStatus.IN_FORCE


class PeriodProblem(enum.StrEnum):
    FUTURE = "future"
    UNTIL_BEFORE_GIVEN = "until_before_given"


def consent_period_problem(given_on: dt.date, valid_until: dt.date | None,
                           today: dt.date) -> PeriodProblem | None:
    """A consent is recorded when it has been given (not ahead of time), and its period cannot
    end before it begins: valid_until >= given_on (issue 4 item 4: each consent has its
    period)."""
    if given_on > today:
        return PeriodProblem.FUTURE
    if valid_until is not None and valid_until < given_on:
        return PeriodProblem.UNTIL_BEFORE_GIVEN
    return None


class WithdrawProblem(enum.StrEnum):
    ALREADY_WITHDRAWN = "already_withdrawn"
    EXPIRED = "expired"


def withdraw_problem(given_on: dt.date, valid_until: dt.date | None,
                     withdrawn_on: dt.date | None, today: dt.date) -> WithdrawProblem | None:
    """Whether a consent can be withdrawn today. Withdrawal is once and final: a withdrawn
    consent cannot be withdrawn again, and is undone only by recording a new consent (issue 4,
    "Bad input"). An expired consent has nothing left to withdraw."""
    status = consent_status(given_on, valid_until, withdrawn_on, today)
    if status == ConsentStatus.WITHDRAWN or withdrawn_on is not None:
        return WithdrawProblem.ALREADY_WITHDRAWN
    if status == ConsentStatus.EXPIRED:
        return WithdrawProblem.EXPIRED
    return None


def child_may_be_involved(under_18: bool) -> bool:
    """Whether a network person may be involved as a relative (pårørende). Children under 18
    are not involved as relatives; adult children may be, if they and the citizen want it
    (retningslinje 3.2.5). A child may still be recorded in the network, not involved."""
    return not under_18


def guardian_active(from_on: dt.date, ended_on: dt.date | None, day: dt.date) -> bool:
    """Whether a guardianship (værgemål, værgemålsloven) covers `day`: from its start, up to
    and including the day it ended (retningslinje 3.2.1)."""
    return from_on <= day and (ended_on is None or day <= ended_on)


def guardian_end_problem(from_on: dt.date, ended_on: dt.date | None, end_on: dt.date,
                         today: dt.date) -> str | None:
    """Why a guardianship cannot be ended on `end_on`: it has ended already ("ended"), the day
    is in the future ("future") or before the guardianship began ("before_start")."""
    if ended_on is not None:
        return "ended"
    if end_on > today:
        return "future"
    if end_on < from_on:
        return "before_start"
    return None


def follow_up_reopens(due: dt.date, today: dt.date, held_on: dt.date | None,
                      declined_on: dt.date | None, consent_given_on: dt.date | None = None
                      ) -> bool:
    """Whether a new consent to contact after discharge reopens a follow-up task: declining
    follow-up "can be undone only by recording a new consent" (issue 4, "Bad input";
    retningslinje 3.12.3, bek. 1477 § 4). Only a declined task with no outcome whose due date
    has not passed reopens; a task already past its due date stays declined. The consent must
    be new: given on or after the day the citizen declined (an older consent recorded late
    does not undo a later refusal)."""
    if consent_given_on is not None and declined_on is not None and consent_given_on < declined_on:
        return False
    return declined_on is not None and held_on is None and today <= due


def backdated_past_withdrawal(given_on: dt.date, last_withdrawal: dt.date | None) -> bool:
    """Whether a consent predates the latest withdrawal of a consent to the same party. Such a
    consent is refused: a withdrawal is undone only by a NEW consent (issue 4 item 4), so the
    new consent must be given on or after the day the last one was withdrawn."""
    return last_withdrawal is not None and given_on < last_withdrawal
