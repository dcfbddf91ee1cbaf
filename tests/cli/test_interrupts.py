"""The command as a process: SIGTERM and two runs at once (the rest of the corpus runs in-process)."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

MODEL = Path(__file__).resolve().parents[2] / "model"


def _innosd(home: Path, *args) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(MODEL)}
    env.pop("INNOSD_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "innosd.cli", "--home", str(home), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if text in (p / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(p.name))
            except OSError:
                pass
    return found


@pytest.mark.slow
def test_sigterm_leaves_no_partial_folder_no_orphan_and_earlier_results(scratch_home):
    results = scratch_home / "results"
    earlier = results / "earlier-run"
    earlier.mkdir(parents=True)
    (earlier / "summary.csv").write_text("kept")
    digest = hashlib.sha256((earlier / "summary.csv").read_bytes()).hexdigest()
    proc = _innosd(scratch_home, "run", "xingtai/baseline", "--runs", "200", "--charts", "all")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:  # wait until it writes
        if any(p.name.startswith(".") for p in results.iterdir()):
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the run finished before it could be interrupted")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)  # no hang
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["innosd: interrupted; nothing partial was left behind"]
    assert [p.name for p in results.iterdir()] == ["earlier-run"]
    assert hashlib.sha256((earlier / "summary.csv").read_bytes()).hexdigest() == digest
    time.sleep(0.5)
    assert _processes_mentioning(str(scratch_home)) == []  # no orphan chart worker


@pytest.mark.slow
def test_two_runs_started_together_write_two_folders(scratch_home):
    procs = [_innosd(scratch_home, "run", "xingtai/baseline", "--runs", "20", "--no-charts") for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    folders = sorted((scratch_home / "results").iterdir())
    assert len(folders) == 2 and not any(p.name.startswith(".") for p in folders)
