"""The tests run in a clean environment: no `AHADI_*` variable of the developer's shell reaches them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_variable_set_without_monkeypatch_leaks_no_further():
    os.environ["AHADI_LEAKED_BY_A_TEST"] = "1"  # what a careless test does; the next test must not see it


def test_no_ahadi_variable_reaches_a_test():
    from service.settings import Settings

    assert [name for name in os.environ if name.startswith("AHADI_")] == []
    assert Settings.from_env() == Settings()


def test_the_developers_variables_are_removed(tmp_path):
    """A child pytest started with hostile settings (each would fail `Settings.from_env`, or point
    it elsewhere) runs the two tests above, in order, and they pass."""
    hostile = {
        "AHADI_ENCODER_BACKEND": "tensorrt",
        "AHADI_MAX_FILE_MB": "lots",
        "AHADI_DATA_DIR": str(tmp_path / "developers-data"),
        "AHADI_QDRANT_URL": "http://qdrant.invalid:6333",
    }
    here = Path(__file__).relative_to(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{here}::test_a_variable_set_without_monkeypatch_leaks_no_further", f"{here}::test_no_ahadi_variable_reaches_a_test"],
        cwd=ROOT, env={**os.environ, **hostile}, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "2 passed" in done.stdout, done.stdout[-3000:]
