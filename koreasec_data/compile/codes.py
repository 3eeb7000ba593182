"""The code lists a column's values are checked against, from maintained packages.

A column of ``schemas/`` names its list with :data:`CODE_LIST_KEY` (see
:attr:`koreasec_data.fields.Field.code_list`). The lists are not typed here: ISO 3166-1
alpha-3 and ISO 4217 come from ``pycountry`` (the Debian iso-codes tables), Correlates of
War state numbers and their ISO 3166-1 counterparts from ``countrycode`` (Arel-Bundock's
codelist). Both are pinned in ``lock/build.txt``; upgrading them may add or retire codes.
"""

from __future__ import annotations

import difflib
from functools import cache

__all__ = [
    "COUNTRY",
    "CURRENCY",
    "cow_code_of",
    "cow_codes_by_country",
    "cow_state",
    "unknown_code",
]

COUNTRY = "ISO 3166-1 alpha-3"
CURRENCY = "ISO 4217"


@cache
def _codes(code_list: str) -> frozenset[str]:
    import pycountry

    tables = {COUNTRY: pycountry.countries, CURRENCY: pycountry.currencies}
    return frozenset(entry.alpha_3 for entry in tables[code_list])


def unknown_code(code_list: str, value: str) -> str | None:
    """Why ``value`` is not a code of ``code_list``, or None if it is.

    Examples
    --------
    >>> unknown_code(COUNTRY, "KOR") is None
    True
    >>> unknown_code(COUNTRY, "KOP")
    "'KOP' is not an ISO 3166-1 alpha-3 code; did you mean KOR?"
    >>> unknown_code(CURRENCY, "QQQ")
    "'QQQ' is not an ISO 4217 code; look it up in the standard's table"
    """
    codes = _codes(code_list)
    if value in codes:
        return None
    close = difflib.get_close_matches(value, sorted(codes), n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(close)}?" if close else "look it up in the standard's table"
    article = "an" if code_list[0] in "AEFHILMNORSX" else "a"
    return f"{value!r} is not {article} {code_list} code; {hint}"


@cache
def cow_codes_by_country() -> dict[str, int]:
    """Every ISO 3166-1 alpha-3 country that is a Correlates of War state, and its number."""
    from countrycode import countrycode

    countries = sorted(_codes(COUNTRY))
    numbers = countrycode(countries, origin="iso3c", destination="cown")
    return {iso: int(number) for iso, number in zip(countries, numbers, strict=True) if number}


def cow_code_of(country: str | None) -> int | None:
    """The Correlates of War state number of an ISO 3166-1 alpha-3 country, or None.

    Examples
    --------
    >>> cow_code_of("KOR"), cow_code_of("PRK"), cow_code_of("ATA")
    (732, 731, None)
    """
    return cow_codes_by_country().get(country) if country else None


@cache
def cow_state(number: int) -> str | None:
    """The name of the state a Correlates of War number stands for (a state of the past
    too), or None if the COW state list has no such number.

    Examples
    --------
    >>> cow_state(732), cow_state(265), cow_state(999)
    ('South Korea', 'German Democratic Republic', None)
    """
    from countrycode import countrycode

    return countrycode(int(number), origin="cown", destination="country.name")
