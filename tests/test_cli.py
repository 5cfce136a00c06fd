"""The `geodisp` command as a user runs it: exit codes and messages."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from geodisp.demo import DemoFiles

GEODISP = [sys.executable, "-m", "geodisp.cli"]


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([*GEODISP, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def _copy(demo: DemoFiles, tmp_path: Path) -> Path:
    inputs = tmp_path / "inputs"
    shutil.copytree(demo.event.parent, inputs)
    return inputs / "event.yaml"


def test_validate_ok(small_demo: DemoFiles) -> None:
    proc = _cli("validate", str(small_demo.event))
    assert proc.returncode == 0, proc.stderr
    assert "válido" in proc.stdout  # Spanish unless asked otherwise
    en = _cli("validate", str(small_demo.event), env={"GEODISP_LANG": "en"})
    assert ": valid" in en.stdout and "válido" not in en.stdout


def test_validate_lists_every_problem_and_exits_2(small_demo: DemoFiles, tmp_path: Path) -> None:
    event = _copy(small_demo, tmp_path)
    data = yaml.safe_load(event.read_text(encoding="utf-8"))
    data["damage"]["path"] = "casas.csv"
    data["event"]["hazard_type"] = "hurricane"
    data["extra"] = 1
    event.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    proc = _cli("validate", str(event))  # Spanish unless asked otherwise: pydantic's words are not shown
    assert proc.returncode == 2
    assert "3 problemas en el archivo de evento" in proc.stderr
    assert "damage.path: no se encuentra el archivo: casas.csv" in proc.stderr
    assert "event.hazard_type: debe ser uno de 'tropical_cyclone', " in proc.stderr
    assert " o 'wildfire'; se recibió 'hurricane'" in proc.stderr  # the bad value is quoted
    assert "extra: clave desconocida" in proc.stderr
    assert "Input should" not in proc.stderr and "unknown key" not in proc.stderr
    en = _cli("validate", str(event), "--lang", "en")
    assert en.returncode == 2
    assert "3 problems in the event file" in en.stderr
    assert "damage.path: file not found: casas.csv" in en.stderr
    assert "event.hazard_type: Input should be 'tropical_cyclone', " in en.stderr
    assert "extra: unknown key" in en.stderr
    assert "; got 'hurricane'" in en.stderr and "se recibió" not in en.stderr


def test_a_typo_in_a_key_gets_a_suggestion(small_demo: DemoFiles, tmp_path: Path) -> None:
    event = _copy(small_demo, tmp_path)
    data = yaml.safe_load(event.read_text(encoding="utf-8"))
    data["census"]["houshold_size"] = data["census"].pop("household_size", 3.6)
    data["overlay"] = {"chunk_size": 10}
    event.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    proc = _cli("validate", str(event))
    assert proc.returncode == 2
    assert "census.houshold_size: clave desconocida; ¿quiso decir 'household_size'?" in proc.stderr
    assert "overlay.chunk_size: debe ser mayor o igual que 64; se recibió 10" in proc.stderr
    en = _cli("validate", str(event), env={"GEODISP_LANG": "en"})
    assert en.returncode == 2
    assert "census.houshold_size: unknown key; did you mean 'household_size'?" in en.stderr
    assert "overlay.chunk_size: Input should be greater than or equal to 64; got 10" in en.stderr


def test_help_shows_flags_as_flags_in_the_chosen_language() -> None:
    es = _cli("run", "--help", env={"COLUMNS": "120"})
    assert es.returncode == 0 and "<bool>" not in es.stdout
    assert "--quiet" in es.stdout and "Sin barra de progreso ni resumen." in es.stdout
    en = _cli("run", "--help", "--lang", "en", env={"COLUMNS": "120"})
    assert "No progress bar or summary." in en.stdout and "Sin barra" not in en.stdout


def test_progress_reports_each_finished_dask_task() -> None:
    import dask.array as da

    from geodisp.cli import task_progress

    seen: list[tuple[int, int]] = []
    with task_progress(lambda done, total: seen.append((done, total))):
        da.ones((40, 40), chunks=10).sum().compute(scheduler="threads")
    totals = {t for _, t in seen}
    assert len(totals) == 1 and seen[0][0] == 0 and seen[-1][0] == seen[-1][1] == totals.pop()
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) > 16  # one report per task: 16 chunks and more


def test_run_missing_event_file_exits_2(tmp_path: Path) -> None:
    proc = _cli("run", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 2
    assert "no se encuentra el archivo de evento" in proc.stderr
    en = _cli("run", str(tmp_path / "nope.yaml"), "--lang", "en")
    assert en.returncode == 2 and "event file not found" in en.stderr


def test_run_unreadable_raster_exits_2_naming_the_file(small_demo: DemoFiles, tmp_path: Path) -> None:
    event = _copy(small_demo, tmp_path)
    (event.parent / "poblacion.tif").write_bytes(b"garbage")
    proc = _cli("run", str(event), "--out", str(tmp_path / "out"), "--quiet")
    assert proc.returncode == 2
    assert "poblacion.tif" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_internal_error_exits_1_with_log_path(small_demo: DemoFiles, tmp_path: Path) -> None:
    event = _copy(small_demo, tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    proc = _cli("run", str(event), "--out", str(tmp_path / "out"), "--quiet", "--workers", "1",
                env={"GEODISP_CACHE": str(blocker / "cache")})
    assert proc.returncode == 1, proc.stderr
    assert "error interno" in proc.stderr and "Traceback" not in proc.stderr
    log = Path(proc.stderr.split("detalles en ")[1].split(")")[0].strip())
    assert log.exists() and "Traceback" in log.read_text()


def test_run_quiet_succeeds_and_prints_nothing(small_demo: DemoFiles, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = _cli("run", str(small_demo.event), "--out", str(out), "--quiet", "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
    assert (out / "latest" / "manifest.json").exists()


def test_run_prints_summary(small_demo: DemoFiles, tmp_path: Path) -> None:
    proc = _cli("run", str(small_demo.event), "--out", str(tmp_path / "out"), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert "Personas desplazadas, todas las unidades" in proc.stdout and "Las 10 unidades" in proc.stdout and "rechazados" in proc.stdout
    en = _cli("run", str(small_demo.event), "--out", str(tmp_path / "out-en"), "--workers", "1", "--lang", "en")
    assert "People displaced, all units" in en.stdout and "Top 10 units" in en.stdout and "rejected" in en.stdout


def test_unknown_language_is_bad_input(small_demo: DemoFiles, tmp_path: Path) -> None:
    proc = _cli("run", str(small_demo.event), "--out", str(tmp_path / "out"), "--lang", "fr")
    assert proc.returncode == 2
    assert "--lang: idioma desconocido «fr»; elija es o en" in proc.stderr


def test_usage_errors_and_help_wrapper_speak_spanish_by_default_and_english_on_request() -> None:
    """click's own wording (usage line, "Error: No such option", "Missing argument", the --help line)."""
    bad = _cli("run", "--bogus", "x")
    assert bad.returncode == 2
    assert "Uso: " in bad.stderr and " run [OPCIONES] " in bad.stderr and " run --help' para ver la ayuda." in bad.stderr
    assert "error: No existe la opción: --bogus" in bad.stderr
    assert "Usage" not in bad.stderr and "No such option" not in bad.stderr and "Try " not in bad.stderr
    missing = _cli("run")
    assert missing.returncode == 2 and "error: Falta el argumento 'EVENT.yaml'." in missing.stderr
    value = _cli("run", "x.yaml", "--workers", "cero")
    assert value.returncode == 2 and "Valor no válido para '--workers': debe ser un número entero" in value.stderr
    unknown = _cli("frob")
    assert unknown.returncode == 2 and "No existe el comando 'frob'." in unknown.stderr
    help_es = _cli("run", "--help", env={"COLUMNS": "120"})
    assert help_es.returncode == 0
    assert "Uso: " in help_es.stdout and "Opciones:" in help_es.stdout and "Argumentos:" in help_es.stdout
    assert "Muestra esta ayuda y termina." in help_es.stdout and "[obligatorio]" in help_es.stdout
    assert "Show this message" not in help_es.stdout and "Options:" not in help_es.stdout

    en = _cli("run", "--bogus", "x", "--lang", "en")
    assert en.returncode == 2
    assert "Usage: " in en.stderr and " run [OPTIONS] " in en.stderr and "error: No such option: --bogus" in en.stderr
    assert "Uso" not in en.stderr
    en_missing = _cli("run", env={"GEODISP_LANG": "en"})
    assert en_missing.returncode == 2 and "Missing argument 'EVENT.yaml'." in en_missing.stderr
    help_en = _cli("run", "--help", "--lang", "en", env={"COLUMNS": "120"})
    assert "Show this message and exit." in help_en.stdout and "Options:" in help_en.stdout
