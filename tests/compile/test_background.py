import subprocess
import sys
import threading

import pytest

from koreasec_data.compile.background import done, in_background


def test_the_function_runs_beside_the_caller_and_its_result_is_the_futures():
    started, go_on = threading.Event(), threading.Event()

    def waits() -> str:
        started.set()
        assert go_on.wait(10)
        return "sorted"

    future = in_background(waits)
    assert started.wait(10) and not future.done()  # the caller was not kept waiting
    go_on.set()
    assert future.result(10) == "sorted"
    assert done("sorted").result() == "sorted"


def test_a_failure_reaches_whoever_asks_for_the_result():
    with pytest.raises(ValueError):
        in_background(int, "not a number").result(10)


def test_work_left_running_does_not_keep_an_ending_process_alive():
    code = (
        "import time; from koreasec_data.compile.background import in_background; "
        "in_background(time.sleep, 120); print('ended')"
    )
    ended = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert ended.returncode == 0 and ended.stdout.strip() == "ended"
