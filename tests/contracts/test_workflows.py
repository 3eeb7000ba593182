"""The GitHub workflows: valid (check-jsonschema's copy of the workflow schema, offline),
running exactly the README's commands on every platform and CPython of the lock, pinned
actions, a release by trusted publishing; and what Windows needs of the code and tests."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from test_readme import blocks

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
#: What Windows lacks: names that exist only on POSIX or behave otherwise there.
POSIX_ONLY = {
    "os.fork", "os.geteuid", "os.getuid", "os.kill", "os.chmod", "chmod", "setpriv",
    "signal.SIGALRM", "signal.setitimer", "signal.SIGKILL", "signal.SIGTERM",
    "signal.SIGINT", "resource.setrlimit", "resource.getrusage", "fcntl", "time_limit",
}  # fmt: skip
#: The same in the text of a script a test runs.
POSIX_SCRIPT = ("setpriv", "setrlimit", "SIGXFSZ", "os.fork")


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def test_every_workflow_is_valid(tmp_path):
    check = [
        sys.executable,
        "-m",
        "check_jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
    ]
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [path.name for path in files] == ["ci.yml", "drift.yml", "release.yml"]
    result = subprocess.run([*check, *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "broken.yml"  # the check can fail: a job without runs-on
    broken.write_text("on: push\njobs:\n  a:\n    steps:\n      - run: 'true'\n")
    assert subprocess.run([*check, str(broken)], capture_output=True).returncode != 0


def test_ci_runs_exactly_the_readme_commands_on_every_platform(root):
    commands = [block.strip() for block in blocks(root, "bash") if "&&" in block]
    jobs = workflow("ci.yml")["jobs"]
    platforms = set()
    for job in jobs.values():
        assert runs(job)[-2:] == commands
        platforms |= set(job["strategy"]["matrix"].get("os", [job["runs-on"]]))
    assert {re.sub(r"-.*", "", name) for name in platforms} == {"ubuntu", "macos", "windows"}
    (linux,) = [job for job in jobs.values() if "container" in job]
    assert linux["env"]["KOREASEC_TEST_BROWSER"] == "required"
    assert "chromium chromium-driver r-base-core" in " ".join(runs(linux))


def test_ci_covers_every_python_of_the_lock_from_its_floor(root):
    floor = re.search(r"--python-version (3\.\d+)", (root / "lock" / "update").read_text())[1]
    for job in workflow("ci.yml")["jobs"].values():
        versions = job["strategy"]["matrix"]["python"]
        minors = [int(version.split(".")[1]) for version in versions]
        assert versions[0] == floor and minors == list(range(minors[0], minors[0] + len(minors)))
        assert minors[-1] >= 14


def test_actions_are_pinned_by_commit():
    for path in WORKFLOWS.glob("*.yml"):
        uses = re.findall(r"uses: (\S+)(.*)", path.read_text(encoding="utf-8"))
        assert uses, path.name
        for action, comment in uses:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
            assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), f"{action}: say the version"


def test_the_release_is_the_publish_command_and_trusted_publishing():
    release = workflow("release.yml")
    assert release[True]["push"]["tags"] == ["v[0-9]+.[0-9]+.[0-9]+"]  # YAML reads `on` so
    assert release["permissions"] == {}
    publish, pypi = release["jobs"]["github-release"], release["jobs"]["pypi"]
    assert publish["permissions"] == {"contents": "write"}
    assert publish["container"] == "python:3.11-trixie", "the Python of lock/build.sha256"
    assert any(line.startswith("koreasec-data release --publish ") for line in runs(publish))
    assert pypi["permissions"] == {"id-token": "write"} and pypi["needs"] == "github-release"
    step = pypi["steps"][-1]
    assert step["uses"].startswith("pypa/gh-action-pypi-publish@") and "with" not in step
    assert "secrets." not in (WORKFLOWS / "release.yml").read_text().replace(
        "secrets.GITHUB_TOKEN", ""
    ), "no stored token"


def test_drift_runs_weekly_and_can_only_fail():
    drift = workflow("drift.yml")
    (cron,) = [entry["cron"] for entry in drift[True]["schedule"]]
    assert re.fullmatch(r"\d+ \d+ \* \* [0-6]", cron), "once a week"
    assert drift["permissions"] == {"contents": "read"}
    assert runs(drift["jobs"]["drift"]) == ["bash lock/drift"]


# --- Windows ---------------------------------------------------------------------------


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def test_text_files_are_written_with_lf_line_ends(root):
    """Windows turns "\\n" into "\\r\\n" when writing text: the build's bytes would differ."""
    missing = []
    for path in sorted((root / "koreasec_data").rglob("*.py")):
        for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(call.func, "attr", getattr(call.func, "id", ""))
            mode = next((a.value for a in call.args[1:2] if isinstance(a, ast.Constant)), "r")
            texts = name == "write_text" or (
                name == "open" and "b" not in str(mode) and mode != "r"
            )
            if texts and "newline" not in {keyword.arg for keyword in call.keywords}:
                missing.append(f"{path.relative_to(root)}:{call.lineno}")
    assert not missing, "pass newline='\\n': " + ", ".join(missing)


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _posix_users(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    """The module's functions that use a POSIX-only name, directly or through another
    function of the module, or take one as a fixture."""
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    posix, found = set(POSIX_ONLY), {}
    changed = True
    while changed:
        changed = False
        for name, function in functions.items():
            used = {
                _dotted(n) for n in ast.walk(function) if isinstance(n, ast.Attribute | ast.Name)
            }
            used |= {n.attr for n in ast.walk(function) if isinstance(n, ast.Attribute)}
            used |= {a.arg for a in function.args.args}
            texts = [n.value for n in ast.walk(function) if isinstance(n, ast.Constant)]
            if any(
                word in text for text in texts if isinstance(text, str) for word in POSIX_SCRIPT
            ):
                used.add("setpriv")
            if name not in found and used & posix:
                found[name], changed = function, True
                posix.add(name)
    return found


def _marked_for_windows(function: ast.FunctionDef, tree: ast.Module) -> bool:
    module = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and "pytestmark" in {getattr(t, "id", "") for t in node.targets}
    ]
    marks = [*function.decorator_list, *module]
    return any("win32" in ast.unparse(mark) for mark in marks)


def test_posix_only_tests_are_marked_for_windows(root):
    """Every test that signals, forks, sets file modes, limits resources or times itself
    with SIGALRM (conftest.time_limit) says it does not run on Windows."""
    unmarked = []
    for path in sorted((root / "tests").rglob("test_*.py")):
        if path.name == Path(__file__).name:  # names them, uses none
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, function in _posix_users(tree).items():
            if name.startswith("test_") and not _marked_for_windows(function, tree):
                unmarked.append(f"{path.relative_to(root)}::{name}")
    assert not unmarked, (
        "mark with @pytest.mark.skipif(sys.platform == 'win32', reason=...): " + ", ".join(unmarked)
    )


CHECKOUT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    shutil.which("git") is None or not (CHECKOUT / ".git").exists(), reason="not a git checkout"
)
def test_checkouts_keep_the_bytes_of_raw(root):
    """Git on Windows converts line ends on checkout (core.autocrlf): the texts' sha256 and
    the build's bytes would change. .gitattributes turns that off for every file."""
    probe = ["raw/articles/000.yaml", "raw/sources/000_69d675cf0e69e825.txt", "schemas/events.json"]
    result = subprocess.run(
        ["git", "check-attr", "text", "eol", "--", *probe], cwd=root, capture_output=True, text=True
    )
    assert result.stdout.count(": text: unset") == len(probe), result.stdout
