"""Checks made before any work: each ends in exit 2 with one clear line, not a traceback
after the computation."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from geodisp.demo import DemoFiles


def _cli(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geodisp.cli", *args], capture_output=True, timeout=300, **kw)


def _event(demo: DemoFiles, tmp_path: Path, **changes) -> Path:
    inputs = tmp_path / "inputs"
    shutil.copytree(demo.event.parent, inputs)
    data = yaml.safe_load((inputs / "event.yaml").read_text(encoding="utf-8"))
    data["event"].update(changes)
    (inputs / "event.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return inputs / "event.yaml"


def test_an_event_id_too_long_for_file_names_fails_validate(small_demo: DemoFiles, tmp_path: Path) -> None:
    event = _event(small_demo, tmp_path, id="a" * 300)
    proc = _cli("validate", str(event), text=True)
    assert proc.returncode == 2
    assert "event.id:" in proc.stderr and "100" in proc.stderr


def test_an_output_folder_name_that_is_not_utf8_is_refused_before_work(small_demo: DemoFiles, tmp_path: Path) -> None:
    out = os.fsencode(tmp_path) + b"/salida-\xff\xfe"
    proc = _cli(b"run", os.fsencode(small_demo.event), b"--out", out, b"--quiet")
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, err
    assert "--out" in err and "UTF-8" in err and "Traceback" not in err
    assert not os.path.exists(out)  # nothing was created: refused before any work


def test_a_folder_given_as_the_event_file_is_bad_input(tmp_path: Path) -> None:
    for command in ("validate", "run"):
        proc = _cli(command, str(tmp_path), text=True)
        assert proc.returncode == 2, proc.stderr
        assert "es una carpeta" in proc.stderr and "Traceback" not in proc.stderr
    proc = _cli("validate", str(tmp_path), "--lang", "en", text=True)
    assert proc.returncode == 2 and "is a folder" in proc.stderr


def test_an_event_file_that_is_not_text_is_bad_input(tmp_path: Path) -> None:
    event = tmp_path / "event.yaml"
    event.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    proc = _cli("validate", str(event), text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
