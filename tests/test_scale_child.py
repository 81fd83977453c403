"""The scale benchmark's reading of its serving process's result (benchmarks/scale.py)."""

import pytest

from benchmarks.scale import child_result


def test_a_result_printed_before_a_crash_at_exit_is_kept_with_the_exit_code():
    output = 'ready\n{"idle": {"p95_ms": 80.0}}\n'
    assert child_result(output, 0) == {"idle": {"p95_ms": 80.0}}
    assert child_result(output, -11) == {"idle": {"p95_ms": 80.0}, "serving_process_exit_code": -11}


@pytest.mark.parametrize("output", ["", "ready\n", "ready\nTraceback (most recent call last):\n"])
def test_a_serving_process_that_printed_no_result_is_a_failure(output):
    with pytest.raises(RuntimeError, match="exit code 1"):
        child_result(output, 1)
