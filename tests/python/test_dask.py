"""lexsim.dask: fits over partitions equal the single-process fit for every partitioning, on a real
distributed.LocalCluster with two worker processes; the blockwise top_k equals lexsim.top_k."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.sparse as sp

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
import dask.array as da  # noqa: E402
import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import pandas as pd  # noqa: E402
from conftest import HARD_UNICODE, read_news_seeds, read_sentences  # noqa: E402

import lexsim  # noqa: E402
import lexsim.dask as ldask  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def _bag(docs: list, sizes: list[int]) -> db.Bag:
    """A bag with exactly these partition sizes (zeros make empty partitions)."""
    assert sum(sizes) == len(docs)
    parts, at = [], 0
    for n in sizes:
        parts.append(dask.delayed(list)(docs[at : at + n]))
        at += n
    return db.from_delayed(parts)


def _split(n: int, k: int, uneven: bool) -> list[int]:
    if not uneven:
        return [n // k + (1 if i < n % k else 0) for i in range(k)]
    # Uneven, with an empty partition first and in the middle.
    cuts = sorted({0, n // 11, n // 11, n // 3, n // 2 + 7, n})
    sizes = [b - a for a, b in zip(cuts, cuts[1:])]
    return [0] + sizes[: len(sizes) // 2] + [0] + sizes[len(sizes) // 2 :]


def _identical(X: sp.spmatrix, Y: sp.spmatrix) -> None:
    X, Y = sp.csr_matrix(X), sp.csr_matrix(Y)
    assert X.shape == Y.shape and X.dtype == Y.dtype
    assert np.array_equal(X.indptr, Y.indptr) and np.array_equal(X.indices, Y.indices)
    assert X.data.tobytes() == Y.data.tobytes()


CONFIGS = [
    {},
    {"min_df": 3, "max_df": 0.5},
    {"min_df": 0.001, "max_df": 40},
    {"max_features": 500},
    {"stop_words": "english", "ngram_range": (1, 2), "sublinear_tf": True, "strip_accents": "unicode"},
    {"analyzer": "char_wb", "ngram_range": (2, 3)},
    {"binary": True, "use_idf": False, "norm": "l1"},
    {"smooth_idf": False, "dtype": np.float32},
]


@pytest.mark.parametrize("kwargs", CONFIGS)
@pytest.mark.parametrize("n_parts, uneven", [(1, False), (2, False), (3, False), (7, True)])
def test_tfidf_on_a_bag_equals_the_single_process_fit(client, kwargs: dict, n_parts: int, uneven: bool) -> None:
    docs = read_sentences()[:6000] + HARD_UNICODE
    ref = lexsim.TfidfVectorizer(**kwargs)
    want = ref.fit_transform(docs)
    vec = ldask.TfidfVectorizer(**kwargs)
    X = vec.fit_transform(_bag(docs, _split(len(docs), n_parts, uneven)))
    assert isinstance(X, da.Array)
    assert list(vec.get_feature_names_out()) == list(ref.get_feature_names_out())
    if ref.use_idf:
        assert vec.idf_.tobytes() == ref.idf_.tobytes()
    got, expected = vec.corpus_counts_, ref.corpus_counts_
    assert got.n_documents == expected.n_documents
    assert all(np.array_equal(a, b) for a, b in zip(got[:3], expected[:3]))
    _identical(X.compute(), want)


@pytest.mark.parametrize("kwargs", [{}, {"min_df": 2, "max_features": 300}, {"binary": True, "max_df": 0.3}])
def test_count_on_a_bag_equals_the_single_process_fit(client, kwargs: dict) -> None:
    docs = read_sentences()[:5000]
    ref = lexsim.CountVectorizer(**kwargs)
    want = ref.fit_transform(docs)
    for n_parts in (2, 5):
        vec = ldask.CountVectorizer(**kwargs)
        X = vec.fit_transform(_bag(docs, _split(len(docs), n_parts, n_parts == 5)))
        assert list(vec.get_feature_names_out()) == list(ref.get_feature_names_out())
        _identical(X.compute(), want)


def test_a_dataframe_column_and_the_news_seeds(client) -> None:
    names, texts = read_news_seeds()
    ref = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True)
    want = ref.fit_transform(texts)
    frame = dd.from_pandas(pd.DataFrame({"id": names, "text": texts}), npartitions=3)
    vec = ldask.TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True)
    X = vec.fit_transform(frame["text"])
    assert list(vec.get_feature_names_out()) == list(ref.get_feature_names_out())
    _identical(X.compute(), want)
    # Every article's nearest neighbour is in its own story, as in one process.
    nn = ldask.top_k(X, k=1).compute()
    assert [int(sp.csr_matrix(nn)[i].indices[0]) for i in range(5)] == [3, 4, 3, 2, 1]


def test_matches_scikit_learn_and_is_not_per_partition_pruning(client) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer as SkTfidf

    docs = read_sentences()[:4000]
    theirs = SkTfidf(min_df=3).fit(docs)
    vec = ldask.TfidfVectorizer(min_df=3).fit(_bag(docs, _split(len(docs), 4, False)))
    assert list(vec.get_feature_names_out()) == list(theirs.get_feature_names_out())
    assert np.abs(vec.idf_ - theirs.idf_).max() < 1e-12
    # Each partition alone would keep fewer terms: pruning happened once, on the merged counts.
    alone = lexsim.TfidfVectorizer(min_df=3).fit(docs[:1000])
    assert len(alone.get_feature_names_out()) < len(vec.get_feature_names_out())


def test_vectorizers_ship_small(client) -> None:
    docs = read_sentences()[:2000]
    small = ldask.TfidfVectorizer().fit(_bag(docs, [1000, 1000]))
    large = ldask.TfidfVectorizer().fit(_bag(docs * 8, [4000] * 4))
    assert list(small.get_feature_names_out()) == list(large.get_feature_names_out())
    # The same vocabulary, eight times the documents: the pickle does not grow with them.
    assert len(pickle.dumps(large)) <= 1.05 * len(pickle.dumps(small)) + 256
    back = pickle.loads(pickle.dumps(large))
    _identical(back.transform(_bag(docs[:50], [50])).compute(), large.transform(_bag(docs[:50], [50])).compute())


def test_bad_input_is_named() -> None:
    with pytest.raises(TypeError, match="dask.bag.Bag"):
        ldask.TfidfVectorizer().fit(["a list", "of strings"])
    frame = dd.from_pandas(pd.DataFrame({"text": ["a b", "c d"], "n": [1, 2]}), npartitions=1)
    with pytest.raises(TypeError, match="one column"):
        ldask.TfidfVectorizer().fit(frame)
    with pytest.raises(lexsim.NotFittedError):
        ldask.TfidfVectorizer().transform(db.from_sequence(["a b"]))
    with pytest.raises(ValueError, match="empty vocabulary"):
        ldask.TfidfVectorizer().fit(_bag(["", "", ""], [1, 0, 2]))


# ----------------------------------------------------------------------------- top_k


def _blocks(M: sp.csr_matrix, sizes: list[int]) -> da.Array:
    out, at = [], 0
    for n in sizes:
        block = dask.delayed(M[at : at + n])
        out.append(
            da.from_delayed(
                block, shape=(n, M.shape[1]), dtype=M.dtype, meta=sp.csr_matrix((0, M.shape[1]), dtype=M.dtype)
            )
        )
        at += n
    return da.concatenate(out, axis=0)


def _random_sizes(rng: np.random.Generator, n: int) -> list[int]:
    sizes, left = [], n
    while left:
        x = int(rng.integers(1, left + 1))
        sizes.append(x)
        left -= x
    return sizes


@pytest.mark.parametrize("seed", range(12))
def test_blockwise_top_k_equals_top_k(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(5, 80)), int(rng.integers(3, 30))
    A = sp.random(n, m, density=0.3, random_state=rng, format="csr")
    if seed % 3 == 0:
        A.data = np.round(A.data * 3)  # many exact ties
    if seed % 4 == 1:
        A.data -= 0.5  # negative similarities too
    B = sp.random(int(rng.integers(3, 50)), m, density=0.3, random_state=rng, format="csr")
    k = int(rng.integers(1, 8))
    threshold = None if seed % 2 else 0.1
    got = ldask.top_k(_blocks(A, _random_sizes(rng, n)), k=k, threshold=threshold).compute()
    _identical(got, lexsim.top_k(A, k=k, threshold=threshold))
    got = ldask.top_k(
        _blocks(A, _random_sizes(rng, n)), _blocks(B, _random_sizes(rng, B.shape[0])), k=k, threshold=threshold
    )
    _identical(got.compute(), lexsim.top_k(A, B, k=k, threshold=threshold))


def test_blockwise_top_k_on_the_cluster_with_unknown_chunks(client) -> None:
    docs = read_sentences()[:3000]
    vec = ldask.TfidfVectorizer().fit(_bag(docs, [700, 0, 1300, 1000]))
    X = vec.transform(_bag(docs, [700, 0, 1300, 1000]))  # row counts unknown until computed
    want = lexsim.top_k(lexsim.TfidfVectorizer().fit_transform(docs), k=5)
    _identical(ldask.top_k(X, k=5).compute(), want)


def test_blockwise_top_k_bad_arguments() -> None:
    A = _blocks(sp.eye(4, format="csr"), [2, 2])
    with pytest.raises(ValueError, match="k must be a positive integer"):
        ldask.top_k(A, k=0)
    with pytest.raises(ValueError, match="NaN"):
        ldask.top_k(A, threshold=float("nan"))
    with pytest.raises(TypeError, match="dask array"):
        ldask.top_k(sp.eye(4, format="csr"))
    with pytest.raises(ValueError, match="same number of columns"):
        ldask.top_k(A, _blocks(sp.eye(3, 5, format="csr"), [3]))
    wide = da.from_array(np.eye(4), chunks=(2, 2))
    with pytest.raises(ValueError, match="rows only"):
        ldask.top_k(wide)
