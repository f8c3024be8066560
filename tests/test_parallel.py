"""A run split between processes gives exactly what a sequential run gives."""

from __future__ import annotations

import pytest
from conftest import AFTER_DEADLINE, CSV, XLSX, run_file

from renewal import pipeline


@pytest.mark.parametrize("path", [XLSX, CSV], ids=lambda p: p.name)
@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_equals_sequential(monkeypatch, path, jobs):
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 4)  # 43 rows: 11 blocks across the workers
    sequential = run_file(path, AFTER_DEADLINE, jobs=1)
    parallel = run_file(path, AFTER_DEADLINE, jobs=jobs)
    assert parallel.results == sequential.results
    assert parallel.attention == sequential.attention
    assert parallel.summary == sequential.summary
    assert parallel.summary["duplicate_ids"] == 1  # the duplicated id spans blocks


def test_a_worker_failure_reaches_the_user_as_one_clear_error(tmp_path, monkeypatch):
    from renewal.intake.tables import IntakeError

    path = tmp_path / "e.csv"
    good = "商家ID,合同签署时间\n" + "".join(f"m{i},2020-01-01\n" for i in range(50))
    path.write_bytes(good.encode("utf-8") + b"m-bad,\xff\xfe\xfa broken\n")
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 10)
    with pytest.raises(IntakeError) as error:
        run_file(path, AFTER_DEADLINE, jobs=2)
    assert error.value.key == "intake.bad_text"
    assert "row 52" in error.value.message("en")
