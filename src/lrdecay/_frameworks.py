"""Framework tensors (torch, jax, TensorFlow): looked up only when one is passed.

A schedule's formula (``_f(self, s, xp)``) runs unchanged on framework tensors: this
module supplies ``xp`` for them. torch and jax go through their array-API namespaces
(array-api-compat), TensorFlow through ``tf.math``. Nothing here imports a framework
that is not already imported: a torch tensor can only be passed if torch is in
``sys.modules``.

What ``call`` guarantees for a tensor step:

* the result is the same kind of tensor, on the same device, with the step's shape;
* float steps keep their dtype (float16/bfloat16 are computed in float32 and cast back);
  integer steps are cast to the framework's default float (torch:
  ``torch.get_default_dtype()``, jax: float32 unless x64 is enabled, TensorFlow:
  float32) *before* any division, so int32 counters cannot overflow;
* no host synchronisation and no inspection of the values: it traces under
  ``jax.jit``/``jax.vmap``, ``tf.function`` and ``torch.compile``. Negative or NaN
  tensor steps are therefore not rejected (DESIGN section 4).

The noise of ``NoisyLinearCosineDecay`` is the same 32-bit hash as ``lrdecay._noise``,
written with the wrapping integer arithmetic each framework has (uint32 in jax and
TensorFlow, 16-bit limbs in int64 for torch, whose uint32 lacks multiplication).
"""

from __future__ import annotations

import sys
from typing import Any

from lrdecay import _noise

__all__ = ["ops_for"]

_MASK = 0xFFFFFFFF
_TWO_32 = 4294967296.0
_INV_TWO_32 = 2.0**-32


def _mix32(x: Any, shr: Any, mul: Any) -> Any:
    """``_noise._mix32`` over integer tensors holding 32-bit words."""
    x = x ^ shr(x, 16)
    x = mul(x, _noise._M1)
    x = x ^ shr(x, 15)
    x = mul(x, _noise._M2)
    return x ^ shr(x, 16)


class _Ops:
    """Shared parts: the hash-based `normal`; subclasses supply the array operations."""

    name = "?"
    floor: Any  # supplied by each subclass, like the other array operations

    # -- hooks for the integer arithmetic of the hash ------------------------------
    def _words(self, x: Any) -> Any:  # float tensor of integers in [0, 2**32) -> words
        raise NotImplementedError

    def _word_float(self, w: Any, dtype: Any) -> Any:
        raise NotImplementedError

    def _const(self, c: int) -> Any:  # a 32-bit constant in the words' type
        return c

    def _shr(self, x: Any, n: int) -> Any:
        return x >> n

    def _mul(self, x: Any, m: int) -> Any:  # wrapping 32-bit multiply
        return x * self._const(m)

    def normal(self, seed: int, s: Any) -> Any:
        """``_noise.normal_scalar(seed, floor(s))`` elementwise, in ``s``'s float dtype."""
        k = self.floor(s)
        # The two 32-bit halves of floor(s), split in floating point (exact: powers of
        # two), because jax without x64 has no 64-bit integers.
        hi = self.floor(k * _INV_TWO_32)
        lo = k - hi * _TWO_32
        h = self._const(_noise._mix32((seed & _MASK) ^ _noise._SEED_SALT))
        shr, mul = self._shr, self._mul
        h1 = _mix32(_mix32(self._words(lo) ^ h, shr, mul) ^ self._words(hi), shr, mul)
        h2 = _mix32(h1 ^ self._const(_noise._SECOND_SALT), shr, mul)
        return _noise._box_muller(self._word_float(h1, s.dtype), self._word_float(h2, s.dtype), self)


