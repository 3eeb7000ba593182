"""The table builder: batches, order, origins, and the same table whatever the batch size."""

import random

import pytest

from koreasec_data.compile.assemble import CACHED, PLACED, READ, TableBuilder
from koreasec_data.schemas import load_schemas, repository_schema_dir

SCHEMAS = load_schemas(repository_schema_dir())


def _build(rows, schema, batch_rows):
    builder = TableBuilder(schema, batch_rows=batch_rows)
    for number, row in enumerate(rows):
        builder.append(row, number % 3, number + 10)
    return builder.finish()


@pytest.mark.parametrize("batch_rows", [1, 7, 1000])
def test_rows_come_out_sorted_by_primary_key_with_their_origins(batch_rows):
    rows = [
        {"event_id": f"ev-{n % 5}", "actor_id": f"act-{n % 7}", "role": role}
        for n in range(35)
        for role in ["initiator", "target"][: 1 + n % 2]
    ]
    random.Random(0).shuffle(rows)
    table, origins = _build(rows, SCHEMAS["event_actors"], batch_rows)
    key = ("event_id", "actor_id", "role")
    expected = sorted(range(len(rows)), key=lambda n: tuple(rows[n][k] for k in key))
    assert table.to_pylist() == [rows[n] for n in expected]
    assert origins.column("origin_line").to_pylist() == [n + 10 for n in expected]
    assert origins.column("origin_file").to_pylist() == [n % 3 for n in expected]


def test_the_table_carries_the_schema_and_not_the_origins():
    table, origins = _build(
        [{"event_id": "e", "actor_id": "a", "role": "target"}], SCHEMAS["event_actors"], 1
    )
    assert table.schema == SCHEMAS["event_actors"].arrow_schema()
    assert table.schema.metadata == SCHEMAS["event_actors"].arrow_schema().metadata
    assert origins.num_rows == 1


def test_equal_keys_keep_the_order_they_were_read_in():
    rows = [{"source_id": "s", "file_name": f"f{n}"} for n in range(20)]
    table, _ = _build(rows, SCHEMAS["sources"], 6)
    assert table.column("file_name").to_pylist() == [f"f{n}" for n in range(20)]


def test_returning_memory_switches_the_pool_and_restores_it_even_on_error():
    import pyarrow as pa

    from koreasec_data.compile.assemble import returning_memory

    before = pa.default_memory_pool().backend_name
    try:
        expected = pa.jemalloc_memory_pool().backend_name
    except NotImplementedError:  # a pyarrow built without jemalloc
        expected = pa.system_memory_pool().backend_name
    with pytest.raises(RuntimeError), returning_memory() as pool:
        assert pa.default_memory_pool().backend_name == pool.backend_name == expected
        raise RuntimeError("a failed build")
    assert pa.default_memory_pool().backend_name == before


#: Run in a fresh process: record the jemalloc options in force when pyarrow is loaded
#: during ``koreasec-data build``, and those left after it.
WATCH_PYARROW = """
import os, sys
from koreasec_data.cli import main
NAME, seen = "JE_ARROW_MALLOC_CONF", []
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "pyarrow" and not seen:
            seen.append(os.environ.get(NAME))
sys.meta_path.insert(0, Watch())
code = main(["build", "--root", sys.argv[1]])
print(code, seen, os.environ.get(NAME))
"""


@pytest.mark.parametrize("set_by_user", [None, "narenas:2"])
def test_a_build_loads_pyarrow_with_jemalloc_returning_pages_and_restores_the_environment(
    project, set_by_user
):
    import os
    import subprocess
    import sys

    from koreasec_data.compile.assemble import JEMALLOC_OPTIONS

    name, options = JEMALLOC_OPTIONS
    environment = {key: value for key, value in os.environ.items() if key != name}
    if set_by_user:
        environment[name] = set_by_user
    command = [sys.executable, "-c", WATCH_PYARROW, str(project)]
    done = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert done.returncode == 0, done.stderr
    expected = set_by_user or options
    assert done.stdout.splitlines()[-1].split() == ["0", f"['{expected}']", str(set_by_user)]


@pytest.mark.parametrize("batch_rows", [1, 7, 1000])
def test_drained_rows_extend_another_builder_as_if_appended(batch_rows):
    rows = [
        {"event_id": f"ev-{n % 4}", "actor_id": f"act-{n}", "role": "target"} for n in range(30)
    ]
    random.Random(1).shuffle(rows)
    table, origins = _build(rows, SCHEMAS["event_actors"], batch_rows)
    reader = TableBuilder(SCHEMAS["event_actors"])  # as in a worker: one file at a time
    gathered = TableBuilder(SCHEMAS["event_actors"], batch_rows=batch_rows)
    for number, row in enumerate(rows):
        if number % 2:  # rows of one file drained and sent, or appended where read
            reader.append(row, 0, number + 10)
            gathered.extend(reader.drain(), number % 3)
        else:
            gathered.append(row, number % 3, number + 10)
        assert gathered.num_rows() == number + 1  # however the rows wait
    again, again_origins = gathered.finish()
    assert again == table
    assert again_origins.drop(["origin_kind"]) == origins.drop(["origin_kind"])
    lines = again_origins.column("origin_line").to_pylist()
    kinds = again_origins.column("origin_kind").to_pylist()
    assert kinds == [READ if (line - 10) % 2 else PLACED for line in lines]


@pytest.mark.parametrize("batch_rows", [1, 7, 1000])
def test_rows_so_far_extend_another_builder_moved_to_their_files(batch_rows):
    rows = [{"event_id": f"ev-{n}", "actor_id": "act-1", "role": "target"} for n in range(20)]
    random.Random(2).shuffle(rows)
    table, origins = _build(rows, SCHEMAS["event_actors"], batch_rows)
    first = TableBuilder(SCHEMAS["event_actors"], batch_rows=batch_rows)
    for number, row in enumerate(rows[:12]):
        first.append(row, number % 3, number + 10)
    kept = first.rows_so_far()
    assert kept.num_rows == 12 and first.rows_so_far() == kept  # nothing consumed
    gathered = TableBuilder(SCHEMAS["event_actors"], batch_rows=batch_rows)
    gathered.extend_rows(kept, 5, CACHED)
    for number, row in enumerate(rows[12:], start=12):
        gathered.append(row, number % 3 + 5, number + 10)
    again, again_origins = gathered.finish()
    assert again == table
    files = origins.column("origin_file").to_pylist()
    assert again_origins.column("origin_file").to_pylist() == [file + 5 for file in files]
    lines = again_origins.column("origin_line").to_pylist()
    kinds = again_origins.column("origin_kind").to_pylist()
    assert kinds == [CACHED if line < 22 else PLACED for line in lines]
