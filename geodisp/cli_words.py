"""The command line's own wording (usage line, help sections, usage errors) in the chosen language.

Typer (and the click it vendors) word usage errors and help in English, mostly in
f-strings no gettext catalogue can reach. geodisp therefore words them itself:
:class:`Command` and :class:`Group` write the usage line and the ``--help`` option in
the command's language, :func:`install_help_words` gives Typer's gettext strings
("Options", "Arguments", "Commands", "default", "required") their catalogue text, and
:func:`usage_error` re-words a usage error from its structured fields (option name,
parameter, value), keeping click's own text only for a case it does not know.
``text`` is always the command's catalogue lookup (``geodisp.cli._h``).
"""
from __future__ import annotations

import re
from typing import Any, Callable

import typer.core

Text = Callable[[str], str]

#: Typer's gettext message ids and the catalogue key of each.
_GETTEXT_KEYS: dict[str, str] = {
    "Options": "cli_section_options", "Arguments": "cli_section_arguments", "Commands": "cli_section_commands",
    "default: {default}": "cli_default", "required": "cli_required", "Aborted!": "cli_aborted",
    "Missing command.": "cli_missing_command",
}


def install_help_words(text: Text) -> None:
    """Route Typer's gettext strings through the catalogue (a gettext-style override of ``typer.core._``)."""
    typer.core._ = lambda message: text(_GETTEXT_KEYS[message]) if message in _GETTEXT_KEYS else message  # type: ignore[attr-defined]


def _localised(base: type, text_of: Callable[[], Text]) -> type:
    """``base`` (a Typer command or group class) writing its usage line and ``--help`` option in the command's language."""

    class Localised(base):  # type: ignore[misc, valid-type]
        def format_usage(self, ctx: Any, formatter: Any) -> None:
            text = text_of()
            pieces = [{"[OPTIONS]": text("cli_options_metavar"), "COMMAND [ARGS]...": text("cli_command_metavar")}.get(p, p)
                      for p in self.collect_usage_pieces(ctx)]
            formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=text("cli_usage") + " ")

        def get_help_option(self, ctx: Any) -> Any:
            option = super().get_help_option(ctx)
            if option is not None:
                option.help = text_of()("cli_help_help")
            return option

    Localised.__name__ = Localised.__qualname__ = f"Localised{base.__name__}"
    return Localised


def command_classes(text_of: Callable[[], Text]) -> tuple[type, type]:
    """The (command, group) classes for ``typer.Typer(cls=...)`` and ``app.command(cls=...)``."""
    return _localised(typer.core.TyperCommand, text_of), _localised(typer.core.TyperGroup, text_of)


def is_usage_error(exc: BaseException) -> bool:
    """A click usage error (wrong option, missing argument, bad value), whichever click raised it."""
    return any(c.__name__ == "UsageError" for c in type(exc).__mro__) and hasattr(exc, "ctx")


def _hint(exc: Any) -> str:
    """The parameter a usage error is about, as click names it (``'--workers'``, ``'EVENT.yaml'``)."""
    hint = getattr(exc, "param_hint", None)
    if hint:
        return " / ".join(f"'{h}'" for h in hint) if isinstance(hint, (list, tuple)) else str(hint)
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    try:
        return str(param.get_error_hint(exc.ctx))
    except TypeError:  # the click vendored by Typer takes no context
        return str(param.get_error_hint())


#: pydantic's wording of a bad option value (Typer validates with pydantic) and the catalogue key of each.
_DETAILS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^Input should be a valid integer"), "cli_detail_int"),
    (re.compile(r"^Input should be a valid number"), "cli_detail_number"),
    (re.compile(r"^Input should be greater than or equal to (?P<limit>\S+)$"), "cli_detail_ge"),
    (re.compile(r"^Input should be greater than (?P<limit>\S+)$"), "cli_detail_gt"),
    (re.compile(r"^Input should be less than or equal to (?P<limit>\S+)$"), "cli_detail_le"),
    (re.compile(r"^Input should be less than (?P<limit>\S+)$"), "cli_detail_lt"),
)
#: click's wording of the other usage errors and the catalogue key of each.
_MESSAGES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^Got unexpected extra argument\(?s?\)? \((?P<args>.*)\)$"), "cli_extra_args"),
    (re.compile(r"^Option (?P<name>'.+') requires (an argument|\d+ arguments)\.$"), "cli_requires_value"),
    (re.compile(r"^Option (?P<name>'.+') does not take a value\.$"), "cli_no_value"),
    (re.compile(r"^No such command (?P<name>'.+')\.$"), "cli_no_such_command"),
    (re.compile(r"^Missing command\.$"), "cli_missing_command"),
)


def _reworded(message: str, table: tuple[tuple[re.Pattern, str], ...], text: Text) -> str:
    for pattern, key in table:
        m = pattern.match(message.strip())
        if m:
            return text(key).format(**m.groupdict())
    return message


def usage_message(exc: Any, text: Text) -> str:
    """A usage error's message in the command's language."""
    kind = {c.__name__ for c in type(exc).__mro__}
    if "NoSuchOption" in kind:
        shown = text("cli_no_such_option").format(name=exc.option_name)
        possible = sorted(getattr(exc, "possibilities", None) or [])
        return shown + (text("cli_possible_options").format(options=", ".join(possible)) if possible else "")
    if "MissingParameter" in kind:
        kind_name = getattr(exc, "param_type", None) or getattr(getattr(exc, "param", None), "param_type_name", "")
        key = "cli_missing_argument" if kind_name == "argument" else "cli_missing_option"
        return text(key).format(name=_hint(exc))
    if "BadParameter" in kind:
        return text("cli_invalid_value").format(name=_hint(exc), detail=_reworded(str(exc.message), _DETAILS, text))
    return _reworded(str(getattr(exc, "message", exc)), _MESSAGES, text)


def usage_error(exc: Any, text: Text) -> str:
    """The whole usage-error text: the usage line, where to get help, and the error, in the command's language."""
    lines = []
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(text("cli_try_help").format(command=ctx.command_path, option=ctx.help_option_names[0]))
        lines.append("")
    lines.append(f"{text('cli_error')}: {usage_message(exc, text)}")
    return "\n".join(lines)