class _ArrayAPIOps(_Ops):
    """torch and jax through their array-API namespace (array-api-compat)."""

    def __init__(self, name: str, xp: Any) -> None:
        self.name = name
        self.xp = xp
        for op in ("exp", "log", "cos", "sin", "sqrt", "floor", "ceil", "minimum", "maximum", "where"):
            if not hasattr(type(self), op):  # a subclass may override one
                setattr(self, op, getattr(xp, op))

    def lookup(self, s: Any, boundaries: tuple[float, ...], values: tuple[float, ...]) -> Any:
        xp = self.xp
        if not boundaries:
            return xp.full_like(s, values[0])
        dev = self._device(s)
        b = xp.asarray(boundaries, dtype=s.dtype, device=dev)
        # side="left": a step equal to a boundary keeps the earlier value (TensorFlow).
        index = xp.searchsorted(b, s, side="left")
        return xp.asarray(values, dtype=s.dtype, device=dev)[index]

    def _device(self, s: Any) -> Any:  # where constants are created
        raise NotImplementedError


class _TorchOps(_ArrayAPIOps):
    def __init__(self) -> None:
        from array_api_compat import torch as xp

        super().__init__("torch", xp)
        self.torch = sys.modules["torch"]

    def _device(self, s: Any) -> Any:
        return s.device

    # array-api-compat's minimum/maximum promote Python scalars with torch.result_type,
    # which torch.compile cannot put in a graph; clamp and torch.where take scalars as
    # they are (a Python float takes the tensor's dtype).
    def minimum(self, a: Any, b: Any) -> Any:
        torch = self.torch
        if isinstance(b, torch.Tensor):
            return torch.minimum(a, b) if isinstance(a, torch.Tensor) else torch.clamp(b, max=a)
        if not isinstance(a, torch.Tensor):  # two numbers (constants combined): `call` broadcasts
            return b if b < a else a
        return torch.clamp(a, max=b)

    def maximum(self, a: Any, b: Any) -> Any:
        torch = self.torch
        if isinstance(b, torch.Tensor):
            return torch.maximum(a, b) if isinstance(a, torch.Tensor) else torch.clamp(b, min=a)
        if not isinstance(a, torch.Tensor):
            return b if b > a else a
        return torch.clamp(a, min=b)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        return self.torch.where(cond, a, b)

    # torch.uint32 has no multiply: hold each 32-bit word in int64 and multiply in
    # 16-bit limbs, so no product exceeds 2**49 (no signed overflow, also in compiled code).
    def _words(self, x: Any) -> Any:
        return x.to(self.torch.int64)

    def _mul(self, x: Any, m: int) -> Any:
        return ((x & 0xFFFF) * m + (((x >> 16) * (m & 0xFFFF)) << 16)) & _MASK

    def _word_float(self, w: Any, dtype: Any) -> Any:
        return w.to(dtype)

    def call(self, schedule: Any, step: Any) -> Any:
        torch = self.torch
        dtype = step.dtype
        if dtype.is_floating_point:
            compute = torch.float32 if dtype.itemsize < 4 else dtype
        elif dtype.is_complex or dtype == torch.bool:
            raise _dtype_error(step, dtype)
        else:
            compute = dtype = torch.get_default_dtype()
        s = step.to(compute)
        out = schedule._f(s, self)
        if not isinstance(out, torch.Tensor):  # a formula that ignores the step
            out = torch.full_like(s, out)
        elif out.shape != s.shape:
            out = out.expand(s.shape).clone()
        return out.to(dtype)


