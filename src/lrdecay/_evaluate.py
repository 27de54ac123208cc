"""`evaluate`: a whole curve as a numpy array, computed in cache-sized chunks.

A schedule's formula (``_f(self, s, xp)``) is an expression of a few numpy operations,
each of which makes a temporary array. On ten million steps those temporaries are 40-80
MB each and every operation streams them through main memory. Here the steps are cut
into chunks small enough that the formula's temporaries stay in the core's L2 cache
(256 KiB each), so main memory sees one write per result and, for given steps, one read.
Generated steps (``evaluate(s, n)``) are made per chunk and need no validation.

numpy releases the GIL inside its loops, so with ``LRDECAY_NUM_THREADS=k`` (k > 1) the
chunks are shared between threads: the calling thread and a small pool, each taking one
contiguous part of the array. The pool is made on first use and remade in a forked
child (a fork keeps the pool object but not its threads).
"""

from __future__ import annotations

import numbers
import os
import threading
from typing import Any

from lrdecay._validate import short
from lrdecay._xp import NUMPY, bad_step, check_step_dtype, check_step_values

__all__ = ["evaluate", "evaluate_array"]

#: Bytes of one temporary of a chunk. Below 256 KiB on purpose: from 256 KiB on, numpy
#: tries to reuse temporaries in place ("temporary elision"), which first walks the C
#: stack with backtrace() on every operation; on numpy 2.4 that makes a formula 1.5-3x
#: slower per element than just below. A formula's few temporaries of this size fit
#: together in a 1-2 MiB L2 cache, and ~1 us of Python per operation stays a small
#: part of a chunk's time.
CHUNK_BYTES = 240 * 1024
#: Steps above this are not all float32 numbers: float32 evaluation computes chunks that
#: reach them in float64 (then rounds the rates to float32).
FLOAT32_EXACT_STEPS = 2**24
#: The memory assumed where the machine's cannot be read (64 GiB): `evaluate(s, n)`
#: refuses an n whose result would not fit (see `memory_bytes`).
MAX_BYTES_UNKNOWN = 64 << 30
#: Below this many elements per thread, one thread does all the work (a thread hand-off
#: costs ~20-50 us).
MIN_PER_THREAD = 1 << 18
MAX_DEFAULT_THREADS = 4


def _default_threads() -> int:
    env = os.environ.get("LRDECAY_NUM_THREADS")
    if env is None:
        return min(MAX_DEFAULT_THREADS, os.cpu_count() or 1)
    try:
        n = int(env)
    except ValueError:
        n = 0
    if n < 1:
        raise ValueError(
            "Environment variable LRDECAY_NUM_THREADS must be an integer >= 1. "
            f"Received: LRDECAY_NUM_THREADS={env!r}"
        )
    return n


#: Threads used for large arrays (the calling thread included), from the environment
#: variable LRDECAY_NUM_THREADS; by default one per core, at most MAX_DEFAULT_THREADS.
#: Between its ufuncs a formula runs Python code that needs the GIL (~1 us an operation),
#: which is why more threads than that gain nothing: on 2 free cores the second thread
#: measured 1.6-1.8x, on cores busy with other work 0-15%
#: (benchmarks/bench_evaluate.py reports 1 and 2 threads).
NUM_THREADS = _default_threads()

_pool: Any = None
_malloc_primed = False
_pool_lock = threading.Lock()


def _executor(workers: int) -> Any:
    global _pool
    with _pool_lock:
        if _pool is None or _pool._max_workers < workers:
            from concurrent.futures import ThreadPoolExecutor

            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lrdecay")
        return _pool


def _forget_pool() -> None:
    # In a forked child the pool's threads do not exist: tasks given to it would never
    # run. Drop it; the child makes its own on first use.
    global _pool, _pool_lock
    _pool = None
    _pool_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _prime_malloc() -> None:
    """Let glibc keep the chunks' temporaries in its heap instead of returning them.

    Each numpy operation in a formula allocates and frees a chunk-sized temporary.
    glibc serves blocks above its mmap threshold (128 KiB at start) with mmap, and gives
    the top of its heap back to the system once more than twice that threshold is free
    there: a formula's two or three freed temporaries cross that line, so every chunk
    page-faults its temporaries in again (measured: 2-3x slower). glibc raises both
    thresholds to the size of any mmap-ed block that is freed (up to 32 MiB); freeing
    one 4 MiB block once moves them well above a chunk's temporaries. Elsewhere (other C
    libraries) this is one harmless allocation.
    """
    global _malloc_primed
    if not _malloc_primed:
        import numpy as np

        np.empty(4 << 20, np.uint8)  # allocated and freed at once, never touched
        _malloc_primed = True


