"""Citation metadata: CITATION.cff is valid CFF 1.2.0, and every version number agrees."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile

import pytest
import yaml

import koreasec_data

CFFCONVERT = "cffconvert==2.0.0"


@pytest.fixture(scope="session")
def cff_schema(tmp_path_factory):
    """The official CFF 1.2.0 JSON schema, as shipped in cffconvert's wheel (not installed:
    cffconvert pins jsonschema<4, which frictionless cannot use)."""
    target = tmp_path_factory.mktemp("cffconvert")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", target, CFFCONVERT],
        check=True,
    )
    wheel = next(target.glob("cffconvert-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        return json.loads(archive.read("cffconvert/schemas/1.2.0/schema.json"))


def test_citation_cff_is_valid_cff_1_2_0(root, cff_schema):
    import jsonschema

    citation = yaml.safe_load((root / "CITATION.cff").read_text())
    citation = json.loads(json.dumps(citation, default=str))  # dates as the strings CFF expects
    jsonschema.validate(citation, cff_schema, format_checker=jsonschema.FormatChecker())
    assert citation["type"] == "dataset"


def test_versions_agree(root, built):
    citation = yaml.safe_load((root / "CITATION.cff").read_text())
    changelog = (root / "CHANGELOG.md").read_text()
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})", changelog, re.M)
    descriptor = json.loads((built / "datapackage.json").read_text())
    assert koreasec_data.__version__ == str(citation["version"]) == descriptor["version"]
    assert released[0] == (koreasec_data.__version__, citation["date-released"].isoformat())
    assert str(citation["preferred-citation"]["version"]) == koreasec_data.__version__
    release = [i["value"] for i in citation["identifiers"] if i["type"] == "url"]
    assert release == [f"{citation['url']}/releases/tag/v{koreasec_data.__version__}"]


@pytest.mark.parametrize("style", ["bibtex", "apa"])
def test_cite_names_the_version(style, built):
    text = koreasec_data.cite(style, directory=built)
    assert koreasec_data.__version__ in text
    assert "koreasec-data contributors" in text


def test_cite_cff_is_the_shipped_file(built, root):
    assert koreasec_data.cite("cff", directory=built) == (root / "CITATION.cff").read_text()


def test_bibtex_is_well_formed(built):
    text = koreasec_data.cite("bibtex", directory=built)
    assert text.startswith("@misc{koreasec_data_")
    assert text.count("{") == text.count("}")


def test_unknown_style(built):
    with pytest.raises(ValueError, match=r"^unknown citation style 'mla'; choose one of: bibtex, "):
        koreasec_data.cite("mla", directory=built)
    with pytest.raises(ValueError, match=r"^unknown citation style 'bibtx'; did you mean 'bibtex'"):
        koreasec_data.cite("bibtx", directory=built)


@pytest.mark.parametrize("style", ["APA", "BibTeX", "CFF"])
def test_style_in_any_case(style, built):
    assert koreasec_data.cite(style, directory=built) == koreasec_data.cite(
        style.lower(), directory=built
    )


def test_cite_the_version_you_loaded_and_one_url_in_every_style(built):
    import koreasec_data

    installed = koreasec_data.__version__
    assert koreasec_data.cite("apa", version=installed) == koreasec_data.cite("apa")
    assert koreasec_data.cite("bibtex", version=f"v{installed}") == koreasec_data.cite()
    release = f"releases/tag/v{installed}"
    assert release in koreasec_data.cite("apa") and release in koreasec_data.cite("bibtex")
    with pytest.raises(koreasec_data.DownloadError, match=r"unknown version '9\.9\.9'"):
        koreasec_data.cite("apa", version="9.9.9")
    command = [sys.executable, "-m", "koreasec_data", "cite", "--style", "apa"]
    result = subprocess.run([*command, "--version", installed], capture_output=True, text=True)
    assert result.stdout.strip() == koreasec_data.cite("apa")


@pytest.mark.parametrize("fmt", ["csv", "stata", "parquet", "sql"])
def test_cite_an_export_of_any_format(fmt, exports, built):
    folder = exports / fmt
    for style in ("bibtex", "apa"):
        text = koreasec_data.cite(style, directory=folder)
        assert text == koreasec_data.cite(style, directory=built)
        assert koreasec_data.__version__ in text
    command = [sys.executable, "-m", "koreasec_data", "cite", "--style", "apa"]
    result = subprocess.run([*command, "--directory", folder], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == koreasec_data.cite("apa", directory=folder)


def test_cite_a_folder_without_citation_says_what_to_give(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"holds no CITATION\.cff"):
        koreasec_data.cite("apa", directory=tmp_path)
    command = [sys.executable, "-m", "koreasec_data", "cite", "--directory", tmp_path]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
