"""The distributions: the wheel carries its own data and no article text; it loads offline."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from koreasec_data import __version__
from koreasec_data.coverage import coverage

HATCHLING = [sys.executable, "-m", "hatchling", "build"]
#: What an sdist may hold at its top level: the package, its inputs, tests and documents.
SDIST_TOP = {
    ".gitignore",
    "CHANGELOG.md",
    "CITATION.cff",
    "LICENSE",
    "PKG-INFO",
    "README.md",
    "SECURITY.md",
    "benchmarks",
    "docs",
    "hatch_build.py",
    "koreasec_data",
    "lock",
    "pyproject.toml",
    "raw",
    "schemas",
    "tests",
}
#: What a working tree collects after a test run and a build, which no sdist may carry.
STRAY = (".hypothesis/examples/0a1b/2c3d", "notes.txt", "koreasec_data/__pycache__/x.pyc")


@pytest.fixture(scope="session")
def dist(root, tmp_path_factory):
    """Wheel and sdist built from a copy of the checkout: its git-tracked files, plus the
    leftovers a test run and an editor leave in a working tree."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    source = tmp_path_factory.mktemp("checkout")
    for name in tracked:
        if (root / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / name, source / name)
    for name in STRAY:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_text("left over")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([*HATCHLING, "-d", str(out)], cwd=source, check=True, capture_output=True)
    return out


def long_passages(root):
    """Sentences of the articles longer than any evidence quote may be."""
    texts = [p.read_text(encoding="utf-8") for p in (root / "raw" / "sources").glob("*.txt")]
    return [line for text in texts for line in text.splitlines() if len(line) > 600]


def cells(archive, name):
    """Every text cell of a Parquet member, and the raw text of any other member."""
    data = archive.read(name)
    if not name.endswith(".parquet"):
        return [data.decode("utf-8", errors="replace")]
    table = pq.read_table(pa.BufferReader(data))
    return [
        str(value)
        for column in table.columns
        if pa.types.is_string(column.type) or pa.types.is_list(column.type)
        for value in column.to_pylist()
    ]


def test_wheel_has_data_and_no_article_text(dist, root, built):
    wheel = next(dist.glob("*.whl"))
    sources = {path.name for path in (root / "raw" / "sources").iterdir()}
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        shipped = [cell for name in names for cell in cells(archive, name)]
    data = {name.removeprefix("koreasec_data/data/") for name in names if "/data/" in name}
    assert {"datapackage.json", "CITATION.cff", "events.parquet", "evidence.parquet"} <= data
    assert "koreasec_data/py.typed" in names
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    with zipfile.ZipFile(wheel) as archive:
        fields = archive.read(metadata).decode()
    assert "License-Expression: MIT AND CC-BY-4.0" in fields  # the code and the data
    assert f"Summary: {coverage(built).one_line()}\n" in fields  # PyPI's one line
    assert not [name for name in names if name.startswith("raw/") or Path(name).name in sources]
    passages = long_passages(root)
    assert passages
    for passage in passages:
        assert not [cell for cell in shipped if passage in cell]


