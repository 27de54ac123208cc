"""A whole curve as a numpy array, computed in cache-sized chunks (`evaluate_array`).

Used by `lrdecay.evaluate` and by a schedule called on a numpy array.

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

import os
import threading
from typing import Any

from lrdecay._xp import NUMPY, check_step_values

__all__ = ["evaluate_array"]

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
        # Below 2**24 a float32 sum of integers is exact too: such chunks are made in
        # float32 directly, one pass over half the bytes (measured: 10M float32 steps of
        # a cosine 29 -> 24 ms on one thread).
        narrow = None if dtype == f64 else base.astype(dtype)
    # A value past the float range (a growing exponential at a large step) is an error,
    # as on the scalar path, never a silent inf or NaN (0 * inf).
    with np.errstate(over="raise", invalid="raise"):
        for i in range(lo, hi, chunk):
            j = min(i + chunk, hi)
            # Past 2**24 float32 steps round together (16777217 becomes 16777216): chunks
            # that reach there compute in float64 and round the rates to float32.
            if src is None:
                if narrow is not None and j - 1 <= FLOAT32_EXACT_STEPS:
                    s = buf[: j - i]
                    np.add(narrow[: j - i], dtype.type(i), out=s)
                else:
                    s = steps64[: j - i]
                    np.add(base[: j - i], i, out=s)
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
