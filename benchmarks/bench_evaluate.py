"""Ten million steps at once: lrdecay.evaluate against TensorFlow eager and optax under jit.

Schedules: ``ExponentialDecay(0.1, decay_steps=100_000, decay_rate=0.96)`` and
``CosineDecay(0.1, decay_steps=10_000_000)``, the same hyperparameters for every peer.

* lrdecay: ``lrdecay.evaluate(s, N, dtype=...)`` (steps generated) and
  ``lrdecay.evaluate(s, steps, dtype=...)`` on a given int64 array of steps (validated),
  float32 and float64 (the default), on one thread and on two (the default on two
  cores: one thread per core, at most four; ``LRDECAY_NUM_THREADS`` sets it).
* TensorFlow eager: the Keras schedule called on ``tf.range(N, dtype=tf.float32)``.
* optax: the schedule under ``jax.jit`` on a float32 ``jnp.arange(N)``, compiled by a
  warm-up call, timed with ``block_until_ready()``.

Target (issue 5): lrdecay float32 faster than both peers (float32); float64 beside it.
"""

from __future__ import annotations

import functools
import sys

import _common as c

N = 10_000_000
REPEATS = 15


def main() -> str:
    import numpy as np

    import lrdecay
    from lrdecay import _chunks

    scheds = {
        "ExponentialDecay": lrdecay.ExponentialDecay(0.1, decay_steps=100_000, decay_rate=0.96),
        "CosineDecay": lrdecay.CosineDecay(0.1, decay_steps=N),
    }
    steps_np = np.arange(N, dtype=np.int64)
    ms: dict[tuple[str, str], float] = {}
    default_threads = _chunks.NUM_THREADS

    for name, s in scheds.items():
        # Each measurement also checks the values against float64 at a few steps.
        ref = s(np.array([0, 1, N // 3, N - 1], dtype=np.float64))
        for threads in sorted({1, 2, default_threads}):
            _chunks.NUM_THREADS = threads
            tag = _tag(threads)
            for dt in (np.float32, np.float64):
                got = lrdecay.evaluate(s, N, dtype=dt)
                assert np.allclose(got[[0, 1, N // 3, N - 1]], ref, rtol=2e-5, atol=1e-9)
                ms[(name, f"lrdecay evaluate(s, N), {np.dtype(dt).name}, {tag}")] = c.bulk_ms(
                    functools.partial(lrdecay.evaluate, s, N, dtype=dt), REPEATS
                )
                ms[(name, f"lrdecay evaluate(s, steps), {np.dtype(dt).name}, {tag}")] = c.bulk_ms(
                    functools.partial(lrdecay.evaluate, s, steps_np, dtype=dt), REPEATS
                )
        _chunks.NUM_THREADS = default_threads

    missing = []
    try:
        import tensorflow as tf

        ks = tf.keras.optimizers.schedules
        tsched = {
            "ExponentialDecay": ks.ExponentialDecay(0.1, 100_000, 0.96),
            "CosineDecay": ks.CosineDecay(0.1, N),
        }
        tsteps = tf.range(N, dtype=tf.float32)
        for name, s in tsched.items():
            got = s(tsteps).numpy()
            assert np.allclose(got[-1], scheds[name](N - 1), rtol=1e-4, atol=1e-7)
            ms[(name, "TensorFlow eager, float32")] = c.bulk_ms(functools.partial(s, tsteps), REPEATS)
    except ImportError:
        missing.append("tensorflow")
    try:
        import jax
        import jax.numpy as jnp
        import optax

        jax.config.update("jax_platforms", "cpu")
        osched = {
            "ExponentialDecay": optax.exponential_decay(0.1, 100_000, 0.96),
            "CosineDecay": optax.cosine_decay_schedule(0.1, N),
        }
        jsteps = jnp.arange(N, dtype=jnp.float32)
        for name, s in osched.items():
            fn = jax.jit(s)
            got = np.asarray(fn(jsteps).block_until_ready())  # compiles
            assert np.allclose(got[-1], scheds[name](N - 1), rtol=1e-4, atol=1e-7)
            ms[(name, "optax under jax.jit, float32")] = c.bulk_ms(
                lambda fn=fn: fn(jsteps).block_until_ready(), REPEATS
            )
    except ImportError:
        missing.append("optax")

    header = ["schedule", "implementation (10M steps)", "median", "vs lrdecay float32", "status"]
    rows = []
    for name in scheds:
        best32 = ms[(name, f"lrdecay evaluate(s, N), float32, {_tag(default_threads)}")]
        peers = [ms[k] for k in ms if k[0] == name and not k[1].startswith("lrdecay")]
        for (sched, impl), t in ms.items():
            if sched != name:
                continue
            status = ""
            # The target is judged on the default configuration (float32, default threads).
            default = impl.endswith(f"float32, {_tag(default_threads)}")
            if impl.startswith("lrdecay") and default and peers:
                status = c.verdict(t < min(peers))
            rows.append([name, impl, f"{t:.1f} ms", f"{t / best32:.2f}x", status])
    title = f"{N:,} steps at once"
    c.print_table(title, header, rows)
    body = c.markdown_table(header, rows)
    body += (
        f"\n`vs lrdecay float32` divides by `lrdecay evaluate(s, N), float32, {_tag(default_threads)}`"
        f" (the default here: one thread per core, at most {_chunks.MAX_DEFAULT_THREADS};"
        " `LRDECAY_NUM_THREADS` sets it). Status: faster than every peer (all of them"
        " float32). TensorFlow's time"
        " is the call returning a CPU tensor (no copy to numpy); lrdecay's includes"
        " allocating the result.\n"
    )
    if missing:
        body += f"\nNot installed: {', '.join(missing)}.\n"
    c.write_markdown("evaluate", title, body)
    return body


def _tag(threads: int) -> str:
    return f"{threads} thread{'s' if threads > 1 else ''}"


if __name__ == "__main__":
    main()
    sys.exit(0)
