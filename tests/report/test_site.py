"""The site as files: every page there, every link inside it, and no full text without
the texts (rights). The same pages in a real browser: tests/contracts/test_browser.py."""

from __future__ import annotations

import html
import html.parser
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import page_text, unquoted_sentences

from koreasec_data.report.site import write_report


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids, self.open_links, self.nested = [], set(), 0, 0

    def handle_endtag(self, tag):
        self.open_links -= tag == "a"

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.nested += self.open_links > 0
            self.open_links += 1
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.hrefs.append(attrs[name])


def parsed(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def test_every_record_has_its_page(site, tables):
    assert (site / "index.html").is_file() and (site / "timeline.html").is_file()
    for source in tables["sources"]["source_id"].to_pylist():
        assert (site / "articles" / f"{source}.html").is_file()
    for table, key in (
        ("actors", "actor_id"),
        ("events", "event_id"),
        ("statements", "statement_id"),
        ("arms_deals", "deal_id"),
    ):
        pages = sorted(path.stem for path in (site / "records" / table).iterdir())
        assert pages == sorted(tables[table][key].to_pylist())
    assert sorted(path.stem for path in (site / "tables").iterdir()) == sorted(tables)


def test_every_internal_link_and_anchor_resolves(site):
    pages = {path: parsed(path) for path in site.rglob("*.html")}
    checked = 0
    for path, links in pages.items():
        for href in links.hrefs:
            url = urlsplit(href)
            assert not url.scheme and not url.netloc, f"{path.name} links out: {href}"
            target = (path.parent / unquote(url.path)).resolve() if url.path else path
            assert target.is_file(), f"{path.relative_to(site)}: {href} is missing"
            if url.fragment:
                assert url.fragment in pages[target].ids, f"{path.name}: {href} has no anchor"
            checked += 1
        assert links.nested == 0, f"{path.relative_to(site)} has a link inside a link"
    assert checked > 1000


def test_without_texts_no_article_text_is_in_the_site(bare_site, site, tables):
    pages = {
        path: page_text(path.read_text(encoding="utf-8")) for path in bare_site.rglob("*.html")
    }
    with_texts = "".join(
        page_text(path.read_text(encoding="utf-8"), seen_only=True) for path in site.rglob("*.html")
    )
    for source_id, sentences in unquoted_sentences(tables).items():
        assert len(sentences) >= 5
        for sentence in sentences:
            assert all(sentence not in page for page in pages.values()), sentence
            assert sentence in with_texts, "the checkout's site shows the text"
        page = pages[bare_site / "articles" / f"{source_id}.html"]
        assert "The full text is not part of this package" in page


def test_a_new_report_replaces_the_old_whole(built, tmp_path):
    dest = tmp_path / "site"
    write_report(dest, built)
    (dest / "stale.html").write_text("from an older version")
    written = write_report(dest, built)
    assert not (dest / "stale.html").exists()
    assert sorted(written) == sorted(p.relative_to(dest) for p in dest.rglob("*") if p.is_file())


def test_a_report_never_replaces_other_files(built, tmp_path, monkeypatch):
    notes = tmp_path / "thesis"
    notes.mkdir()
    (notes / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match=r"not a review site.*choose a new or empty folder"):
        write_report(notes, built)
    assert [p.name for p in notes.iterdir()] == ["notes.txt"]
    with pytest.raises(ValueError, match="is a file"):
        write_report(notes / "notes.txt", built)
    monkeypatch.chdir(notes)
    with pytest.raises(ValueError, match="is the current folder"):
        write_report(".", built)
    (tmp_path / "empty").mkdir()
    assert write_report(tmp_path / "empty", built)


def report(built, dest, texts):
    command = [sys.executable, "-m", "koreasec_data", "report", str(built), "--dest", str(dest)]
    return subprocess.run([*command, "--texts", str(texts)], capture_output=True, text=True)


def test_the_command_writes_the_site_of_a_package_folder(built, root, tmp_path):
    dest = tmp_path / "review"
    result = report(built, dest, root / "raw" / "sources")
    assert result.returncode == 0, result.stderr
    assert "with article texts" in result.stdout and str(dest / "index.html") in result.stdout
    assert 'class="text"' in (dest / "articles" / "src-000.html").read_text(encoding="utf-8")


def test_the_command_says_what_to_do_with_texts_that_do_not_match(built, tmp_path):
    (tmp_path / "sources").mkdir()
    result = report(built, tmp_path / "site", tmp_path / "sources")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "give --texts the raw/sources folder" in result.stderr
    assert not (tmp_path / "site").exists()
