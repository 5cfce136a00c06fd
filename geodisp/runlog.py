"""One log file per run: a unique name, owner-only, the last few kept, each warning once.

``start(out_dir)`` attaches a handler writing ``<out>/logs/geodisp-<time>-<pid>-<random>.log``
(created exclusively, mode 0600: a traceback may quote a record) to geodisp's logger and
to the loggers of the libraries that print to the terminal (Python warnings, Dask's
``distributed``, asyncio, tornado), so people read one line and the log has the details.
Older logs beyond ``keep`` (:data:`KEEP_LOGS`) are removed. A warning or library message
repeated with the same text (a GDAL or Dask warning raised once per chunk) is written
once, with a count at the end of the run.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from pathlib import Path

#: Logs kept in ``<out>/logs`` (the newest; the current run's included).
KEEP_LOGS = 20
#: Loggers routed to the run's log instead of the terminal.
LOGGERS = ("geodisp", "py.warnings", "distributed", "asyncio", "tornado", "bokeh", "rasterio", "fiona", "pyogrio")
LOG_PREFIX = "geodisp-"


class Redact(logging.Filter):
    """Cut personal data (CURP, RFC, e-mail, phone, person names) out of every message
    (the last line of defence: messages never carry raw input values by design)."""

    def filter(self, record: logging.LogRecord) -> bool:
        from geodisp.sources.personal import scrub_text

        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        clean = scrub_text(message)
        if clean != message:
            record.msg, record.args = clean, ()
        if record.exc_text:
            record.exc_text = scrub_text(record.exc_text)
        return True


class OncePerMessage(logging.Filter):
    """Let a WARNING-or-lower message through the first time its text is seen; count the repeats."""

    def __init__(self) -> None:
        super().__init__()
        self.repeats: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR or record.name == "geodisp":
            return True
        key = f"{record.name}:{record.getMessage()}"
        if key in self.repeats:
            self.repeats[key] += 1
            return False
        self.repeats[key] = 0
        return True


def log_name(now: dt.datetime | None = None) -> str:
    """``geodisp-20261201-223000-123456-<pid>-<hex>.log``: two runs never share a name."""
    now = now or dt.datetime.now()
    return f"{LOG_PREFIX}{now:%Y%m%d-%H%M%S-%f}-{os.getpid()}-{secrets.token_hex(3)}.log"


def prune_logs(logs: Path, keep: int = KEEP_LOGS) -> list[Path]:
    """Remove all but the newest ``keep`` run logs in ``logs``; return those removed."""
    found = sorted(p for p in logs.glob(f"{LOG_PREFIX}*.log") if p.is_file())
    old = found[: max(0, len(found) - keep)]
    for p in old:
        p.unlink(missing_ok=True)
    return old


class RunLog:
    """The log of one run: its path, handler and repeat counter; ``close()`` detaches it."""

    def __init__(self, path: Path, handler: logging.Handler, once: OncePerMessage) -> None:
        self.path, self.handler, self.once = path, handler, once

    def close(self) -> None:
        repeated = {k: n for k, n in self.once.repeats.items() if n}
        if repeated:
            logging.getLogger("geodisp").info(
                "repeated messages (written once above): %s",
                "; ".join(f"{n}x {' '.join(k.split())[:160]}" for k, n in repeated.items()),
            )
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(self.handler)
        self.handler.close()


def _quiet_terminal(logger: logging.Logger) -> None:
    """Remove the handlers that print ``logger``'s messages on the terminal (Dask adds them at import)."""
    for handler in list(logger.handlers):
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            logger.removeHandler(handler)


def start(out_dir: str | os.PathLike, keep: int = KEEP_LOGS) -> RunLog:
    """Create this run's log under ``out_dir/logs`` and route geodisp's and the libraries' messages to it."""
    try:  # distributed adds its terminal handlers when imported: import it now so they are routed here
        import distributed  # noqa: F401
    except ImportError:  # pragma: no cover - a dependency
        pass
    logs = Path(out_dir) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    os.chmod(logs, 0o700)
    while True:
        path = logs / log_name()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:  # pragma: no cover - a collision of 24 random bits in the same microsecond
            continue
    os.close(fd)
    prune_logs(logs, keep)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    once = OncePerMessage()
    handler.addFilter(once)
    handler.addFilter(Redact())
    for name in LOGGERS:
        logger = logging.getLogger(name)
        _quiet_terminal(logger)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO if name == "geodisp" else logging.WARNING)
        logger.propagate = False
    for name in list(logging.root.manager.loggerDict):  # distributed.client, tornado.application...
        if any(name.startswith(parent + ".") for parent in LOGGERS):
            child = logging.getLogger(name)
            _quiet_terminal(child)
            child.propagate = True  # up to the parent's file handler
    logging.captureWarnings(True)
    return RunLog(path, handler, once)
