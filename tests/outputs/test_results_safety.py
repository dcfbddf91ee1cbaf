"""Results folders: unique under concurrency, one line for write errors, verified when read back."""
from __future__ import annotations

import json

import pytest

from innosd import cli
from innosd.core.equations import ModelError
from innosd.outputs.files import ResultsFolder, verify_folder, write_manifest


def _write(folder: ResultsFolder, text: str):
    folder.path("a.txt").write_text(text)
    write_manifest(folder, inputs={}, seed=1, runs=1)


def test_two_commands_finishing_in_the_same_second_get_two_folders(tmp_path):
    first, second = ResultsFolder(tmp_path, "run"), ResultsFolder(tmp_path, "run")
    assert first.final == second.final  # the same name was chosen: the collision the rename resolves
    with first, second:
        _write(first, "one")
        _write(second, "two")
    folders = sorted(p for p in tmp_path.iterdir())
    assert len(folders) == 2 and not any(p.name.startswith(".") for p in folders)
    assert sorted((p / "a.txt").read_text() for p in folders) == ["one", "two"]


def test_a_failed_command_leaves_no_hidden_folder(tmp_path):
    with pytest.raises(RuntimeError):
        with ResultsFolder(tmp_path, "run") as folder:
            _write(folder, "x")
            raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_verify_names_a_changed_file(tmp_path, capsys):
    with ResultsFolder(tmp_path, "run") as folder:
        _write(folder, "one")
    final = folder.final
    assert verify_folder(final)["outputs"]["a.txt"]
    assert cli.main(["verify", str(final)]) == 0
    (final / "a.txt").write_text("edited")
    with pytest.raises(ModelError, match="a.txt: changed after it was written"):
        verify_folder(final)
    capsys.readouterr()
    assert cli.main(["verify", str(final)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "a.txt" in err[0]


def test_a_manifest_cannot_point_outside_its_folder(tmp_path):
    with ResultsFolder(tmp_path, "run") as folder:
        _write(folder, "one")
    manifest = json.loads((folder.final / "manifest.json").read_text())
    manifest["outputs"]["../../etc/passwd"] = "0"
    (folder.final / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="outside the folder"):
        verify_folder(folder.final)


def test_an_unwritable_results_folder_is_one_line(home, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    status = cli.main(["run", "xingtai/baseline", "--runs", "2", "--no-charts", "--out", str(blocker / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and err[0].startswith("innosd: error: cannot write results")
