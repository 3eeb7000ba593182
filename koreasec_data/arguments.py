"""What a user hands the public functions, checked once: argument types, known names
(with the closest one suggested), and the checkout a curator command needs.

Each mistake becomes one line that says what was wrong and what to give instead.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["CHECKOUT", "choose", "need_checkout", "need_package", "typed", "unknown"]

#: What a curator command run outside a checkout of the repository is told.
CHECKOUT = (
    "run it in a checkout of the repository (git clone "
    "https://github.com/koreasec-data/koreasec-data; see the README's 'Build it yourself')"
)


def unknown(kind: str, name: str, known: Iterable[str]) -> ValueError:
    """The error for a ``kind`` (e.g. ``table``) that is not one of ``known``: the closest
    known name suggested, or all of them listed.

    Examples
    --------
    >>> unknown("table", "event", ["actors", "events"])
    ValueError("unknown table 'event'; did you mean 'events'?")
    >>> unknown("style", "mla", ["bibtex", "apa"])
    ValueError("unknown style 'mla'; choose one of: bibtex, apa")
    """
    import difflib

    known = list(known)
    close = difflib.get_close_matches(name, known, n=1)
    if not close:  # a difference of case only, e.g. 'Events'
        close = [k for k in known if k.lower() == name.lower()][:1]
    hint = f"did you mean {close[0]!r}?" if close else f"choose one of: {', '.join(known)}"
    return ValueError(f"unknown {kind} {name!r}; {hint}")


def choose(kind: str, name: str, known: Iterable[str]) -> str:
    """Return ``name`` if it is one of ``known``, else raise :func:`unknown`'s error.

    Examples
    --------
    >>> choose("backend", "arrow", ("pandas", "arrow"))
    'arrow'
    >>> choose("backend", "panda", ("pandas", "arrow"))
    Traceback (most recent call last):
    ...
    ValueError: unknown backend 'panda'; did you mean 'pandas'?
    """
    known = list(known)
    if name not in known:
        raise unknown(kind, name, known)
    return name


def typed(function):
    """Check each argument of ``function`` against its annotation when it is called:
    a wrong type raises a ``TypeError`` naming the argument, before anything runs.

    Annotations are read on the first call (``str``, ``Path`` for any path-like,
    ``None``, unions of these, ``tuple[...]``).

    Examples
    --------
    >>> @typed
    ... def shout(word: str, times: int | None = None) -> str:
    ...     return word.upper()
    >>> shout("yes")
    'YES'
    >>> shout(2)
    Traceback (most recent call last):
    ...
    TypeError: shout(word=2): word must be a str, not int
    """
    code = function.__code__
    names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
    expected: dict[str, tuple] = {}

    @functools.wraps(function)
    def checked(*args, **kwargs):
        if not expected:
            expected.update(_expected(function))
        for name, value in (*zip(names, args, strict=False), *kwargs.items()):
            kinds = expected.get(name)
            if kinds is not None and not _is(value, kinds):
                wanted = " or ".join("None" if kind is None else kind.__name__ for kind in kinds)
                raise TypeError(
                    f"{function.__name__}({name}={value!r}): {name} must be a {wanted}, "
                    f"not {type(value).__name__}"
                )
        return function(*args, **kwargs)

    return checked


def _expected(function) -> dict[str, tuple]:
    """Argument name -> the classes (None for None) its annotation allows."""
    import typing

    hints = typing.get_type_hints(function)
    hints.pop("return", None)
    allowed = {}
    for name, hint in hints.items():
        kinds = typing.get_args(hint) if _is_union(hint) else (hint,)
        kinds = tuple(None if k is type(None) else typing.get_origin(k) or k for k in kinds)
        if all(kind is None or isinstance(kind, type) for kind in kinds):
            allowed[name] = kinds
    return allowed


def _is_union(hint) -> bool:
    import types
    import typing

    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def _is(value, kinds: tuple) -> bool:
    for kind in kinds:
        if kind is None:
            if value is None:
                return True
        elif kind is Path:
            if isinstance(value, (str, os.PathLike)):
                return True
        elif isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return True
    return False


def need_checkout(root: Path, command: str) -> Path:
    """Return ``root`` if it is a checkout of the repository (it has ``raw/`` and
    ``schemas/``); else raise a ``FileNotFoundError`` saying what ``command`` needs."""
    missing = _not_in_checkout(Path(root))
    if missing:
        where = "here" if Path(root) == Path(".") else str(root)
        raise FileNotFoundError(
            f"'koreasec-data {command}' is for curators: {where} is not a checkout of the "
            f"repository (no {missing}); {CHECKOUT}"
        )
    return Path(root)


def need_package(directory: Path, versions: bool = False) -> Path:
    """Return ``directory`` if it holds a built package; else raise a
    ``FileNotFoundError`` saying how to get one, in a checkout or not (or, where
    ``versions`` are accepted too, to name one)."""
    if (directory / "datapackage.json").is_file():
        return directory
    build = (
        f"{CHECKOUT}, then 'koreasec-data build'"
        if _not_in_checkout(Path("."))
        else "in this checkout, run 'koreasec-data build' first"
    )
    or_version = " nor a version (X.Y.Z)" if versions else ""
    raise FileNotFoundError(
        f"{directory} is not a built package (no datapackage.json){or_version}: give the "
        "folder of one ('koreasec-data download --dest DIR' copies the installed data there)"
        f"{', a released version' if versions else ''} or, to build one, {build}"
    )


def _not_in_checkout(root: Path) -> str:
    """The checkout's folders missing at ``root`` (``raw/ or schemas/``), or ''."""
    return " or ".join(f"{name}/" for name in ("raw", "schemas") if not (root / name).is_dir())