def test_sdist_has_built_data_and_no_article_text(dist):
    sdist = next(dist.glob("*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = [member.name.split("/", 1)[1] for member in archive.getmembers()]
    assert "koreasec_data/data/events.parquet" in names
    assert "raw/actors.yaml" in names
    assert not [name for name in names if name.startswith("raw/sources")]


def test_sdist_holds_only_what_it_should(dist):
    sdist = next(dist.glob("*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = [member.name.split("/", 1)[1] for member in archive.getmembers() if member.isfile()]
    assert {name.split("/", 1)[0] for name in names} <= SDIST_TOP
    assert not [name for name in names if "__pycache__" in name or name in STRAY]
    assert "lock/build.txt" in names and "hatch_build.py" in names


def test_installed_wheel_loads_offline_from_elsewhere(dist, tmp_path):
    wheel = next(dist.glob("*.whl"))
    target = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q"]
    subprocess.run([*install, "--target", str(target), str(wheel)], check=True)
    code = (
        "import koreasec_data as k; print(k.__file__); "
        "print(len(k.load('events')), k.__version__, k.cite('apa')[:40])"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, summary = result.stdout.splitlines()
    assert Path(module_file).is_relative_to(target)
    rows, version, _ = summary.split(" ", 2)
    assert int(rows) > 0 and version == __version__


def test_the_installed_wheel_serves_researchers_off_the_happy_path(dist, tmp_path):
    """Outside the checkout: NumPy types, evidence, Croissant, validate, every export
    (with its citation, README, codebook and descriptor) and the review site (its
    templates and stylesheet are in the wheel; no texts are)."""
    wheel = next(dist.glob("*.whl"))
    target, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q"]
    subprocess.run([*install, "--target", str(target), str(wheel)], check=True)
    elsewhere.mkdir()

    def run(*args):
        return subprocess.run(
            [sys.executable, *args],
            cwd=elsewhere,
            env={"PYTHONPATH": str(target), "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    code = (
        "import koreasec_data as k; e = k.load('events', types='numpy'); "
        "print(e['date'].dtype.kind, len(k.evidence_for(e['event_id'][0])), "
        "(k.data_dir() / 'croissant.json').is_file(), k.data_dir())"
    )
    kind, quotes, croissant, data = run("-c", code).split()
    assert (kind, croissant) == ("M", "True") and int(quotes) > 0
    run("-m", "koreasec_data", "validate", data)
    for fmt in ("csv", "stata", "parquet", "sql"):  # each folder says what it is
        out = tmp_path / fmt
        run("-m", "koreasec_data", "export", "--format", fmt, "--dest", str(out))
        assert {"CITATION.cff", "README.md", "codebook.md", "datapackage.json"} <= {
            path.name for path in out.iterdir()
        }
        cited = run("-m", "koreasec_data", "cite", "--style", "apa", "--directory", str(out))
        assert f"(Version {__version__})" in cited
        assert f"Version {__version__}" in (out / "README.md").read_text(encoding="utf-8")
    with pd.io.stata.StataReader(tmp_path / "stata" / "events.dta") as reader:
        assert reader.variable_labels()["event_id"] and reader.value_labels()
        assert reader.data_label == f"koreasec-data {__version__}: events"
    assert str(target) not in (tmp_path / "sql" / "koreasec-data.sql").read_text(encoding="utf-8")
    run("-m", "koreasec_data", "report", "--dest", str(tmp_path / "review"))
    article = (tmp_path / "review" / "articles" / "src-000.html").read_text(encoding="utf-8")
    assert "The full text is not part of this package" in article
    assert (tmp_path / "review" / "report.css").is_file()


def test_the_installed_wheel_says_what_curator_commands_and_retired_ids_need(dist, tmp_path):
    """Outside a checkout, build and datasheet say a checkout is needed; a retired id
    is explained from the retired_ids.json the wheel carries."""
    wheel = next(dist.glob("*.whl"))
    target, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q"]
    subprocess.run([*install, "--target", str(target), str(wheel)], check=True)
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(target), "PATH": ""}
    for command in (["build"], ["datasheet"]):
        result = subprocess.run(
            [sys.executable, "-m", "koreasec_data", *command],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 2, result.stderr
        assert "checkout of the repository (git clone https://" in result.stderr
        assert "Errno" not in result.stderr and "Traceback" not in result.stderr
    code = "import koreasec_data as k; k.evidence_for('ev-000-12')"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert "RetiredIdError: events 'ev-000-12' was retired in 0.2.0: " in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_wheel_built_from_sdist_keeps_the_data(dist, tmp_path):
    sdist = next(dist.glob("*.tar.gz"))
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    unpacked = next(tmp_path.iterdir())
    subprocess.run([*HATCHLING, "-t", "wheel", "-d", "out"], cwd=unpacked, check=True)
    with zipfile.ZipFile(next((unpacked / "out").glob("*.whl"))) as archive:
        assert "koreasec_data/data/events.parquet" in archive.namelist()


def test_the_installed_wheel_names_damaged_files_and_a_repair_its_user_can_follow(dist, tmp_path):
    """From the wheel's files, outside the checkout: validate on a damaged copy of the
    installed data (status 1, each file named), validate and describe on the damaged
    installed data itself (reinstall, never build)."""
    wheel = next(dist.glob("*.whl"))
    target, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q"]
    subprocess.run([*install, "--target", str(target), str(wheel)], check=True)
    elsewhere.mkdir()

    def run(*args, path=str(target)):
        result = subprocess.run(
            [sys.executable, "-m", "koreasec_data", *args],
            cwd=elsewhere,
            env={"PYTHONPATH": path, "PATH": ""},
            capture_output=True,
            text=True,
        )
        assert "Traceback" not in result.stderr + result.stdout
        assert "koreasec-data build" not in result.stderr
        return result.returncode, result.stderr

    installed = target / "koreasec_data" / "data"
    copy = shutil.copytree(installed, tmp_path / "copy")
    (copy / "actors.parquet").unlink()
    events = copy / "events.parquet"
    events.write_bytes(events.read_bytes()[:-10])
    status, err = run("validate", str(copy))
    assert status == 1
    assert f"{copy / 'actors.parquet'}: missing" in err and f"{events}: damaged" in err
    # Without the [build] extra (pandera unimportable) the files are still checked.
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "pandera.py").write_text("raise ImportError('not installed')\n")
    status, err = run("validate", str(copy), path=f"{shadow}:{target}")
    assert status == 1 and f"{events}: damaged" in err
    assert "pip install 'koreasec-data[build]'" in err
    status, err = run("validate", str(installed), path=f"{shadow}:{target}")
    assert status == 2 and "pip install 'koreasec-data[build]'" in err
    flipped = bytearray((installed / "events.parquet").read_bytes())
    footer = pq.ParquetFile(installed / "events.parquet").metadata.row_group(0)
    roles = [footer.column(i) for i in range(footer.num_columns)]
    role = next(c for c in roles if c.path_in_schema == "story_role")
    flipped[role.data_page_offset] ^= 0xFF  # a page header: the footer still reads
    (installed / "events.parquet").write_bytes(bytes(flipped))
    status, err = run("validate", str(installed))
    assert status == 1 and f"{installed / 'events.parquet'}: damaged (sha256)" in err
    assert "To repair it: reinstall the package: pip install --force-reinstall" in err
    for command in (["describe", "events"], ["describe", "actors"], ["info"]):
        status, err = run(*command)
        assert status == 2 and f"{installed / 'events.parquet'} is damaged" in err, command
        assert "pip install --force-reinstall koreasec-data" in err


#: A damaged file of the installed data, and the researchers' commands that read it.
DAMAGED_READS = {
    "datapackage.json": ["info", "tables", "describe events", "export", "report", "validate"],
    "CITATION.cff": ["cite", "report"],
    "events.parquet": ["info", "describe actors", "export", "report", "validate"],
}


def test_every_researcher_command_names_the_damaged_installed_file(dist, tmp_path):
    """Each file of the installed wheel's data damaged in turn (cut short): every command
    reading it names it and the repair (reinstall), exit status 2 (validate: 1, as it
    reports problems), never a traceback."""
    wheel = next(dist.glob("*.whl"))
    target = tmp_path / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q"]
    subprocess.run([*install, "--target", str(target), str(wheel)], check=True)
    installed = target / "koreasec_data" / "data"
    for name, commands in DAMAGED_READS.items():
        path = installed / name
        good = path.read_bytes()
        path.write_bytes(good[: len(good) // 2])
        for command in commands:
            extra = {"export": ["--format", "csv"], "report": []}.get(command)
            dest = ["--dest", f"{command}-{name}"]  # a new folder each time
            args = command.split() + ([] if extra is None else [*extra, *dest])
            if command == "validate":
                args.append(str(installed))
            result = subprocess.run(
                [sys.executable, "-m", "koreasec_data", *args],
                cwd=tmp_path,
                env={"PYTHONPATH": str(target), "PATH": ""},
                capture_output=True,
                text=True,
            )
            told = (name, command, result.stderr)
            assert "Traceback" not in result.stderr, told
            assert result.returncode == (1 if command == "validate" and ".parquet" in name else 2)
            assert str(path) in result.stderr, told
            assert "pip install --force-reinstall koreasec-data" in result.stderr, told
        path.write_bytes(good)
