"""The review site in a real browser: Debian's Chromium, driven by its ChromeDriver.

Every page loads from ``file://`` with no console message and no request elsewhere, every
link and anchor resolves, marks and quotes are those of the data, and a reader with only a
keyboard can reach and see everything (axe-core checks contrast, headings and names).
``.ci/run`` installs the browser and sets KOREASEC_TEST_BROWSER=required, so CI runs
these; elsewhere they skip, saying how to install it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyarrow.compute as pc
import pytest

from koreasec_data.report.values import shown

#: Chromium's flags for a closed network (no background fetches, no sync, no updates).
FLAGS = [
    *("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"),
    *("--disable-background-networking", "--disable-component-update", "--disable-sync"),
    "--window-size=1280,1000",
]
#: What Tab should stop at: links, inputs (one per radio group), focusable regions.
TAB_STOPS = (
    '() => [...document.querySelectorAll(\'a[href], [tabindex="0"], '
    "input:not([type=radio]), input[type=radio]:checked')].filter(e => e.checkVisibility()).length"
)
ALL_PAGES = "() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href'))"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and chromedriver):
        message = "Chromium is not installed: apt-get install chromium chromium-driver"
        if os.environ.get("KOREASEC_TEST_BROWSER") == "required":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    yield driver
    driver.quit()


def visit(browser, page: Path) -> tuple[list[dict], list[str]]:
    """Open ``page``; return what the console said and every URL the page requested.

    Requests are those made for a document of the site (the browser's own ``chrome://``
    pages make theirs too)."""
    browser.get_log("browser"), browser.get_log("performance")  # forget the previous page
    browser.get(page.as_uri())
    browser.execute_script("return document.readyState")
    console = browser.get_log("browser")
    requests = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent" and params["documentURL"].startswith(
            "file://"
        ):
            requests.append(params["request"]["url"])
    return console, requests


def script(browser, body: str):
    return browser.execute_script(f"return ({body})()")


def test_every_page_loads_cleanly_and_every_link_resolves(browser, site):
    pages = sorted(site.rglob("*.html"))
    ids, links = {}, []
    for page in pages:
        console, requests = visit(browser, page)
        assert console == [], f"{page.relative_to(site)}: {console}"
        assert page.as_uri() in requests and all(url.startswith("file://") for url in requests)
        ids[page] = set(
            script(browser, "() => [...document.querySelectorAll('[id]')].map(e => e.id)")
        )
        links += [(page, href) for href in script(browser, ALL_PAGES)]
    assert len(pages) > 100 and len(links) > 1000
    for page, href in links:
        url = urlsplit(href)
        assert not url.scheme, f"{page.name} links out: {href}"
        target = (page.parent / unquote(url.path)).resolve() if url.path else page
        assert target in ids, f"{page.relative_to(site)}: {href} is not a page of the site"
        assert not url.fragment or url.fragment in ids[target], f"{page.name}: {href}"


def test_an_article_marks_each_of_its_evidence_rows(browser, site, tables):
    evidence = tables["evidence"]
    for source in tables["sources"]["source_id"].to_pylist():
        expected = evidence.filter(pc.equal(evidence["source_id"], source))
        visit(browser, site / "articles" / f"{source}.html")
        marked = script(
            browser,
            "() => new Set([...document.querySelectorAll('.text a.span')]"
            ".flatMap(a => a.dataset.evidence.split(' '))).size",
        )
        assert marked == expected.num_rows
        listed = script(
            browser, "() => [...document.querySelectorAll('ol.spans q')].map(q => q.textContent)"
        )
        assert sorted(listed) == sorted(expected["quote"].to_pylist())


def test_a_record_page_shows_each_of_its_quotes(browser, site, tables):
    evidence = tables["evidence"]
    for table, key in (
        ("actors", "actor_id"),
        ("events", "event_id"),
        ("statements", "statement_id"),
        ("arms_deals", "deal_id"),
    ):
        for record_id in tables[table][key].to_pylist():
            visit(browser, site / "records" / table / f"{record_id}.html")
            quotes = script(
                browser,
                "() => [...document.querySelectorAll('#evidence mark')].map(m => m.textContent)",
            )
            own = evidence.filter(
                pc.and_(
                    pc.equal(evidence["record_table"], table),
                    pc.equal(evidence["record_id"], record_id),
                )
            )
            assert sorted(quotes) == sorted(own["quote"].to_pylist()), (table, record_id)


def test_the_timeline_draws_one_mark_per_dated_event_in_each_view(browser, site, tables):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    events = tables["events"].to_pylist()
    dated = {e["event_id"] for e in events if e["date_precision"] != "undated"}
    visit(browser, site / "timeline.html")
    marks = (
        "() => [...document.querySelectorAll('figure:not([hidden]) a.mark')]"
        ".map(a => a.dataset.event)"
    )
    assert sorted(script(browser, marks)) == sorted(dated)
    uncertain = (
        "() => [...document.querySelectorAll('figure:not([hidden]) a.mark.uncertain')].length"
    )
    assert script(browser, uncertain) == sum(
        e["certainty"] not in ("confirmed", "reported") for e in events if e["event_id"] in dated
    )
    names = {row["actor_id"]: row["name"] for row in tables["actors"].to_pylist()}
    pairs = {
        (row["event_id"], names[row["actor_id"]]) for row in tables["event_actors"].to_pylist()
    }
    browser.find_element(By.CSS_SELECTOR, "input[value=type]").send_keys(Keys.ARROW_RIGHT)
    by_actor = script(browser, marks)
    assert len(by_actor) == len({pair for pair in pairs if pair[0] in dated})
    assert set(by_actor) == {event for event, _ in pairs if event in dated}
    browser.find_element(By.CSS_SELECTOR, "input[value=all]").send_keys(Keys.ARROW_RIGHT)
    close_up = script(browser, marks)
    assert 0 < len(close_up) < len(by_actor) and set(close_up) <= dated


def test_the_table_filter_keeps_the_matching_rows(browser, site, tables):
    from selenium.webdriver.common.by import By

    visit(browser, site / "tables" / "events.html")
    browser.find_element(By.ID, "filter").send_keys("EV-004-1")
    visible = "() => [...document.querySelectorAll('#rows tbody tr')].filter(r => !r.hidden).length"
    expected = [
        row
        for row in tables["events"].to_pylist()
        if any("ev-004-1" in shown(value).lower() for value in row.values())
    ]
    assert 0 < script(browser, visible) == len(expected) < tables["events"].num_rows
    assert browser.find_element(By.ID, "count").text == f"{len(expected)} of 28 rows"


def pages_of_every_kind(site: Path) -> list[Path]:
    records = [
        next(iter(sorted(folder.iterdir()))) for folder in sorted((site / "records").iterdir())
    ]
    kinds = [
        "index.html",
        "timeline.html",
        "contested.html",
        "tables/events.html",
        "tables/evidence.html",
        "articles/src-000.html",
    ]
    return [site / kind for kind in kinds] + records


def test_axe_finds_no_accessibility_violation(browser, site, bare_site):
    from selenium_axe_python import Axe

    tables = sorted((site / "tables").iterdir())  # each lays its columns out differently
    for page in [*pages_of_every_kind(site), *tables, bare_site / "articles" / "src-004.html"]:
        visit(browser, page)
        axe = Axe(browser)
        axe.inject()
        violations = axe.run()["violations"]
        found = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
        assert found == [], f"{page.relative_to(page.parents[1])}: {found}"


def test_a_keyboard_reaches_every_control_and_sees_where_it_is(browser, site):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    visit(browser, site / "index.html")
    ActionChains(browser).send_keys(Keys.TAB).perform()
    skip = browser.switch_to.active_element
    assert skip.text == "Skip to content" and skip.is_displayed()
    assert skip.rect["x"] >= 0 and skip.rect["y"] >= 0, "the skip link shows when focused"
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    focus_ring = (
        "() => { const e = document.activeElement, s = getComputedStyle(e);"
        " return [e.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    for page in pages_of_every_kind(site):
        visit(browser, page)
        count = script(browser, TAB_STOPS)
        seen = set()
        for _ in range(min(count, 60)):
            ActionChains(browser).send_keys(Keys.TAB).perform()
            tag, style, width = script(browser, focus_ring)
            assert tag != "BODY", f"{page.name}: focus left the page after {len(seen)} stops"
            assert style != "none" and width >= 2, f"{page.name}: a focused {tag} has no outline"
            seen.add(browser.switch_to.active_element.id)
        assert len(seen) == min(count, 60)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_screenshots_of_the_index_an_article_and_the_timeline(browser, site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("screenshots")
    for name in ("index.html", "articles/src-004.html", "timeline.html"):
        visit(browser, site / name)
        width, height = script(browser, "() => [window.innerWidth, window.innerHeight]")
        shot = folder / (name.replace("/", "-").removesuffix(".html") + ".png")
        assert browser.save_screenshot(str(shot))
        assert png_size(shot) == (width, height)
        print(f"screenshot: {shot}")


def test_every_columns_description_shows_on_request(browser, site, built):
    from selenium.webdriver.common.by import By

    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    described = [field["description"] for field in events["schema"]["fields"]]
    visit(browser, site / "records" / "events" / "ev-000-01.html")
    tips = browser.find_elements(By.CSS_SELECTOR, "main > dl.columns .tip")  # its own columns
    assert not any(tip.size["width"] > 1 for tip in tips), "hidden until asked for"
    browser.find_element(By.CSS_SELECTOR, "input[data-describe]").click()
    assert all(tip.is_displayed() and tip.size["width"] > 1 for tip in tips)
    assert [tip.text.strip() for tip in tips] == described


#: Where hostile text is planted: file -> (list, index, columns) of a record written there.
HOSTILE_FIELDS = {
    "raw/actors.yaml": [("actors", 0, ["description", "aliases"])],
    "raw/articles/004.yaml": [
        ("source", None, ["publisher", "published_basis"]),
        ("events", 0, ["summary", "note", "location_name", "date_basis", "size_as_stated"]),
        ("statements", 0, ["venue", "note", "date_basis"]),
        ("arms_deals", 0, ["item", "note", "value_as_stated"]),
    ],
}


def hostile(column: str) -> str:
    """Markup that runs script if a page fails to escape it, naming the column it is in."""
    run = f"window.hostile='{column}'"
    return f'{column}: <img src=x onerror="{run}">\'"><script>{run}</script>&amp;</td>'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, built) -> tuple[Path, set[str]]:
    """The site of a build whose every free-text column holds markup; and those columns."""
    import yaml
    from conftest import copy_project, edit_yaml, quiet

    from koreasec_data.compile.build import build
    from koreasec_data.report.site import write_report

    project = copy_project(tmp_path_factory.mktemp("hostile"), built)
    # A source text may hold a right-to-left override: a quote of it keeps it, verbatim.
    text = next((project / "raw" / "sources").glob("004_*.txt"))
    text.write_text(text.read_text("utf-8") + REVERSED, "utf-8")
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    planted = set()
    for path, records in HOSTILE_FIELDS.items():

        def plant(data, records=records):
            if "source" in data:
                data["source"]["sha256"] = digest
                data["events"][0]["evidence"].append({"quote": REVERSED.strip()})
            for table, index, columns in records:
                record = data[table] if index is None else data[table][index]
                for column in columns:
                    text = hostile(f"{table}.{column}")
                    aliases = [*record.get(column, []), text] if column == "aliases" else None
                    record[column] = aliases or text
                    planted.add(f"{table}.{column}")

        edit_yaml(project / path, plant)
    assert yaml.safe_load((project / "raw/actors.yaml").read_text())["actors"][0]["description"]
    build(project, say=quiet)
    out = project / "site"
    write_report(out, project / "build", project / "raw" / "sources")
    return out, planted


#: Appended to a source text: a right-to-left override that would show it reversed.
REVERSED = "\nEnd \u202eof the text."


def test_hostile_text_in_every_field_the_site_shows_stays_text(browser, hostile_site):
    site, planted = hostile_site
    pages = [p for p in sorted(site.rglob("*.html")) if "hostile=" in p.read_text("utf-8")]
    shown_columns = set()
    for page in pages:
        visit(browser, page)
        injected = script(
            browser,
            "() => [window.hostile, document.querySelectorAll('img[src=x]').length, "
            "[...document.scripts].filter(s => s.text.includes('hostile')).length, "
            "document.body.innerText]",
        )
        where = page.relative_to(site).as_posix()
        assert injected[:3] == [None, 0, 0], f"{where}: markup ran or became elements"
        shown_columns |= {column for column in planted if hostile(column) in injected[3]}
    assert shown_columns == planted, f"shown nowhere as written: {planted - shown_columns}"


def test_a_bidirectional_control_of_a_source_text_is_shown_by_its_code_point(browser, hostile_site):
    site, _ = hostile_site
    for page in [
        site / "articles" / "src-004.html",
        site / "records" / "events" / "ev-004-01.html",
    ]:
        visit(browser, page)
        text = script(browser, "() => document.documentElement.outerHTML")
        assert "End [U+202E]of the text." in text, page.name
        assert "\u202e" not in text, page.name
