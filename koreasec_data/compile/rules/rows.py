"""The rules of each row on its own, across its columns: a row that passed once passes
while it is unchanged."""

from __future__ import annotations

from koreasec_data.compile import codes
from koreasec_data.compile.rules.masks import reject
from koreasec_data.problems import Finding

__all__ = ["dated", "located", "sized", "speakers", "state_codes", "stated_values"]

DATE_SET = "date must be set exactly when date_precision is neither 'undated' nor 'on_or_before'"
END_SET = "date_end must be set exactly when date_precision is neither 'undated' nor 'on_or_after'"
ONE_DAY = "a day-precision date must end on the day it starts"
EARLIEST = "date_earliest must be date (null for 'on_or_before' and undated)"
LATEST = "date_latest must be date_end where that is set, and null when undated"
POSSIBLE_ORDER = "date_earliest must not be after date_latest"
ORIGIN_SET = "date_origin must be set exactly when the record is dated"
INFERRED_BASIS = "an inferred date or location needs its basis (date_basis, location_basis)"
SIZE_ORDER = "sizes must be in order: size_low <= size_best <= size_high"
SIZE_STATED = "size_as_stated must be set exactly when a size (low, best or high) is coded"
LOCATION_ORIGIN = "location_origin must be set exactly when the location is known"
STATES_ONLY = "cow_code is for actors of type 'state' only"
NO_SPEAKER = "give speaker_id, or speaker_description (and speaker_affiliation_id if known)"
NAMED_AND_DESCRIBED = "a named speaker takes no speaker_description or speaker_affiliation_id"


def dated(frame, table: str) -> list[Finding]:
    """date and date_end are set as the precision says (a bound has one side only), in
    order; a dated record says where its date comes from, and an inferred one why."""
    precision = frame["date_precision"]
    has_date, has_end = frame["date"].notna(), frame["date_end"].notna()
    wants_date = ~precision.isin(["undated", "on_or_before"])
    wants_end = ~precision.isin(["undated", "on_or_after"])
    late = has_date & has_end & (frame["date"] > frame["date_end"])
    one_day = (precision == "day") & (frame["date"] != frame["date_end"])
    origin = frame["date_origin"]
    inferred = (origin == "inferred") & frame["date_basis"].isna()
    return [
        *_possible(frame, table),
        *reject(table, has_date != wants_date, "date", DATE_SET),
        *reject(table, has_end != wants_end, "date_end", END_SET),
        *reject(table, late, "date", "date is after date_end"),
        *reject(table, one_day, "date_end", ONE_DAY),
        *reject(table, origin.notna() != (precision != "undated"), "date_origin", ORIGIN_SET),
        *reject(table, inferred, "date_basis", INFERRED_BASIS),
    ]


def _possible(frame, table: str) -> list[Finding]:
    """date_earliest and date_latest agree with the stored interval or bound."""
    earliest, latest = frame["date_earliest"], frame["date_latest"]
    date, end = frame["date"], frame["date_end"]
    wrong_earliest = (earliest.isna() != date.isna()) | (earliest != date)
    undated = frame["date_precision"] == "undated"
    wrong_latest = (end.notna() & (latest.isna() | (latest != end))) | (undated & latest.notna())
    return [
        *reject(table, wrong_earliest, "date_earliest", EARLIEST),
        *reject(table, wrong_latest, "date_latest", LATEST),
        *reject(table, earliest > latest, "date_earliest", POSSIBLE_ORDER),
    ]


def sized(frame, table: str) -> list[Finding]:
    """Sizes are ordered and come with the words they were read from."""
    low, best, high = frame["size_low"], frame["size_best"], frame["size_high"]
    disordered = (low > best) | (best > high) | (low > high)
    coded = low.notna() | best.notna() | high.notna()
    return [
        *reject(table, disordered, "size_low", SIZE_ORDER),
        *reject(table, coded != frame["size_as_stated"].notna(), "size_as_stated", SIZE_STATED),
    ]


def located(frame, table: str) -> list[Finding]:
    """A known location says whether it is stated or inferred, and an inferred one why."""
    known = frame["location_precision"] != "unknown"
    origin = frame["location_origin"]
    inferred = (origin == "inferred") & frame["location_basis"].isna()
    return [
        *reject(table, origin.notna() != known, "location_origin", LOCATION_ORIGIN),
        *reject(table, inferred, "location_basis", INFERRED_BASIS),
    ]


def _cow_problem(code, country) -> str | None:
    """Why a state's COW number is not the one of its country (or of any state)."""
    expected = codes.cow_code_of(country)
    if codes.cow_state(code) is None:
        return f"cow_code {code} is no state's number in the Correlates of War state list"
    if country and expected is None:
        return f"country {country} is no state of the Correlates of War list; check both"
    if country and code != expected:
        return (
            f"cow_code {code} is {codes.cow_state(code)}'s, not that of country {country} "
            f"({codes.cow_state(expected)}: {expected})"
        )
    return None


def state_codes(frame, table: str) -> list[Finding]:
    """Correlates of War codes are given for states, and only for states: the number COW
    gives the state's country (a state of the past without one: a number COW lists)."""
    import pandas as pd

    is_state = frame["actor_type"] == "state"
    has_code = frame["cow_code"].notna()
    coded = frame[has_code & is_state]  # a code off a state is refused as such
    pairs = zip(coded.index, coded["cow_code"], coded["country"], strict=True)
    wrong = [
        Finding(table, int(row), "cow_code", problem)
        for row, code, country in pairs
        if (problem := _cow_problem(int(code), None if pd.isna(country) else country))
    ]
    return [
        *reject(table, is_state & ~has_code, "cow_code", "a state needs its cow_code"),
        *reject(table, ~is_state & has_code, "cow_code", STATES_ONLY),
        *wrong,
    ]


def speakers(frame, table: str) -> list[Finding]:
    """A statement names its speaker, or describes an unnamed one (affiliation if known)."""
    named = frame["speaker_id"].notna()
    described = frame["speaker_description"].notna()
    partly = described | frame["speaker_affiliation_id"].notna()
    return [
        *reject(table, ~named & ~described, "speaker_id", NO_SPEAKER),
        *reject(table, named & partly, "speaker_id", NAMED_AND_DESCRIBED),
    ]


def stated_values(frame, table: str) -> list[Finding]:
    """A numeric value comes with its currency and the wording it was read from."""
    has_value = frame["value"].notna()
    return [
        finding
        for column in ("currency", "value_as_stated")
        for finding in reject(
            table, has_value & frame[column].isna(), column, f"a value needs its {column}"
        )
    ]
