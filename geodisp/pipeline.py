"""``run(event) -> Result``: read → overlay → estimate → write → publish, nothing else.

``geodisp run event.yaml`` on the command line and ``geodisp.run(...)`` in a
notebook are this same call; each stage is a public function of
``geodisp.stages`` that a notebook can also call on its own.
"""
from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator, Optional

from geodisp import cluster, stages
from geodisp.config.event import Event, load_event
from geodisp.model.stages import Result

log = logging.getLogger("geodisp")

#: The stages in order, as named in progress reports, logs and the manifest's timings.
STAGES = ("read", "overlay", "estimate", "write")
#: Called with a stage name when it starts.
StageHook = Callable[[str], None]


@contextlib.contextmanager
def _stage(name: str, timings: dict[str, float], hook: Optional[StageHook]) -> Iterator[None]:
    if hook is not None:
        hook(name)
    log.info("stage %s: start", name)
    t0 = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - t0
    log.info("stage %s: %.2f s", name, timings[name])


def run(
    event: Event | str | Path,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    lang: str | None = None,
    on_stage: Optional[StageHook] = None,
    write: bool = True,
    on_step: Optional[StageHook] = None,
) -> Result:
    """Run one event end to end and return every stage's result and the paths written.

    ``event`` is a validated ``Event`` or the path of an event YAML file. ``out``
    overrides the output folder (default: ``output.directory``, else
    ``layers/<event id>``). ``scheduler`` is a ``tcp://HOST:PORT`` address of a
    running dask.distributed scheduler; ``workers`` starts a local cluster of that
    many processes; with neither, Dask's threaded scheduler runs the work. With
    ``write=False`` nothing is written (``Result.paths`` is empty). ``on_step`` is called
    with each step of the write stage as it starts (``outputs.WRITE_STEPS``).
    """
    from geodisp.outputs.i18n import check_lang

    if not isinstance(event, Event):
        event = load_event(event)
    if scheduler is not None:
        cluster.check_scheduler_address(scheduler)
    lang = lang or event.output.lang
    check_lang(lang)
    timings: dict[str, float] = {}

    # connect first, so an unreachable scheduler is reported before any input is read; the
    # write stage runs on the same scheduler, since the per-cell rasters are computed as written
    with cluster.dask_context(scheduler, workers):
        with _stage("read", timings, on_stage):
            sources = stages.read(event)
        with _stage("overlay", timings, on_stage):
            ov = stages.overlay(sources, cache_dir=event.overlay.cache_dir)
        with _stage("estimate", timings, on_stage):
            est = stages.estimate(sources, ov, event.methods)
        result = Result(event=event, sources=sources, overlay=ov, estimates=est, lang=lang)
        if not write:
            return replace(result, timings=timings)

        from geodisp import publish
        from geodisp.manifest import build_manifest, write_manifest

        out_dir = event.output_dir(out)
        with publish.staging(out_dir) as staged, _stage("write", timings, on_stage):
            t0 = time.perf_counter()
            written = stages.write(result, staged, lang, progress=on_step)
            # the manifest records the write stage up to itself; Result.timings has the whole stage
            manifest = build_manifest(event, result.counts, {**timings, "write": time.perf_counter() - t0}, written, staged,
                                      extra={"lang": lang, "out_dir": str(out_dir), "notes": list(result.notes),
                                             "forecast": bool(sources.footprint.forecast)})
            written["manifest"] = write_manifest(manifest, staged / "manifest.json")
            paths = publish.publish(staged, out_dir, written)
    timings["total"] = sum(v for k, v in timings.items() if k in STAGES)
    return replace(result, paths=paths, manifest=manifest, timings=timings)


def footprint(event: Event | str | Path, out: str | Path | None = None, lang: str | None = None) -> tuple[dict[str, Path], list[str]]:
    """Read the event's hazard onto its population grid and write the footprint alone (``geodisp footprint``).

    Returns the paths written (the COG, the styled GeoPackage, ``footprint_rejects.csv``
    when the hazard file had rejected records) and the reader's notes. Nothing else
    of the event is read.
    """
    from geodisp.outputs import event_stem, write_rejects
    from geodisp.outputs.footprint import write_footprint
    from geodisp.outputs.i18n import check_lang
    from geodisp.sources.population import open_population
    from geodisp.zonal.crosstab import hazard_raster

    if not isinstance(event, Event):
        event = load_event(event)
    lang = lang or event.output.lang
    check_lang(lang)
    out_dir = event.output_dir(out)
    with stages.located("population"):
        population = open_population(**stages.fields(event.population), chunks=event.overlay.chunk_size)
    with stages.located("hazard"):
        fp, rejects, notes = stages.read_footprint(**stages.fields(event.hazard), chunks=event.overlay.chunk_size,
                                                   population=population)
    classes = hazard_raster(fp, like=population) if fp.intensity is None else None
    paths = write_footprint(fp, classes, out_dir, event_stem(event), lang)
    if len(rejects):
        paths["rejects"] = write_rejects(rejects, out_dir / "footprint_rejects.csv")
    return paths, [f"hazard: {n}" for n in notes]

