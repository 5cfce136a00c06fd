"""The notebooks run top to bottom on the demo data, and are kept without outputs in git."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_four_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == ["01_quick_start.ipynb", "02_method_comparison.ipynb", "03_scaling_out.ipynb", "04_year.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


def _stderr(nb) -> list[str]:
    return [o.text for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "stream" and o.name == "stderr"]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_as_a_user_opens_it(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from its own folder with its own relative output folder (``../layers/...``), as Jupyter does
    when a user opens ``notebooks/<name>.ipynb``; only the demo's size is made smaller."""
    monkeypatch.setenv("GEODISP_DEMO_CELL_DEG", "0.008")
    monkeypatch.setenv("GEODISP_DEMO_POINTS", "400")
    monkeypatch.delenv("MPLBACKEND", raising=False)
    folder = tmp_path / "repo" / "notebooks"
    folder.mkdir(parents=True)
    shutil.copy(path, folder / path.name)
    nb = nbformat.read(folder / path.name, as_version=4)
    # one extra cell at the end, not saved: which matplotlib backend the session has after geodisp ran
    nb.cells.append(nbformat.v4.new_code_cell("import matplotlib; print('BACKEND', matplotlib.get_backend())"))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    assert any((tmp_path / "repo" / "layers").rglob("manifest.json"))  # written where ../layers points
    backend = [o.text for o in nb.cells[-1].outputs if o.output_type == "stream"][0]
    assert "inline" in backend, backend  # importing geodisp's writers left the notebook's backend alone
    # no walls of library warnings; rasterio's NotGeoreferencedWarning from an in-memory burn is left aside
    # (every rasterize call passes its transform; seen once in CI, not reproduced, noted on issue 14)
    assert not [t for t in _stderr(nb) if "Warning" in t and "NotGeoreferencedWarning" not in t], _stderr(nb)
    if path.stem.startswith("01"):
        images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
        assert images, "the researcher's own plot did not show"
        html = [o["data"]["text/html"] for c in nb.cells for o in getattr(c, "outputs", []) if "text/html" in o.get("data", {})]
        assert any("leaflet" in h.lower() and "cdn.jsdelivr" not in h for h in html)  # the offline map
    if path.stem.startswith("02"):
        table = [o["data"]["text/plain"] for o in nb.cells[-3].outputs if "text/plain" in o.get("data", {})][0]
        rows = [line.split(None, 2)[-1] for line in table.splitlines() if line.startswith("rates x")]
        assert len(rows) == 3 and len(set(rows)) == 3, table  # the sensitivity rows differ
