"""Pure rules of the indicators the quality self-assessment reads as evidence (issue 6 item 6;
kpis_quality.py): which tracks are medical and which psychosocial treatment, the share of the
two kinds in use, which facts make a course's registration complete, and which plans count as
linked."""

from forlob.pathway.rules import Outcome, Track

#: Medical treatment of drug use (lægelig behandling, sundhedsloven § 142). KL anbefaling 9:
#: "Det enkelte behandlingssted skal sikre medicinsk og psykosocial behandling"; nationale
#: retningslinjer 2.3.7: each provider must ensure both medical and social treatment.
MEDICAL_TRACKS = (Track.MEDICAL_DRUG.value,)

#: Psychosocial treatment: social drug treatment (serviceloven § 101), anonymous drug treatment
#: (§ 101 a) and alcohol treatment (sundhedsloven § 141) [inference: § 141 treatment is counted
#: as psychosocial, since Forløb records no separate medical alcohol track].
PSYCHOSOCIAL_TRACKS = (Track.SOCIAL_DRUG.value, Track.ANONYMOUS_DRUG.value,
                       Track.ALCOHOL.value)

#: The two kinds KL anbefaling 9 asks for.
TREATMENT_KINDS = 2


def kinds_in_use(medical_courses: int, psychosocial_courses: int) -> float | None:
    """Share of the two kinds of treatment (medical, psychosocial) in use: 1.0 when both had a
    course in treatment, 0.5 for one, 0.0 for none; None without any course at all (no cases,
    no figure). KL anbefaling 9; retningslinje 2.3.7."""
    if medical_courses < 0 or psychosocial_courses < 0:
        raise ValueError("course counts cannot be negative")
    if not medical_courses and not psychosocial_courses:
        return None
    return ((medical_courses > 0) + (psychosocial_courses > 0)) / TREATMENT_KINDS


#: Decisions whose intensity is the visitation's intensity: grants, full or partial.
GRANTING_OUTCOMES = (Outcome.GRANT.value, Outcome.PARTIAL.value)

#: The discharge fields that must hold a value besides the date, for the register: reason,
#: status of use, housing and means of support (retningslinje 3.11.1; bek. nr. 1094 af
#: 22.10.2019, bilag 4, SMDB). The other two of the seven (self-help contact, moving in with a
#: drug-free partner) are yes/no fields that always hold a value.
DISCHARGE_TEXT_FIELDS = ("reason", "use_status", "housing", "means_of_support")


def registration_complete(started_in_period: bool, discharged_in_period: bool, *,
                          enrolled: bool, provider: bool, intensity: bool,
                          discharge_fields: tuple[str, ...] = ()) -> bool | None:
    """Whether one course's register facts for the period are complete (KL anbefaling 7.1;
    retningslinje 2.7.6 and 3.11.1; bek. nr. 1094 af 22.10.2019, bilag 4, SMDB):

    - started in the period: enrolled with a provider (tilbudstilknytning and indskrivning)
      and an intensity recorded (on a granting decision or on a treatment plan);
    - discharged in the period: every discharge field holds a value (`discharge_fields` are
      the values of DISCHARGE_TEXT_FIELDS).

    None when the course has no register event in the period (it is not counted)."""
    if not started_in_period and not discharged_in_period:
        return None
    start_ok = enrolled and provider and intensity
    discharge_ok = len(discharge_fields) == len(DISCHARGE_TEXT_FIELDS) and all(
        discharge_fields)
    return (start_ok or not started_in_period) and (discharge_ok or not discharged_in_period)


def plan_linked(action_plan_141: bool, coordinating_plan: bool) -> bool:
    """A treatment plan is linked when it refers to a handleplan after serviceloven § 141 or to
    a koordinerende indsatsplan (KL anbefaling 12.2: the municipality's cooperation around the
    single citizen; nationale retningslinjer 2.6, 2.6.13)."""
    return bool(action_plan_141 or coordinating_plan)
