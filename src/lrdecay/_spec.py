"""Schedule specs: one string (or file) naming a schedule, read without evaluating code.

A spec is one of

- a call written like Python, with literal arguments only:
  ``"ExponentialDecay(0.6, decay_steps=10, decay_rate=0.6, staircase=True)"`` (any
  registered class), or a ``tf.compat.v1.train`` name without its step argument:
  ``"exponential_decay(0.6, 10, 0.6, staircase=True)"``;
- a serialized schedule (`lrdecay.serialize`'s format, also Keras'): a dict, a JSON
  string starting with ``{``, or a ``.json``, ``.yaml``/``.yml`` or ``.toml`` file;
- a `Schedule`, returned as it is.

The call form is read with `ast` into literals only (numbers, strings, True/False/None,
lists and tuples, nested registered calls). Nothing is evaluated: no names other than
schedules, no attributes, no operators but a minus sign before a number and ``+``/``*`` between
schedules and numbers (``0.1 * CosineDecay(1.0, 100) + 0.01``, a `Product` and a `Sum`). Sizes are
checked before `ast.parse` sees the text, because the parser itself can run out of
stack or memory on deeply nested input.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lrdecay._base import Schedule

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_LENGTH", "parse", "short_form", "signature_text", "v1_forms"]

#: Longest spec string accepted (characters).
MAX_LENGTH = 10_000
#: Deepest bracket nesting accepted in a spec string.
MAX_DEPTH = 20
#: Largest spec file read.
MAX_FILE_BYTES = 1_000_000

_FILE_SUFFIXES = (".json", ".yaml", ".yml", ".toml")
#: Operators the tokenizer may show in a spec; everything else is refused up front.
_ALLOWED_OPS = frozenset("()[]{},=:-+*")
#: Most `+`, `*` and binary `-` operators accepted in a spec (each is one level of the syntax tree).
MAX_OPERATORS = 100
_LITERAL_KEYWORDS = frozenset({"True", "False", "None"})
_EXAMPLE = "ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)"


def parse(spec: Any) -> Schedule:
    """The schedule a spec names: a call string, a serialized dict or file, or a Schedule.

    >>> import lrdecay
    >>> lrdecay.parse("ExponentialDecay(0.6, decay_steps=10, decay_rate=0.6, staircase=True)")
    ExponentialDecay(initial_learning_rate=0.6, decay_steps=10, decay_rate=0.6, staircase=True)
    >>> lrdecay.parse("exponential_decay(0.6, 10, 0.6, staircase=True)")(25)  # the v1 name, no step
    0.216
    >>> s = lrdecay.PiecewiseConstantDecay([10, 20], [0.1, 0.01, 0.001])
    >>> lrdecay.parse(repr(s)) == s == lrdecay.parse(lrdecay.serialize(s))
    True
    >>> lrdecay.parse("ExponentialDecay(0.1, 10, __import__('os'))")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Invalid schedule spec: `__import__` is not a schedule at column 27: `__import__`. Known: ...

    Args:
        spec: a string (a call like the above, a JSON object, or the path of a
            ``.json``/``.yaml``/``.yml``/``.toml`` file), an ``os.PathLike`` path, a dict
            in `lrdecay.serialize`'s (or Keras') format, or a `Schedule`.

    Returns:
        The `Schedule`.

    Raises:
        ValueError: a malformed spec, a name that is not a registered schedule or a v1
            function, anything but literal arguments, arguments the schedule refuses,
            a file whose content is not a serialized schedule. The message points at
            the offending part (column and text).
        TypeError: `spec` of another type.
        OSError: a spec file that cannot be read.
        ImportError: a YAML file without PyYAML installed (``pip install 'lrdecay[yaml]'``).
    """
    from lrdecay._base import Schedule
    from lrdecay._registry import deserialize

    if isinstance(spec, Schedule):
        return spec
    if isinstance(spec, Mapping):
        return deserialize(spec)
    if isinstance(spec, os.PathLike):
        return _load_file(os.fspath(spec))
    if not isinstance(spec, str):
        raise TypeError(
            "Argument `spec` must be a string, a path, a dict or an lrdecay.Schedule. "
            f"Received: spec={spec!r} of type {type(spec).__name__}"
        )
    text = spec.strip()
    if not text:
        raise ValueError(f"Invalid schedule spec: it is empty. Write e.g. {_EXAMPLE}")
    if len(text) > MAX_LENGTH:
        raise ValueError(
            f"Invalid schedule spec: {len(text)} characters, more than the {MAX_LENGTH} accepted."
        )
    if _looks_like_file(text):
        return _load_file(text)
    if text.startswith("{"):
        where = "Invalid schedule spec (JSON)"
        return _from_data(_json_loads(text, where), where)
    return _parse_call(text)


# -- files and serialized data ---------------------------------------------------------


def _looks_like_file(text: str) -> bool:
    if "(" in text or "\n" in text:
        return False
    return text.lower().endswith(_FILE_SUFFIXES) or os.path.isfile(text)


def _load_file(path: str) -> Schedule:
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in _FILE_SUFFIXES:
        raise ValueError(f"Invalid schedule spec: {path!r} is a file, but not .json, .yaml, .yml or .toml.")
    loader: Any = None
    if suffix in (".yaml", ".yml"):
        loader = _yaml_loader()  # fail on a missing PyYAML before touching the file
    with open(path, "rb") as f:
        raw = f.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(f"{path}: larger than the {MAX_FILE_BYTES} bytes accepted for a spec file.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start}).") from None
    if suffix == ".json":
        data = _json_loads(text, path)
    elif suffix == ".toml":
        import tomllib

        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError) as err:
            raise ValueError(f"{path}: not valid TOML: {err}") from None
    else:
        try:
            data = loader(text)
        except RecursionError:
            raise ValueError(f"{path}: not valid YAML: nested too deeply.") from None
        except Exception as err:  # yaml.YAMLError and friends
            raise ValueError(f"{path}: not valid YAML: {_one_line(err)}") from None
    return _from_data(data, path)


def _yaml_loader() -> Any:
    try:
        import yaml
    except ImportError:
        raise ImportError("Reading a YAML spec needs PyYAML: pip install 'lrdecay[yaml]'") from None
    return yaml.safe_load


def _json_loads(text: str, where: str) -> Any:
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(
            f"{where}: not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}."
        ) from None
    except RecursionError:
        raise ValueError(f"{where}: not valid JSON: nested too deeply.") from None


def _from_data(data: Any, where: str) -> Schedule:
    from lrdecay._registry import deserialize

    if not isinstance(data, Mapping):
        raise ValueError(
            f"{where}: expected a serialized schedule (a mapping with 'class_name' and "
            f"'config', as lrdecay.serialize writes), got {type(data).__name__}."
        )
    try:
        return deserialize(data)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{where}: {err}") from None
    except RecursionError:
        raise ValueError(f"{where}: nested too deeply.") from None


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())


# -- the call form -----------------------------------------------------------------------


def _where(text: str, line: int, col: int, snippet: str) -> str:
    # ast and tokenize count columns from 0 in UTF-8 bytes (ast) or characters
    # (tokenize); we report characters, from 1, as editors do.
    place = f"column {col + 1}" if "\n" not in text else f"line {line}, column {col + 1}"
    snippet = snippet if len(snippet) <= 40 else snippet[:37] + "..."
    return f"at {place}: `{snippet}`"


def _refuse(text: str, what: str, line: int, col: int, snippet: str, after: str = "") -> ValueError:
    return ValueError(f"Invalid schedule spec: {what} {_where(text, line, col, snippet)}.{after}")


def _prescan(text: str) -> None:
    """Refuse oversized nesting, too many operators and the operators specs do not use, before `ast.parse` runs."""
    import io
    import keyword
    import tokenize

    depth = 0
    operators = 0
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    prev_minus = None
    prev_end = False  # the previous token ends an operand: a `-` now is binary
    try:
        for tok in tokens:
            line, col = tok.start
            end = tok.type in (tokenize.NUMBER, tokenize.NAME) or tok.string in (")", "]")
            # A `-` must be followed by a number or a name: never by another `-`, so no
            # chain of them can deepen the syntax tree.
            if prev_minus is not None and tok.type not in (tokenize.NUMBER, tokenize.NAME):
                m_line, m_col = prev_minus.start
                raise _refuse(
                    text,
                    "`-` is only allowed directly before a number or a schedule call",
                    m_line,
                    m_col,
                    prev_minus.line[m_col : m_col + 20].rstrip(),
                )
            prev_minus = None
            if tok.type == tokenize.OP:
                s = tok.string
                if s in "([{":
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise _refuse(
                            text,
                            f"brackets nested more than {MAX_DEPTH} deep",
                            line,
                            col,
                            tok.line[col : col + 20],
                        )
                elif s in ")]}":
                    depth -= 1
                elif s == "-":
                    prev_minus = tok
                    if prev_end:  # binary: one level of the tree, as `+` and `*`
                        operators += 1
                        if operators > MAX_OPERATORS:
                            raise _refuse(
                                text, f"more than {MAX_OPERATORS} `+`/`-`/`*` operators", line, col, s
                            )
                elif s in ("+", "*"):
                    operators += 1
                    if operators > MAX_OPERATORS:
                        raise _refuse(text, f"more than {MAX_OPERATORS} `+`/`-`/`*` operators", line, col, s)
                elif s not in _ALLOWED_OPS:
                    what = {
                        ".": "attribute access (`.`) is not allowed",
                        "**": "`**` is not allowed (write the number itself)",
                    }.get(s, f"the operator `{s}` is not allowed (arguments are literals)")
                    raise _refuse(text, what, line, col, tok.line[col : col + 20].rstrip())
            elif (
                tok.type == tokenize.NAME
                and keyword.iskeyword(tok.string)
                and tok.string not in _LITERAL_KEYWORDS
            ):
                raise _refuse(text, f"the keyword `{tok.string}` is not allowed", line, col, tok.string)
            if tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
                prev_end = end
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass  # unbalanced or unterminated: ast.parse reports it with its position


def _parse_call(text: str) -> Schedule:
    import ast

    _prescan(text)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as err:
        col = (err.offset or 1) - 1
        line_text = (err.text or "").rstrip("\n")
        raise _refuse(
            text, f"not a call ({err.msg})", err.lineno or 1, col, line_text[col : col + 20] or line_text
        ) from None
    except (ValueError, RecursionError, MemoryError, OverflowError) as err:
        raise ValueError(f"Invalid schedule spec: {_one_line(err) or type(err).__name__}.") from None
    node = tree.body
    if isinstance(node, ast.BinOp):
        return _Reader(text).arithmetic(node)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Call):
        negated: Schedule = _Reader(text).literal(node)
        return negated
    if not isinstance(node, ast.Call):
        raise _refuse(
            text,
            f"a spec is a call like {_EXAMPLE} (or schedules and numbers joined by +, - and *), "
            f"not {_describe_node(node)}",
            node.lineno,
            node.col_offset,
            _segment(text, node),
        )
    return _Reader(text).call(node)


def _segment(text: str, node: Any) -> str:
    import ast

    return ast.get_source_segment(text, node) or ""


def _describe_node(node: Any) -> str:
    import ast

    kinds = {
        ast.Attribute: "attribute access",
        ast.Subscript: "indexing",
        ast.Lambda: "a lambda",
        ast.BinOp: "arithmetic",
        ast.BoolOp: "a boolean operation",
        ast.Compare: "a comparison",
        ast.JoinedStr: "an f-string",
        ast.Dict: "a dict",
        ast.Set: "a set",
        ast.Starred: "`*` unpacking",
        ast.IfExp: "a conditional expression",
        ast.ListComp: "a comprehension",
        ast.Name: "a name",
        ast.Constant: "a constant",
        ast.UnaryOp: "an operator",
        ast.Call: "a call",
        ast.List: "a list",
        ast.Tuple: "a tuple",
    }
    for kind, words in kinds.items():
        if isinstance(node, kind):
            return words
    return f"a {type(node).__name__} expression"


class _Reader:
    """Turns the checked syntax tree of a spec into a schedule, literal by literal."""

    def __init__(self, text: str) -> None:
        self.text = text

    def refuse(self, node: Any, what: str, after: str = "") -> ValueError:
        col = _char_col(self.text, node)
        return _refuse(self.text, what, node.lineno, col, _segment(self.text, node), after)

    def literal(self, node: Any) -> Any:
        import ast

        if isinstance(node, ast.BinOp):
            return self.arithmetic(node)
        if isinstance(node, ast.Constant):
            value = node.value
            if value is None or isinstance(value, (bool, str)):
                return value
            if isinstance(value, int):
                try:
                    float(value)
                except OverflowError:
                    raise self.refuse(node, "a number too large for a float") from None
                return value
            if isinstance(value, float):
                if value != value or value in (float("inf"), float("-inf")):
                    raise self.refuse(node, "a number that is not finite")
                return value
            raise self.refuse(node, f"a {type(value).__name__} literal is not allowed")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            operand = node.operand
            if isinstance(operand, ast.Constant) and type(operand.value) in (int, float):
                return -self.literal(operand)
            if isinstance(operand, ast.Call):
                return -self.call(operand)
            raise self.refuse(node, "`-` is only allowed directly before a number or a schedule call")
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.literal(item) for item in node.elts]
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Name):
            hint = (
                " (write True/False/None with a capital)"
                if node.id in ("true", "false", "none", "null")
                else ""
            )
            raise self.refuse(
                node,
                f"the name `{node.id}` is not allowed: arguments are numbers, strings, "
                f"True/False/None, lists or schedule calls{hint}",
            )
        raise self.refuse(node, f"{_describe_node(node)} is not allowed (arguments are literals)")

    def arithmetic(self, node: Any) -> Schedule:
        """``a + b``, ``a - b`` or ``a * b`` with at least one schedule: a `Sum` or `Product`."""
        import ast

        from lrdecay._base import Schedule

        ops = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
        symbol = ops.get(type(node.op))
        if symbol is None:
            raise self.refuse(node, "only `+`, `-` and `*` are allowed between schedules and numbers")
        left, right = self.literal(node.left), self.literal(node.right)
        for operand, side in ((left, node.left), (right, node.right)):
            if isinstance(operand, bool) or not isinstance(operand, (Schedule, int, float)):
                raise self.refuse(side, f"`{symbol}` joins schedules and numbers, not {_describe_node(side)}")
        if not isinstance(left, Schedule) and not isinstance(right, Schedule):
            raise self.refuse(node, "arithmetic between numbers is not allowed (write the number itself)")
        try:
            combined: Schedule = (
                left + right if symbol == "+" else left - right if symbol == "-" else left * right
            )
            return combined
        except (TypeError, ValueError) as err:
            raise self.refuse(node, _one_line(err)) from None

    def call(self, node: Any) -> Schedule:
        import ast

        func = node.func
        if not isinstance(func, ast.Name):
            raise self.refuse(func, f"{_describe_node(func)} is not a schedule name")
        name = func.id
        target = _lookup(name)
        if target is None:
            hint, known = _suggestion(name)
            raise self.refuse(func, f"`{name}` is not a schedule{hint}", f" Known: {known}")
        args = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.refuse(arg, "`*` unpacking is not allowed")
            args.append(self.literal(arg))
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            if kw.arg is None:
                raise self.refuse(kw.value, "`**` unpacking is not allowed")
            if kw.arg in kwargs:
                raise self.refuse(kw, f"the argument `{kw.arg}` is given twice")
            kwargs[kw.arg] = self.literal(kw.value)
        try:
            built: Schedule = target(args, kwargs)
            return built
        except (TypeError, ValueError) as err:
            where = _where(self.text, node.lineno, _char_col(self.text, node), _segment(self.text, node))
            raise ValueError(f"Invalid schedule spec {where}: {_one_line(err)}") from None


def _char_col(text: str, node: Any) -> int:
    # ast's col_offset counts UTF-8 bytes; convert to characters for the message.
    line = text.splitlines()[node.lineno - 1] if text else ""
    return len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))


# -- names: registered classes and the v1 functions --------------------------------------


def _lookup(name: str) -> Any:
    """A builder ``(args, kwargs) -> Schedule`` for a class or v1 name, or None."""
    from lrdecay import _registry

    if name in _registry.names():
        cls = _registry.get(name)
        return lambda args, kwargs: _build_class(cls, args, kwargs)
    forms = v1_forms()
    if name in forms:
        return lambda args, kwargs: _build_v1(name, forms[name], args, kwargs)
    return None


def _suggestion(name: str) -> tuple[str, str]:
    import difflib

    from lrdecay import _registry

    known = _registry.names() + sorted(v1_forms())
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean `{close[0]}`?)" if close else ""
    return hint, ", ".join(known)


def _build_class(cls: type, args: list[Any], kwargs: dict[str, Any]) -> Any:
    import inspect

    sig = inspect.signature(cls)
    try:
        sig.bind(*args, **kwargs)
    except TypeError as err:
        raise TypeError(f"{cls.__name__}: {err}. Signature: {signature_text(cls)}") from None
    return cls(*args, **kwargs)


def _build_v1(name: str, form: tuple[Any, ...], args: list[Any], kwargs: dict[str, Any]) -> Any:
    function, step_arg, sig = form
    if step_arg in kwargs:
        raise TypeError(f"{name} in a spec takes no step: remove `{step_arg}`. Signature: {name}{sig}")
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as err:
        raise TypeError(f"{name}: {err}. Signature: {name}{sig}") from None
    return function(**bound.arguments, **{step_arg: 0}).schedule


_V1_FORMS: dict[str, tuple[Any, ...]] = {}


def v1_forms() -> dict[str, tuple[Any, ...]]:
    """``{v1 name: (function, step argument name, signature without the step)}``.

    Read from the functions in `lrdecay.compat.v1` themselves, so the argument lists
    are written in one place.
    """
    if not _V1_FORMS:
        import inspect

        from lrdecay.compat import v1

        for fname in v1.__all__:
            function = getattr(v1, fname)
            if not inspect.isfunction(function):
                continue
            sig = inspect.signature(function)
            steps = [p for p in sig.parameters if p in ("global_step", "x")]
            if len(steps) != 1:
                continue
            rest = [p for p in sig.parameters.values() if p.name != steps[0]]
            _V1_FORMS[fname] = (function, steps[0], sig.replace(parameters=rest))
    return _V1_FORMS


def signature_text(cls: type) -> str:
    """``Name(arg, arg=default, ...)`` for a schedule class, without annotations."""
    import inspect

    parts = []
    for p in inspect.signature(cls).parameters.values():
        if p.kind is inspect.Parameter.VAR_POSITIONAL:
            parts.append(f"*{p.name}")
        else:
            parts.append(p.name if p.default is inspect.Parameter.empty else f"{p.name}={p.default!r}")
    return f"{cls.__name__}({', '.join(parts)})"


def short_form(schedule: Any) -> str:
    """A compact call that `parse` reads back: required arguments positional,
    defaults left out, lists for sequences, sums and products written with ``+`` and
    ``*``, and constants inside other schedules as plain numbers.

    >>> import lrdecay
    >>> from lrdecay._spec import short_form
    >>> short_form(lrdecay.ExponentialDecay(0.6, decay_steps=10, decay_rate=0.6, staircase=True))
    'ExponentialDecay(0.6, 10, 0.6, staircase=True)'
    >>> short_form(0.5 * lrdecay.Warmup(lrdecay.CosineDecay(1.0, 100), warmup_steps=10) + 0.01)
    '0.5 * Warmup(CosineDecay(1.0, 100), 10) + 0.01'
    """
    return _short(schedule, nested=False)


def _short(schedule: Any, nested: bool = True) -> str:
    import dataclasses

    from lrdecay._base import OPERATORS, Schedule
    from lrdecay._classes import get

    kind = type(schedule)
    if nested and kind is get("Constant"):
        return repr(schedule.value)
    infix = {OPERATORS.get("Sum"): " + ", OPERATORS.get("Product"): " * "}.get(kind)
    # ``0.5 * 0.2`` would be arithmetic between numbers, which a spec refuses: call form.
    if infix and any(type(x) is not get("Constant") for x in schedule.schedules):
        terms = (_short(x) for x in schedule.schedules)
        if kind is OPERATORS["Product"]:
            terms = (
                f"({t})" if type(x) is OPERATORS["Sum"] else t
                for x, t in zip(schedule.schedules, terms, strict=False)
            )
        return infix.join(terms)
    parts = []
    for f in dataclasses.fields(schedule):
        value = getattr(schedule, f.name)
        text = _short(value) if isinstance(value, Schedule) else _short_value(value)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            parts.append(text)
        elif not (type(value) is type(f.default) and value == f.default):
            parts.append(f"{f.name}={text}")
    return f"{kind.__name__}({', '.join(parts)})"


def _short_value(value: Any) -> str:
    from lrdecay._base import Schedule

    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_short(v) if isinstance(v, Schedule) else _short_value(v) for v in value) + "]"
    return repr(value)