def evaluate(schedule: Any, steps: Any, *, dtype: Any = None, out: Any = None) -> Any:
    """The schedule's values at `steps` as a numpy array (float64 unless `dtype` says).

    >>> import lrdecay, numpy as np
    >>> s = lrdecay.PiecewiseConstantDecay([2], [1.0, 0.5])
    >>> lrdecay.evaluate(s, 5)
    array([1. , 1. , 1. , 0.5, 0.5])
    >>> lrdecay.evaluate(s, [0, 3], dtype=np.float32)
    array([1. , 0.5], dtype=float32)
    >>> buf = np.empty((2, 2))
    >>> lrdecay.evaluate(s, [[0, 1], [2, 3]], out=buf) is buf
    True

    `steps` is an array-like of steps (any shape, ints or floats, each finite and
    >= 0), or an int ``n`` meaning ``0, 1, ..., n - 1``. The result has the shape of
    `steps` (``(n,)`` for an int).

    `dtype` is float64 or float32. float32 computes in float32 (about 7 significant
    digits, like TensorFlow's default), which is faster and half the memory; float64
    is exact to a few units in the last place. Steps above 2**24, where float32 can no
    longer tell consecutive steps apart, are computed in float64 and the rates rounded
    to float32, so a float32 curve never repeats or skips a step.

    `out`, if given, is a writeable float64/float32 numpy array of the result's shape;
    it is filled and returned. If a step is invalid, `out` may be partly written.

    Large inputs are computed in cache-sized chunks, on ``LRDECAY_NUM_THREADS``
    threads (default 1). The values depend on neither.

    Raises:
        TypeError: `schedule` is not a Schedule; `steps` is not numbers (bools,
            strings, objects).
        ValueError: a step that is negative, NaN or infinite; ``n < 0``; an ``n`` whose
            result would not fit in this machine's memory (``evaluate(s, 10**12)``: 8 TB;
            checked before anything is allocated); a value past the float range (a
            growing exponential), naming the step; a `dtype`
            other than float32/float64; `out` not a numpy array of the result's
            dtype and shape, or read-only.
    """
    import numpy as np

    from lrdecay._base import Schedule

    if not isinstance(schedule, Schedule):
        raise TypeError(
            "Argument `schedule` must be an lrdecay.Schedule. "
            f"Received: schedule={short(schedule)} of type {type(schedule).__name__}"
        )
    dtype = np.dtype(np.float64 if dtype is None else dtype)
    if dtype not in (np.dtype(np.float64), np.dtype(np.float32)):
        raise ValueError(f"Argument `dtype` must be float64 or float32. Received: dtype={dtype}")

    if isinstance(steps, numbers.Integral) and not isinstance(steps, (bool, np.bool_)):
        n = int(steps)
        if n < 0:
            raise ValueError(f"Argument `steps` must be >= 0. Received: steps={short(steps)}")
        if out is None:
            _check_size(n, dtype)
        a, shape = None, (n,)
    else:
        if isinstance(steps, (bool, np.bool_)):
            raise bad_step(steps)
        a = np.asarray(steps)
        check_step_dtype(a)
        shape = a.shape

    if out is not None:
        if not isinstance(out, np.ndarray) or out.shape != shape or out.dtype != dtype:
            raise ValueError(
                f"Argument `out` must be a {dtype} array of shape {shape}. "
                f"Received: out of {type(out).__name__}"
                + (f" {out.dtype} {out.shape}" if isinstance(out, np.ndarray) else "")
            )
        if not out.flags.writeable:
            raise ValueError("Argument `out` must be writeable. Received: a read-only array")
        if a is not None and np.may_share_memory(out, a):
            # Chunk i is read before it is written, but other overlaps would read
            # values already overwritten: work from a copy.
            a = a.copy()
    return evaluate_array(schedule, a if a is not None else shape[0], dtype, out)