class _JaxOps(_ArrayAPIOps):
    def __init__(self) -> None:
        import jax.numpy as jnp

        # jax.numpy is an array-API namespace itself (array-api-compat returns it).
        super().__init__("jax", jnp)

    def _device(self, s: Any) -> Any:
        return None  # constants are placed with the computation (also under jit)

    def _words(self, x: Any) -> Any:
        return x.astype(self.xp.uint32)  # uint32 wraps on multiply, as the hash wants

    def _const(self, c: int) -> Any:
        # A Python int above 2**31 does not fit jax's weak int32 type.
        return self.xp.uint32(c)

    def _word_float(self, w: Any, dtype: Any) -> Any:
        return w.astype(dtype)

    def call(self, schedule: Any, step: Any) -> Any:
        jnp = self.xp
        dtype = step.dtype
        if jnp.issubdtype(dtype, jnp.floating):
            compute = jnp.float32 if dtype.itemsize < 4 else dtype
        elif jnp.issubdtype(dtype, jnp.integer):
            # float64 only when x64 is enabled, float32 otherwise.
            compute = dtype = jnp.result_type(float)
        else:
            raise _dtype_error(step, dtype)
        s = step.astype(compute)
        try:
            out = schedule._f(s, self)
        except OverflowError as err:
            # Without x64, jax turns a Python int into int32 before combining it with
            # an array, so `s / 4_000_000_000` overflows; the same schedule with
            # float hyperparameters computes the same values.
            out = _with_float_hyperparameters(schedule, err)._f(s, self)
        out = jnp.broadcast_to(jnp.asarray(out, dtype=compute), s.shape)
        return out.astype(dtype)


class _TensorFlowOps(_Ops):
    """TensorFlow (no array-API namespace): tf.math, tf.where, tf.searchsorted."""

    name = "tensorflow"

    def __init__(self) -> None:
        tf = sys.modules["tensorflow"]
        self.tf = tf
        self.exp = tf.math.exp
        self.log = tf.math.log
        self.cos = tf.math.cos
        self.sin = tf.math.sin
        self.sqrt = tf.math.sqrt
        self.floor = tf.math.floor
        self.ceil = tf.math.ceil

    def _pair(self, a: Any, b: Any) -> tuple[Any, Any]:
        # Python numbers take the dtype of the tensor beside them.
        tf = self.tf
        if not tf.is_tensor(a):
            a = tf.constant(a, dtype=b.dtype) if tf.is_tensor(b) else a
        if not tf.is_tensor(b):
            b = tf.constant(b, dtype=a.dtype) if tf.is_tensor(a) else b
        return a, b

    def minimum(self, a: Any, b: Any) -> Any:
        return self.tf.minimum(*self._pair(a, b))

    def maximum(self, a: Any, b: Any) -> Any:
        return self.tf.maximum(*self._pair(a, b))

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        return self.tf.where(cond, *self._pair(a, b))

    def lookup(self, s: Any, boundaries: tuple[float, ...], values: tuple[float, ...]) -> Any:
        tf = self.tf
        if not boundaries:
            return tf.fill(tf.shape(s), tf.constant(values[0], dtype=s.dtype))
        # tf.searchsorted wants matching leading dimensions: search one flat row.
        row = tf.reshape(s, [1, -1])
        index = tf.searchsorted(tf.constant([boundaries], dtype=s.dtype), row, side="left")
        found = tf.gather(tf.constant(values, dtype=s.dtype), tf.reshape(index, [-1]))
        return tf.reshape(found, tf.shape(s))

    def _words(self, x: Any) -> Any:
        return self.tf.cast(x, self.tf.uint32)

    def _shr(self, x: Any, n: int) -> Any:
        return self.tf.bitwise.right_shift(x, self.tf.constant(n, dtype=x.dtype))

    def _word_float(self, w: Any, dtype: Any) -> Any:
        return self.tf.cast(w, dtype)

    def call(self, schedule: Any, step: Any) -> Any:
        tf = self.tf
        step = tf.convert_to_tensor(step)  # a tf.Variable reads its value
        dtype = step.dtype
        if dtype.is_floating:
            compute = tf.float32 if dtype.size < 4 else dtype
        elif dtype.is_integer:
            compute = dtype = tf.float32
        else:
            raise _dtype_error(step, dtype)
        s = tf.cast(step, compute)
        out = schedule._f(s, self)
        # A Python number (a formula that ignores the step) becomes a tensor of the
        # step's dtype directly: tf.cast would round it to float32 on the way.
        out = tf.cast(out, compute) if tf.is_tensor(out) else tf.constant(out, dtype=compute)
        out = tf.broadcast_to(out, tf.shape(s))
        return tf.cast(out, dtype)


