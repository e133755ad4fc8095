"""Train the scoring classifier (a small CNN, ~99 % test accuracy) and print the two ends of
the quality scale: 100 real test digits and 100 pure-noise images.

    OMP_NUM_THREADS=1 nice -n 19 ../../.venv/bin/python classifier.py
"""
import time

from common import CLASSIFIER, load_mnist_raw, log, peak_rss_mb, score, setup_threads

tf = setup_threads(1)
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

keras.utils.set_random_seed(0)
(xtr, ytr), (xte, yte) = load_mnist_raw()
xtr = (xtr.astype("float32") / 255)[..., None]
xte = (xte.astype("float32") / 255)[..., None]

model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(64, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dropout(0.3),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
t0, c0 = time.time(), time.process_time()
model.fit(xtr, ytr, epochs=2, batch_size=128, verbose=2)
wall, cpu = time.time() - t0, time.process_time() - c0
acc = model.evaluate(xte, yte, verbose=0)[1]
model.save(CLASSIFIER)

real = score(xte[:100] * 2 - 1, model)
noise = score(np.random.default_rng(0).standard_normal((100, 28, 28, 1)).clip(-1, 1), model)
uniform = score(np.random.default_rng(0).uniform(-1, 1, (100, 28, 28, 1)), model)
log({"run": "classifier", "test_acc": acc, "train_wall_s": wall, "train_cpu_s": cpu,
     "score_real_test100": real, "score_noise100": noise, "score_uniform100": uniform,
     "peak_rss_mb": peak_rss_mb()})
