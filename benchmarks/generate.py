"""Generate a synthetic project tree in the ``raw/`` format, for benchmarks.

``python -m benchmarks.generate --articles N --seed S --out DIR`` writes
``DIR/raw/{sources,articles,actors.yaml}`` and copies ``schemas/`` and
``CITATION.cff`` from the repository, so that ``koreasec_data.compile.build.build(DIR)``
runs on it. Records per article, evidence per record, layout and vocabularies follow
the real ``raw/`` (see :mod:`benchmarks.realdata`); the same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

from benchmarks import prose
from benchmarks.actors import Actor, Pool
from benchmarks.realdata import Profile, read_profile
from benchmarks.records import Records

__all__ = ["Corpus", "generate", "main"]

REPOSITORY = Path(__file__).resolve().parent.parent
FIRST_DAY = dt.date(2022, 1, 1)


def dump(document: Any, comment: str) -> bytes:
    """Serialise ``document`` as curators' YAML under a comment line."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when present
    text = yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=10_000)
    return f"# {comment}\n{text}".encode()


class Corpus:
    """Articles written one after another, sharing one actor pool and one random state.

    Parameters
    ----------
    profile : Profile
        Rates of the real data.
    articles : int
        Number of articles.
    seed : int
        Seed of the ``random.Random`` that draws everything.
    """

    def __init__(self, profile: Profile, articles: int, seed: int):
        self.rng = random.Random(seed)
        self.profile = profile
        self.width = max(3, len(str(articles - 1)))
        self.pool = Pool(self.rng, profile, articles)
        self.records = Records(self.rng, profile, self.pool)
        self.intros: dict[int, list[Actor]] = {}
        for rank, actor in enumerate(self.pool.actors):
            home = rank * articles // len(self.pool.actors)
            for offset in range(max(1, self.records.draw(profile.evidence("actors")))):
                self.intros.setdefault((home + offset) % articles, []).append(actor)
        self.publishers = [f"{prose.name(self.rng)} News Agency" for _ in range(5)]
        self.articles, self.current = articles, 0
        #: Lines quoted before their article is written: index -> [(number, sentence)].
        self.planned: dict[int, list[tuple[int, str]]] = {}
        #: The planned filler line of an article that any record may quote: index -> line.
        self.shared: dict[int, str] = {}
        self.records.ahead = self.line_ahead

    def plan(self, later: int, template: str, **slots: Any) -> str:
        """Plan a sentence for article ``later``, with a number unused among its plans."""
        lines = self.planned.setdefault(later, [])
        taken = {number for number, _ in lines}
        number, sentence = prose.planned(self.rng, template, **slots)
        while number in taken:
            number, sentence = prose.planned(self.rng, template, **slots)
        lines.append((number, sentence))
        return sentence

    def line_ahead(self, template: str | None = None, **slots: Any) -> tuple[str, str] | None:
        """(source_id, quote) of a line in one of the next articles, planned for it now:
        the article's shared filler line, or a line of its own from ``template``."""
        if self.current + 1 >= self.articles:
            return None
        later = self.rng.randint(self.current + 1, min(self.articles - 1, self.current + 10))
        if template is not None:
            sentence = self.plan(later, template, **slots)
        else:
            if later not in self.shared:
                place = self.rng.choice(self.pool.states).place
                self.shared[later] = self.plan(later, self.rng.choice(prose.FILLER), place=place)
            sentence = self.shared[later]
        return f"src-{later:0{self.width}d}", sentence.removesuffix(".")

    def article(self, index: int) -> tuple[str, bytes, bytes]:
        """Write article ``index``: return (text file name, text bytes, YAML bytes)."""
        self.current, planned = index, self.planned.pop(index, [])
        self.shared.pop(index, None)
        aid = f"{index:0{self.width}d}"
        text = prose.Text(self.rng, reserved=[number for number, _ in planned])
        source_id = f"src-{aid}"
        published = FIRST_DAY + dt.timedelta(days=self.rng.randrange(4 * 365))
        document: dict[str, Any] = {"source": {}, "layout": []}
        document.update(self.records_of(text, aid, published))
        for _, line in planned:
            text.add(line)
        self.pad(text, index, source_id)
        headline, layout = self.layout(text, document)
        body = text.finish(headline, [quote for _, quote in layout]).encode()
        file_name = f"{aid}_{self.rng.getrandbits(64):016x}.txt"
        publisher = (
            self.rng.choice(self.publishers) if self.pool.given("sources", "publisher") else None
        )
        document["source"] = {
            "source_id": source_id,
            "file_name": file_name,
            "sha256": hashlib.sha256(body).hexdigest(),
            "publisher": publisher,
            "published": published,
            "published_basis": "Stated in the dateline.",
            "language": "en",
        }
        document = {key: value for key, value in document.items() if value}
        comment = f"Article {aid}, synthetic (benchmarks/generate.py)."
        return file_name, body, dump(document, comment)

    def records_of(self, text: prose.Text, aid: str, published: dt.date) -> dict[str, list]:
        """The article's events, statements and arms deals, in the real numbers per article."""
        counts = {table: self.records.draw(self.profile.per_article(table)) for table in _TABLES}
        events = [f"ev-{aid}-{j + 1:02d}" for j in range(counts["events"])]
        self.records.whats.clear()
        found = {
            "events": [
                self.records.event(text, event, published, events[:j])
                for j, event in enumerate(events)
            ]
        }
        found["statements"] = self.records.statements(
            text, aid, counts["statements"], published, events
        )
        deals = [f"deal-{aid}-{j + 1:02d}" for j in range(counts["arms_deals"])]
        found["arms_deals"] = [self.records.deal(text, rid, published, events) for rid in deals]
        return found

    def pad(self, text: prose.Text, index: int, source_id: str) -> None:
        """Introduce the actors whose evidence is here, then fill up to a realistic length."""
        for actor in self.intros.get(index, []):
            quote = text.say(self.rng.choice(prose.INTRO), a=actor.name)
            actor.record.setdefault("evidence", []).append({"source_id": source_id, "quote": quote})
        target = self.profile.text_length * self.rng.uniform(0.6, 1.4)
        places = [state.place for state in self.pool.states]
        filler = text.say(self.rng.choice(prose.FILLER), place=self.rng.choice(places))
        self.records.fillers.append((source_id, filler))
        while text.length() < target:
            text.say(self.rng.choice(prose.FILLER), place=self.rng.choice(places))

    def layout(self, text: prose.Text, document: dict[str, Any]) -> tuple[str, list]:
        """Draw the headline and the layout lines; fill ``document['layout']``."""
        a, b = (actor.name for actor in self.pool.pick(2))
        places = [state.place for state in self.pool.states]
        headline = text.write(prose.HEADLINE, a=a, b=b, what="talks")
        shares = self.profile.layout
        templates = {"headline": prose.SUBHEADING, "caption": prose.CAPTION}
        templates.update(credit=prose.CREDIT, related=prose.RELATED)
        lines = []
        for kind, template in templates.items():
            count = self.records.draw(max(0.0, shares[kind] - (kind == "headline")))
            # Caption-only events are clauses of the captions, as many as the real rate
            # of captions gives (at least one when there are such events).
            clauses = text.captions if kind == "caption" else []
            count = max(count, min(1, len(clauses)))
            for line in range(count):
                if clauses[line::count]:
                    lines.append((kind, "; ".join(clauses[line::count]) + "."))
                    continue
                slots = {"a": a, "b": b.upper() if kind == "credit" else b}
                lines.append((kind, text.write(template, place=self.rng.choice(places), **slots)))
        document["layout"] = [{"position": "headline", "quote": headline}] + [
            {"position": kind, "quote": line} for kind, line in lines
        ]
        return headline, lines

    def actors_yaml(self) -> bytes:
        """The actor registry, once every article is written."""
        records = [actor.record for actor in self.pool.actors]
        return dump({"actors": records}, "Actor registry, synthetic (benchmarks/generate.py).")


