"""JAX/optax: an lrdecay schedule is an optax schedule; resuming needs only opt_state.

python examples/jax_example.py
"""

import jax
import jax.numpy as jnp
import optax

import lrdecay

schedule = lrdecay.CosineDecayRestarts(1e-2, first_decay_steps=20)
opt = optax.inject_hyperparams(optax.adam)(learning_rate=schedule)  # or optax.adam(schedule)
params = {"w": jnp.zeros(3)}
state = opt.init(params)


@jax.jit
def train_step(params, state, x):
    grads = jax.grad(lambda p: jnp.sum((p["w"] - x) ** 2))(params)
    updates, state = opt.update(grads, state, params)
    return optax.apply_updates(params, updates), state


for _ in range(30):
    params, state = train_step(params, state, jnp.ones(3))
used = float(state.hyperparams["learning_rate"])  # the rate of the last update, step 29
print(f"jax: lr at step 29 = {used:.6g} (schedule: {schedule(29):.6g})")
print("values under jit:", jax.jit(schedule)(jnp.arange(0, 60, 20)))
