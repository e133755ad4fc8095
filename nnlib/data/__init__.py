"""Every data set of the course, each working offline: ``from nnlib import data`` then
``data.make_moons()``, ``data.load_mnist()`` ... (this file only gathers the names).

* :mod:`~nnlib.data.toy`    small seeded toy sets (XOR, blobs, moons, circles, spirals, a sine),
  windows of a series, a train/validation split;
* :mod:`~nnlib.data.real`   MNIST, digits, stock prices, photos, sunspots, MovieLens, rated
  review sentences;
* :mod:`~nnlib.data.text`   text as integer sequences, IMDB, the World English Bible and its
  characters;
* :mod:`~nnlib.data.fetch`  where a file comes from: ``NNLIB_DATA_DIR``, the Keras cache, or a
  download with a time limit.
"""

from . import fetch, real, text, toy
from .fetch import *  # noqa: F403 - each module's __all__ says what it gives
from .real import *  # noqa: F403
from .text import *  # noqa: F403
from .toy import *  # noqa: F403

__all__ = [*toy.__all__, *real.__all__, *text.__all__, *fetch.__all__]