_TABLES = ("events", "statements", "arms_deals")


def generate(out: Path, articles: int, seed: int = 0, repository: Path = REPOSITORY) -> Path:
    """Write a synthetic project of ``articles`` articles into ``out``; return ``out``.

    Raises
    ------
    FileExistsError
        If ``out/raw`` exists: a corpus is never written over another tree.
    """
    out, raw = Path(out), Path(out) / "raw"
    if raw.exists():
        raise FileExistsError(f"{raw} exists; choose an empty directory")
    (raw / "sources").mkdir(parents=True)
    (raw / "articles").mkdir()
    corpus = Corpus(read_profile(repository), articles, seed)
    for index in range(articles):
        file_name, body, document = corpus.article(index)
        (raw / "sources" / file_name).write_bytes(body)
        (raw / "articles" / f"{file_name.partition('_')[0]}.yaml").write_bytes(document)
    (raw / "actors.yaml").write_bytes(corpus.actors_yaml())
    shutil.copytree(repository / "schemas", out / "schemas", dirs_exist_ok=True)
    shutil.copyfile(repository / "CITATION.cff", out / "CITATION.cff")
    return out


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m benchmarks.generate --articles N --seed S --out DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True, help="number of articles")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    args = parser.parse_args(argv)
    generate(args.out, args.articles, args.seed)
    print(f"wrote {args.articles} articles to {args.out / 'raw'}")


if __name__ == "__main__":
    main()
