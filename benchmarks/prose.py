"""Synthetic English news prose: names, date phrases and sentences with unique numbers.

Every sentence carries a number drawn once per article, so any sentence (or the part
of it that holds the number) occurs exactly once in its article and can be quoted
as evidence without ``occurrence``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

__all__ = ["Text", "date_phrase", "join", "name", "words"]

_ONSETS = ["b", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "y", "ch"]
_VOWELS = ["a", "e", "i", "o", "u", "ae", "ia"]
_CODAS = ["", "", "n", "r", "l", "s", "ng", "k"]

EVENT = (
    "{a} and {b} were involved in a {what}{when}, officials said, citing a briefing to "
    "{n} lawmakers.",
    "{a} carried out a {what} with {b}{when}, according to a report that listed {n} "
    "separate incidents.",
    "{a} announced a {what} involving {b}{when}, with some {n} personnel taking part.",
)
PARTICIPANT = "{b} confirmed its role in the {what} in a note numbered {n}."
AGAIN = "A second account of {about} cited {n} witnesses."
#: An event known only from a photo: a clause of a caption, naming every participant.
CAPTION_EVENT = "{a} with {b} at the {what}{when}, in photo {n}"
#: The words of a statement that refer to one of its events (statement_events evidence).
LINK = "The remarks by {who} bore on the {what}, a transcript numbered {n} showed."
DIRECT = (
    "What {b} has done cannot go unanswered, and {n} partners share our view",
    "The actions of {b} over the past {n} days leave us no choice but to respond",
    "Our position on {b} has not changed since meeting number {n}",
)
INDIRECT = (
    "{b} had moved some {n} troops closer to the border",
    "talks with {b} would resume once {n} detainees were released",
)
DEAL = (
    "The supply of {item} by {a} to {b} was described as {status}{when}{extra}, "
    "in trade records numbered {n}."
)
INTRO = (
    "{a} was named in {n} dispatches on the peninsula this year.",
    "{a}, cited {n} times in regional reporting, declined to comment.",
)
FILLER = (
    "Analysts in {place} noted that {n} shipments had passed through the port since the spring.",
    "The agency said {n} people attended the briefing, which lasted several hours.",
    "Markets in {place} fell by {n} points after the news broke.",
    "Satellite images showed about {n} vehicles near the crossing at {place}.",
    "A poll of {n} residents of {place} found most opposed the plan.",
)
HEADLINE = "{a} and {b} in {what} as {n} delegates gather"
SUBHEADING = "- {n} at {place} -"
CAPTION = "{a} speaks at a meeting in {place}, in a photo released by {b} (file {n})."
CREDIT = "© {a} / {b} ({n})"
RELATED = "{a} says ties with {b} depend on {n} pending talks"


def words(value: str) -> str:
    """Turn a vocabulary value into words.

    Examples
    --------
    >>> words("declines_to_confirm")
    'declines to confirm'
    """
    return value.replace("_", " ")


def join(names: list[str]) -> str:
    """Join names as English does.

    Examples
    --------
    >>> join(["A"]), join(["A", "B"]), join(["A", "B", "C"])
    ('A', 'A and B', 'A, B and C')
    """
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def name(rng: random.Random, syllables: int = 2) -> str:
    """Return an invented capitalised word of ``syllables`` syllables."""
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)]
    return ("".join(parts) + rng.choice(_CODAS)).capitalize()


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def date_phrase(
    rng: random.Random, form: str, published: dt.date, past: bool = True
) -> tuple[Any, str]:
    """Return (``date`` as written in YAML, the phrase the text uses) for a date form.

    With ``past``, the date ends by the publication day (a reported past fact: a month
    or year is an earlier one than the publication's); otherwise it may run beyond.
    """
    back = dt.timedelta(days=rng.randint(0, 6))
    if form == "iso_day":
        day = published - back
        return day, f" on {_day(day)}"
    if form == "weekday":
        weekday = calendar.day_name[(published - back).weekday()]
        return weekday, f" on {weekday}"
    if form == "relative_day":
        word = rng.choice(("today", "yesterday"))
        return word, f" {word}"
    if form == "this_week":
        return "this week", " this week"
    if form == "on_or_before":
        if rng.random() < 0.5:
            return "on or before publication", " before this report"
        day = published - back
        return f"on or before {day}", f" by {_day(day)}"
    earlier = published - dt.timedelta(days=rng.randint(20, 400))
    if form == "on_or_after":
        return f"on or after {earlier}", f" since {_day(earlier)}"
    if form == "iso_week":
        iso = earlier.isocalendar()
        return f"{iso.year}-W{iso.week:02d}", f" in week {iso.week} of {iso.year}"
    if past and earlier.month == published.month:  # 'June' is the latest June: not this one
        earlier = earlier.replace(day=1) - dt.timedelta(days=1)  # the month before
    if form == "month_name":
        month = calendar.month_name[earlier.month]
        return month, f" in {month}"
    if form == "iso_month":
        return f"{earlier:%Y-%m}", f" in {earlier:%B %Y}"
    if form == "year":
        year = earlier.year - (past and earlier.year == published.year)
        return year, f" in {year}"
    if form == "range":
        end = earlier + dt.timedelta(days=rng.randint(1, 19))
        return f"{earlier}/{end}", f" between {earlier.day} {earlier:%B} and {_day(end)}"
    return None, ""


def planned(rng: random.Random, template: str, **slots: Any) -> tuple[int, str]:
    """A sentence for a text not written yet: (its number, the sentence)."""
    number = rng.randrange(100, 100_000)
    return number, template.format(n=f"{number:,}", **slots)


class Text:
    """An article text being written: one paragraph per line, a fresh number per sentence.

    Parameters
    ----------
    rng : random.Random
        The generator's random state.
    reserved : iterable of int, optional
        Numbers no sentence may take: those of the sentences planned for this text
        beforehand (:func:`planned`), added with :meth:`add`.
    """

    def __init__(self, rng: random.Random, reserved: Iterable[int] = ()):
        self.rng = rng
        self.lines: list[str] = []
        self.quotes: list[str] = []
        #: Clauses of photo captions (events known only from a photo), for the layout.
        self.captions: list[str] = []
        self._used: set[int] = set(reserved)

    def write(self, template: str, **slots: Any) -> str:
        """Fill ``template`` (``{n}`` gets a number unused in this text) and return it."""
        number, sentence = planned(self.rng, template, **slots)
        while number in self._used:
            number, sentence = planned(self.rng, template, **slots)
        self._used.add(number)
        return sentence

    def say(self, template: str, **slots: Any) -> str:
        """Add a paragraph from ``template``; return its quotable part (without the stop)."""
        return self.add(self.write(template, **slots))

    def add(self, sentence: str) -> str:
        """Add ``sentence`` as a paragraph; return it without the stop, as a quote."""
        self.lines.append(sentence)
        return self.quote(sentence.removesuffix("."))

    def quote(self, quote: str) -> str:
        """Remember ``quote`` for the final check that it occurs exactly once; return it."""
        self.quotes.append(quote)
        return quote

    def length(self) -> int:
        """Characters written so far."""
        return sum(len(line) + 2 for line in self.lines)

    def finish(self, headline: str, layout: list[str]) -> str:
        """Shuffle the body, put ``headline`` first and ``layout`` lines among the body.

        Raises
        ------
        ValueError
            If a quote does not occur exactly once (a bug in the templates).
        """
        body = list(self.lines)
        self.rng.shuffle(body)
        for line in layout:
            body.insert(self.rng.randint(0, len(body)), line)
        text = "\n\n".join([headline, *body]) + "\n"
        for quote in [headline, *layout, *self.quotes]:
            first = text.find(quote)
            if first == -1 or text.find(quote, first + 1) != -1:
                raise ValueError(f"quote {quote!r} does not occur exactly once")
        return text
