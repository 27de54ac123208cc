"""Keras 3: lrdecay.keras.to_keras gives a serializable LearningRateSchedule.

python examples/keras_example.py
"""

import os
import tempfile

import keras
import numpy as np

import lrdecay
from lrdecay.keras import to_keras  # also registers the class for load_model

schedule = lrdecay.PiecewiseConstantDecay([20, 40], [1e-2, 1e-3, 1e-4])
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=to_keras(schedule), momentum=0.9), loss="mse")
rng = np.random.default_rng(0)
x, y = rng.random((256, 4)), rng.random((256, 1))
model.fit(x, y, batch_size=32, epochs=3, verbose=0)  # 24 updates

path = os.path.join(tempfile.mkdtemp(), "model.keras")
model.save(path)
model = keras.models.load_model(path)  # the schedule and the step count come back
step = int(model.optimizer.iterations.numpy())
print(f"keras: step {step}, lr {float(model.optimizer.learning_rate):.6g} (schedule: {schedule(step):.6g})")
model.fit(x, y, batch_size=32, epochs=3, verbose=0)  # continues at schedule(24), schedule(25), ...
