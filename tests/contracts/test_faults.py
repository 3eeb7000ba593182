"""Fault injection on the build: failures and interrupts while build/ is being written.

Whatever goes wrong while writing (an exception, Ctrl-C, SIGTERM, a full disk, a
read-only folder, an output path that is a file), the previous build/ must stay byte for
byte as it was and nothing may be left beside it (see docs/reliability.md).
"""

from __future__ import annotations

import errno
import io
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import ROOT, copy_project, edit_yaml, quiet, time_limit, tree_digest

from koreasec_data import cli
from koreasec_data.compile.build import build
from koreasec_data.problems import ProblemReport

LAYOUT = ["CITATION.cff", "build", "raw", "schemas"]
#: The command also keeps its build cache (not a leftover: the next build uses it).
COMMAND_LAYOUT = [".buildcache", *LAYOUT]


def untouched(project: Path, before: dict[str, str]) -> None:
    """build/ is exactly as before, and nothing (no .build-* folder) is beside it."""
    assert (project / "build").is_dir(), "build/ is gone"
    assert tree_digest(project / "build") == before, "build/ changed"
    left = sorted(name for name in os.listdir(project) if name != ".buildcache")  # the command's
    assert left == LAYOUT, "left beside build/"


def failing_write_table(error: BaseException, good: int = 2):
    """A pyarrow.parquet.write_table that writes ``good`` tables, then half of the next
    file, then raises ``error``."""
    real = pq.write_table
    calls = []

    def write_table(table, where, **kwargs):
        calls.append(where)
        if len(calls) <= good:
            return real(table, where, **kwargs)
        buffer = io.BytesIO()
        real(table, buffer, **kwargs)
        data = buffer.getvalue()
        Path(where).write_bytes(data[: len(data) // 2])
        raise error

    return write_table


# --- exceptions and Ctrl-C inside the build, in process ---------------------------------


@pytest.mark.parametrize(
    "error",
    [RuntimeError("injected failure"), OSError(errno.EIO, "Input/output error"), MemoryError()],
    ids=["RuntimeError", "EIO", "MemoryError"],
)
def test_exception_half_way_through_a_parquet_file(project, monkeypatch, error):
    before = tree_digest(project / "build")
    monkeypatch.setattr(pq, "write_table", failing_write_table(error))
    with pytest.raises(type(error)):
        build(project, say=quiet)
    untouched(project, before)


def test_keyboard_interrupt_half_way_through_a_parquet_file(project, monkeypatch):
    before = tree_digest(project / "build")
    monkeypatch.setattr(pq, "write_table", failing_write_table(KeyboardInterrupt(), good=4))
    with pytest.raises(KeyboardInterrupt):
        build(project, say=quiet)
    untouched(project, before)


def _disk_full():
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _full_at(name: str, start: str):
    """The disk fills while ``name`` is written: only ``start`` of it reaches the disk."""

    def fill(monkeypatch):
        real = Path.write_text

        def write_text(self, *args, **kwargs):
            if self.name == name:
                real(self, start, encoding="utf-8")
                raise _disk_full()
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Path, "write_text", write_text)

    return fill


@pytest.mark.parametrize(
    "fill",
    [
        lambda m: m.setattr(pq, "write_table", failing_write_table(_disk_full(), good=0)),
        lambda m: m.setattr(pq, "write_table", failing_write_table(_disk_full(), good=6)),
        _full_at("datapackage.json", "{"),
        _full_at("CITATION.cff", "cff-version"),
    ],
    ids=["first-table", "last-table", "datapackage.json", "CITATION.cff"],
)
def test_disk_full(project, monkeypatch, fill):
    before = tree_digest(project / "build")
    fill(monkeypatch)
    with pytest.raises(OSError) as caught:
        build(project, say=quiet)
    assert caught.value.errno == errno.ENOSPC
    untouched(project, before)


def test_interrupt_while_swapping_in_the_new_build_restores_the_old(project, monkeypatch):
    """Ctrl-C as the new build is renamed to build/ (after the old was moved aside)."""
    before = tree_digest(project / "build")
    real = Path.rename

    def rename(self, target):
        if Path(target).name == "build" and not self.name.endswith("-old"):
            raise KeyboardInterrupt  # but let the old build be put back
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        build(project, say=quiet)
    untouched(project, before)


def test_interrupt_just_after_the_old_build_is_moved_aside(project, monkeypatch):
    before = tree_digest(project / "build")
    real = Path.rename

    def rename(self, target):
        moved = real(self, target)
        if self.name == "build":
            raise KeyboardInterrupt  # Ctrl-C arrives as the rename returns
        return moved

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        build(project, say=quiet)
    untouched(project, before)


# --- signals to a real `koreasec-data build` process -----------------------------------

PAUSING_BUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path

    import pyarrow.parquet as pq

    from koreasec_data.cli import main

    pause_at = sys.argv[2]
    real_write_table, real_rename = pq.write_table, Path.rename

    def write_table(table, where, **kwargs):
        real_write_table(table, where, **kwargs)
        if pause_at == "write":
            print("paused", flush=True)
            time.sleep(120)

    def rename(self, target):
        moved = real_rename(self, target)
        if pause_at == "swap" and self.name == "build":
            print("paused", flush=True)
            time.sleep(120)
        return moved

    pq.write_table, Path.rename = write_table, rename
    sys.exit(main(["build", "--root", sys.argv[1]]))
    """
)


def _signal_a_build(project: Path, pause_at: str, signum: int):
    """Run the command-line build, pause it at ``pause_at``, send ``signum``; return
    (return code, stderr, what is in the project folder afterwards)."""
    script = project.parent / "pausing_build.py"
    script.write_text(PAUSING_BUILD, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(project), pause_at],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 120)
        line = process.stdout.readline() if ready else ""
        assert line.strip() == "paused", f"the build did not pause: {process.stderr.read()}"
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, stderr, sorted(os.listdir(project))


@pytest.fixture(scope="module")
def signalled(tmp_path_factory, built):
    """Each (pause, signal) run once for the module: (project, build digest, outcome)."""
    runs = {}

    def run(pause_at: str, signum: int):
        if (pause_at, signum) not in runs:
            project = copy_project(tmp_path_factory.mktemp("signal") / "project", built)
            before = tree_digest(project / "build")
            runs[pause_at, signum] = (project, before, _signal_a_build(project, pause_at, signum))
        return runs[pause_at, signum]

    return run


@pytest.mark.skipif(sys.platform == "win32", reason="signals a build in progress: POSIX signals")
def test_sigterm_while_writing_keeps_the_previous_build(signalled):
    project, before, (code, _, _) = signalled("write", signal.SIGTERM)
    assert code == -signal.SIGTERM
    assert (project / "build").is_dir()
    assert tree_digest(project / "build") == before


@pytest.mark.skipif(sys.platform == "win32", reason="signals a build in progress: POSIX signals")
def test_sigterm_while_writing_leaves_no_temporary_folder(signalled):
    _, _, (_, _, left) = signalled("write", signal.SIGTERM)
    assert left == COMMAND_LAYOUT


@pytest.mark.skipif(sys.platform == "win32", reason="signals a build in progress: POSIX signals")
def test_sigterm_while_swapping_keeps_a_build(signalled):
    project, before, (code, _, _) = signalled("swap", signal.SIGTERM)
    assert code == -signal.SIGTERM
    assert (project / "build").is_dir(), f"no build/; left: {os.listdir(project)}"
    assert tree_digest(project / "build") == before


@pytest.mark.skipif(sys.platform == "win32", reason="signals a build in progress: POSIX signals")
def test_ctrl_c_while_writing_cleans_up(signalled):
    """SIGINT becomes KeyboardInterrupt, so write_atomically's cleanup runs."""
    project, before, (code, _, _) = signalled("write", signal.SIGINT)
    assert code == -signal.SIGINT  # as Ctrl-C ends a process, after cleanup
    untouched(project, before)


# --- where build/ goes: read-only parent, a file in its place ---------------------------


def _dac_override_dropped() -> list[str] | None:
    """A command prefix that runs a program as root *without* the capability to write
    where permissions forbid it (root ignores chmod), or None when there is none."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    with tempfile.TemporaryDirectory() as probe:
        os.chmod(probe, 0o555)
        try:
            result = subprocess.run(
                [*prefix, sys.executable, "-c", f"open({probe + '/x'!r}, 'w')"],
                capture_output=True,
            )
        finally:
            os.chmod(probe, 0o755)
    return prefix if result.returncode != 0 else None


@pytest.mark.skipif(sys.platform == "win32", reason="file modes: Windows has only a read-only flag")
def test_read_only_parent_of_build(project):
    """As root, chmod stops nothing: the build then runs under setpriv without
    CAP_DAC_OVERRIDE, which makes the permissions bite again."""
    before = tree_digest(project / "build")
    prefix = []
    if os.geteuid() == 0:
        prefix = _dac_override_dropped()
        if prefix is None:
            pytest.skip("running as root and cannot drop CAP_DAC_OVERRIDE (no setpriv)")
    command = [*prefix, sys.executable, "-m", "koreasec_data", "build", "--root", str(project)]
    os.chmod(project, 0o555)
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    finally:
        os.chmod(project, 0o755)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    # names the folder it could not make in the project (the reason after it is the OS's)
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"koreasec-data: cannot complete {project / '.build-'}"), last
    untouched(project, before)


def _unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return []
    prefix = _dac_override_dropped()
    if prefix is None:
        pytest.skip("running as root and cannot drop CAP_DAC_OVERRIDE (no setpriv)")
    return prefix


@pytest.mark.skipif(sys.platform == "win32", reason="file modes: Windows has only a read-only flag")
def test_a_build_that_cannot_remove_the_previous_one_succeeds_and_says_so(project):
    """A read-only build/ can be moved aside but not emptied: the new build is in place,
    so the build succeeds, names the leftover, and the next build removes it."""
    (project / "raw" / "actors.yaml").write_text(
        (project / "raw" / "actors.yaml").read_text() + "\n# an edit\n"
    )
    command = [sys.executable, "-m", "koreasec_data", "build", "--root", str(project)]
    for path in (project / "build", *(project / "build").iterdir()):
        path.chmod(0o555 if path.is_dir() else 0o444)
    result = subprocess.run([*_unprivileged(), *command], capture_output=True, text=True)
    leftovers = [p for p in project.iterdir() if p.name.startswith(".build-")]
    for path in leftovers:
        for inner in (path, *path.iterdir()):
            inner.chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert "could not be removed" in result.stderr and "remove it by hand" in result.stderr
    assert (project / "build" / "datapackage.json").is_file() and len(leftovers) == 1
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0 and f"removed {leftovers[0]}" in result.stderr
    assert sorted(os.listdir(project)) == COMMAND_LAYOUT


def test_folders_a_killed_build_left_are_removed_by_the_next(project):
    (project / ".build-x1y2").mkdir()
    (project / ".build-x1y2" / "events.parquet").write_bytes(b"half")
    (project / ".build-a3b4-old").mkdir()
    build(project, say=quiet)
    assert sorted(os.listdir(project)) == LAYOUT


def test_build_path_that_is_a_file_is_reported_and_kept(project):
    shutil.rmtree(project / "build")
    (project / "build").write_text("not a folder\n", encoding="utf-8")
    with pytest.raises(ProblemReport) as caught:
        build(project, say=quiet)
    assert any(p.where.endswith("build") for p in caught.value.problems)
    assert (project / "build").read_text(encoding="utf-8") == "not a folder\n"
    assert sorted(os.listdir(project)) == LAYOUT


def test_output_folder_inside_a_file_is_reported(project):
    with pytest.raises(ProblemReport):
        build(project, project / "CITATION.cff" / "build", say=quiet)


def _simulate_read_only(monkeypatch):
    def mkdtemp(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), kwargs.get("dir"))

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)


@pytest.mark.parametrize(
    ("fault", "status", "says"),
    [
        (
            lambda m, p: m.setattr(pq, "write_table", failing_write_table(_disk_full())),
            2,
            "koreasec-data: cannot complete",
        ),
        (lambda m, p: _simulate_read_only(m), 2, "koreasec-data: cannot complete"),
        (
            lambda m, p: (shutil.rmtree(p / "build"), (p / "build").write_text("x")),
            1,
            "is a file, not a folder",
        ),
    ],
    ids=["disk-full", "read-only", "build-is-a-file"],
)
def test_command_line_reports_os_errors_without_traceback(
    project, monkeypatch, capsys, fault, status, says
):
    fault(monkeypatch, project)
    try:
        returned = cli.main(["build", "--root", str(project)])
    except OSError as error:
        pytest.fail(f"koreasec-data build ends with a traceback: {error!r}")
    assert returned == status
    assert says in capsys.readouterr().err


# --- inputs that used to be slow or crash outside raw.py --------------------------------


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="times itself with SIGALRM (conftest.time_limit), which Windows lacks",
)
def test_dangling_100k_character_reference_is_reported_quickly(project):
    articles = sorted((project / "raw" / "articles").glob("*.yaml"))
    article = next(a for a in articles if "arms_deals:" in a.read_text(encoding="utf-8"))

    def spoil(data):
        data["arms_deals"][0]["supplier_id"] = "act-" + "a" * 100_000

    edit_yaml(article, spoil)
    with time_limit(2.0), pytest.raises(ProblemReport):
        build(project, say=quiet)


@pytest.mark.parametrize(
    "text",
    [
        "[oops\n",
        "- 5\n",
        "record_id: ev-000-01\n",
        "- {record_table: [events], record_id: ev-x, retired_in: 0.2.0, reason: merged}\n",
    ],
    ids=["invalid-yaml", "entry-not-a-mapping", "not-a-list", "unhashable-table"],
)
def test_bad_retired_ids_file_is_reported(project, text):
    (project / "raw" / "retired.yaml").write_text(text, encoding="utf-8")
    before = tree_digest(project / "build")
    with pytest.raises(ProblemReport) as caught:
        build(project, say=quiet)
    assert all(p.where == "raw/retired.yaml" for p in caught.value.problems)
    untouched(project, before)


# --- no network -------------------------------------------------------------------------


def test_build_validate_and_load_need_no_network(project, monkeypatch):
    """With every way out to the network cut, build, validate and load still work."""
    import socket

    from koreasec_data import load, tables
    from koreasec_data.compile.validate import validate_package

    def refuse(*args, **kwargs):
        raise OSError(errno.ENETUNREACH, "network access during build/validate/load")

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    out = project / "offline"
    build(project, out, say=quiet)
    validate_package(out, project, say=quiet)
    for name in tables(out):
        assert load(name, directory=out).shape[0] > 0
    for name in tables():  # the data installed with the package
        assert load(name, backend="arrow").num_rows > 0


def test_validate_reads_no_file_outside_raw_sources(project):
    import hashlib
    import json

    import pyarrow as pa

    from koreasec_data.compile.validate import validate_package

    (project / "outside.bin").write_bytes(b"\xff\xfe not a source")
    path = project / "build" / "sources.parquet"
    table = pq.read_table(path)
    names = table.column("file_name").to_pylist()
    names[0] = "../../outside.bin"
    column = table.schema.get_field_index("file_name")
    table = table.set_column(column, table.schema.field(column), pa.array(names))
    pq.write_table(table, path, compression="zstd")
    descriptor = json.loads((project / "build" / "datapackage.json").read_text())
    data = path.read_bytes()
    for resource in descriptor["resources"]:  # a consistent package, as an attacker makes it
        if resource["name"] == "sources":
            resource["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
            resource["koreasec:bytes"] = len(data)
    (project / "build" / "datapackage.json").write_text(json.dumps(descriptor))
    with pytest.raises(ProblemReport) as caught:
        validate_package(project / "build", project, say=quiet)
    assert "file_name" in str(caught.value)