class _KerasVariableOps:
    """A Keras 3 variable: evaluate on the backend value it holds (TF, jax or torch)."""

    name = "keras"

    def call(self, schedule: Any, step: Any) -> Any:
        # `.value` is the backend's variable or array (keras.ops.convert_to_tensor
        # hands a TensorFlow-backend Keras variable back unchanged).
        value = step.value
        if _framework_of(value) in (None, "keras"):
            raise TypeError(
                "Argument `step` must be a number or a tensor. Received: a Keras "
                f"variable holding {type(value).__name__}"
            )
        return schedule(value)


def _with_float_hyperparameters(schedule: Any, err: Exception) -> Any:
    """`schedule` with every integer outside int32 made a float, nested schedules and
    lists (a `Join`'s boundaries, a `Sum`'s terms) included."""
    floated, changed = _floated(schedule)
    if not changed:
        raise ValueError(
            f"{type(schedule).__name__} has an integer hyperparameter that does not fit "
            "int32, which jax cannot combine with an array unless x64 is enabled; pass "
            "it as a float (e.g. decay_steps=4e9) or set jax_enable_x64."
        ) from err
    return floated


def _floated(value: Any) -> tuple[Any, bool]:
    import dataclasses

    if type(value) is int and not -(2**31) <= value < 2**31:
        return float(value), True
    if isinstance(value, tuple):
        items = [_floated(v) for v in value]
        return tuple(v for v, _ in items), any(c for _, c in items)
    # A nested schedule (duck-typed: _base imports this module, not the reverse).
    if dataclasses.is_dataclass(value) and hasattr(type(value), "_from_fields"):
        cls: Any = type(value)
        fields = {f.name: _floated(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if any(c for _, c in fields.values()):
            return cls._from_fields({k: v for k, (v, _) in fields.items()}), True
    return value, False


def _dtype_error(step: Any, dtype: Any) -> TypeError:
    return TypeError(
        "Argument `step` must be a tensor of integers or floats. "
        f"Received: step of type {type(step).__name__} with dtype {dtype}"
    )


_BUILDERS = {
    "torch": _TorchOps,
    "jax": _JaxOps,
    "tensorflow": _TensorFlowOps,
    "keras": _KerasVariableOps,
}
_CACHE: dict[str, Any] = {}


def _ops(name: str) -> Any:
    ops = _CACHE.get(name)
    if ops is None:
        ops = _CACHE[name] = _BUILDERS[name]()
    return ops


def _is_torch(step: Any) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(step, torch.Tensor)


def _is_jax(step: Any) -> bool:
    jax = sys.modules.get("jax")
    return jax is not None and isinstance(step, jax.Array)  # tracers included


def _is_tensorflow(step: Any) -> bool:
    tf = sys.modules.get("tensorflow")
    return tf is not None and isinstance(step, (tf.Tensor, tf.Variable))


def _is_keras(step: Any) -> bool:
    keras = sys.modules.get("keras")
    return keras is not None and isinstance(step, getattr(keras, "Variable", ()))


_CHECKS = {"torch": _is_torch, "jax": _is_jax, "tensorflow": _is_tensorflow, "keras": _is_keras}
_ROOTS = {"torch": "torch", "jax": "jax", "jaxlib": "jax", "tensorflow": "tensorflow", "keras": "keras"}


def _framework_of(step: Any) -> str | None:
    """The framework whose tensor `step` is, checking only frameworks already imported."""
    # The defining module names the likely framework; subclasses defined elsewhere
    # (user tensor subclasses) fall through to checking every imported framework.
    guess = _ROOTS.get(type(step).__module__.partition(".")[0])
    if guess is not None and _CHECKS[guess](step):
        return guess
    for name, check in _CHECKS.items():
        if name != guess and check(step):
            return name
    return None


def ops_for(step: Any) -> Any:
    """The operations namespace for a framework tensor `step`, or None if not one."""
    name = _framework_of(step)
    return None if name is None else _ops(name)