def memory_bytes() -> int:
    """This machine's physical memory in bytes (MAX_BYTES_UNKNOWN where it cannot be read)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # not a POSIX system
        return MAX_BYTES_UNKNOWN


def _check_size(n: int, dtype: Any) -> None:
    """Refuse a curve larger than memory up front, instead of a MemoryError (or swapping)
    after trying: `evaluate(s, 10**12)` is 8 TB."""
    need = n * dtype.itemsize
    have = memory_bytes()
    if need > have:
        raise ValueError(
            f"Argument `steps` asks for {n} values: {_size(need)} as {dtype}, more than this "
            f"machine's memory ({_size(have)}). Evaluate the curve in parts (an array of steps "
            "at a time) or at fewer steps. Received: steps=" + short(n)
        )


def _size(nbytes: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if nbytes < 1024 or unit == "PiB":
            return f"{nbytes:.1f} {unit}" if unit != "bytes" else f"{int(nbytes)} bytes"
        nbytes /= 1024
    raise AssertionError  # pragma: no cover


def evaluate_array(schedule: Any, steps: Any, dtype: Any, out: Any = None) -> Any:
    """Fill `out` (made if None) with `schedule` at `steps`: an ``int`` n for 0..n-1, or
    a numpy array of real numbers (validated here, chunk by chunk). `dtype` is a numpy
    float dtype and `out`, if given, an array of that dtype and the steps' shape."""
    import numpy as np

    generated = not isinstance(steps, np.ndarray)
    shape = (steps,) if generated else steps.shape
    if out is None:
        out = np.empty(shape, dtype)
    size = out.size
    if size == 0:
        return out
    copy_back = not out.flags.c_contiguous
    dst = np.empty(size, dtype) if copy_back else out.reshape(-1)
    src = None if generated else steps.reshape(-1)  # a copy only if not contiguous

    chunk = max(1, CHUNK_BYTES // dtype.itemsize)
    if size > chunk:
        _prime_malloc()
    threads = min(NUM_THREADS, size // MIN_PER_THREAD) if NUM_THREADS > 1 else 1
    if threads <= 1:
        _fill(schedule, src, dst, 0, size, chunk, dtype, shape)
    else:
        NUMPY.exp  # noqa: B018 - fill the ops cache before threads race to it
        # Contiguous parts, one per thread, cut at chunk boundaries.
        per = -(-size // threads)
        per = -(-per // chunk) * chunk
        bounds = [(i, min(i + per, size)) for i in range(0, size, per)]
        pool = _executor(len(bounds) - 1)
        futures = [
            pool.submit(_fill, schedule, src, dst, lo, hi, chunk, dtype, shape) for lo, hi in bounds[1:]
        ]
        try:
            _fill(schedule, src, dst, *bounds[0], chunk, dtype, shape)
        finally:
            # Wait for every part even if ours failed (they write into `dst`), then
            # raise the first error in step order.
            for f in futures:
                f.exception()
        for f in futures:
            f.result()
    if copy_back:
        out[...] = dst.reshape(shape)
    return out


def _fill(schedule: Any, src: Any, dst: Any, lo: int, hi: int, chunk: int, dtype: Any, shape: Any) -> None:
    """``dst[lo:hi] = schedule(steps lo..hi)``, `chunk` elements at a time."""
    import numpy as np

    f = schedule._f
    f64 = np.dtype(np.float64)
    if src is None:
        # Generated steps: i + arange(chunk), added in float64 (exact to 2**53) and
        # rounded once into the chunk's buffer (np.arange in float32 repeats values
        # beyond 2**24).
        base = np.arange(min(chunk, hi - lo), dtype=np.float64)
        steps64 = np.empty(base.size, np.float64)
        buf = steps64 if dtype == f64 else np.empty(base.size, dtype)
    # A value past the float range (a growing exponential at a large step) is an error,
    # as on the scalar path, never a silent inf or NaN (0 * inf).
    with np.errstate(over="raise", invalid="raise"):
        for i in range(lo, hi, chunk):
            j = min(i + chunk, hi)
            # Past 2**24 float32 steps round together (16777217 becomes 16777216): chunks
            # that reach there compute in float64 and round the rates to float32.
            if src is None:
                s = steps64[: j - i]
                np.add(base[: j - i], i, out=s)
                if dtype != f64 and j - 1 <= FLOAT32_EXACT_STEPS:
                    np.copyto(buf[: j - i], s, casting="same_kind")
                    s = buf[: j - i]
            else:
                s = src[i:j]
                check_step_values(s, shape)
                wide = dtype != f64 and s.max() > FLOAT32_EXACT_STEPS
                s = s.astype(f64 if wide else dtype, copy=False)
            try:
                dst[i:j] = f(s, NUMPY)
            except FloatingPointError:
                raise _overflow(schedule, s, dtype, shape) from None


def _overflow(schedule: Any, s: Any, dtype: Any, shape: Any) -> ValueError:
    """The error for a chunk whose values leave the float range, naming the first step."""
    import numpy as np

    with np.errstate(all="ignore"):
        values = np.asarray(schedule._f(s, NUMPY))
    bad = np.flatnonzero(~np.isfinite(np.broadcast_to(values, s.shape)))
    where = f"step={s[bad[0]].item()!r}" if bad.size else f"a step in {s[0].item()!r}..{s[-1].item()!r}"
    return ValueError(
        f"{type(schedule).__name__} overflows {np.dtype(dtype).name} at {where} "
        f"(in an array of shape {shape})"
    )
