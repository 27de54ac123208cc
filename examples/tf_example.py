"""TensorFlow: a schedule called with a tf.Variable inside tf.function reads it each step.

python examples/tf_example.py
"""

import tensorflow as tf

import lrdecay

schedule = lrdecay.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
step = tf.Variable(0, dtype=tf.int64)
w = tf.Variable(tf.ones(3))


@tf.function
def train_step(x):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((w * x) ** 2)
    lr = schedule(step)  # a float32 tensor, computed in the graph: traced once
    w.assign_sub(lr * tape.gradient(loss, w))
    step.assign_add(1)
    return lr


for _ in range(25):
    lr = train_step(tf.ones(3))
print(f"tensorflow: lr at step 24 = {float(lr):.6g} (schedule: {schedule(24):.6g})")
