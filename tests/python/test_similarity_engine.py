"""similar_pairs, group, top_terms and explain against brute-force references (random matrices
with ties, the real corpora), thread determinism, pandas forms and every bad argument."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import read_news_seeds, read_sentences
from reference.similarity import brute_components, brute_pairs, dense_cosines
from sklearn.preprocessing import normalize

import lexsim

# ----------------------------------------------------------------------------- helpers (references: tests/reference)


def random_matrix(seed: int, rows: int = 60, cols: int = 12, density: float = 0.25) -> sp.csr_matrix:
    """Small integer values (many exact ties), repeated rows (cosine 1) and zero rows."""
    rng = np.random.default_rng(seed)
    D = np.where(rng.random((rows, cols)) < density, rng.integers(1, 4, (rows, cols)), 0).astype(float)
    for r in range(rows):
        roll = rng.random()
        if roll < 0.05:
            D[r] = 0
        elif roll < 0.2 and r > 0:
            D[r] = D[rng.integers(0, r)] * rng.integers(1, 3)
    return sp.csr_matrix(D)


def near(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12


def assert_pairs_equal(X, t: float, n_jobs: int = 1) -> None:
    S = dense_cosines(X)
    rows, cols, scores = lexsim.similar_pairs(X, t, n_jobs=n_jobs)
    got = set(zip(rows.tolist(), cols.tolist()))
    want = brute_pairs(S, t)
    # A pair may only differ from the reference when its score is t up to rounding.
    for i, j in got ^ want:
        assert near(S[i, j], t), (i, j, S[i, j], t)
    assert (rows < cols).all()
    order = np.lexsort((cols, rows))
    assert (order == np.arange(len(rows))).all(), "pairs are sorted by (row, col)"
    for i, j, s in zip(rows, cols, scores):
        assert s >= t
        assert near(s, S[i, j])


# ----------------------------------------------------------------------------- similar_pairs


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("t", [0.2, 0.5, 0.7, 0.9, 1.0])
def test_similar_pairs_random_with_ties(seed: int, t: float) -> None:
    assert_pairs_equal(random_matrix(seed), t)


def test_similar_pairs_scores_equal_top_k_bit_for_bit() -> None:
    X = random_matrix(3, rows=80)
    rows, cols, scores = lexsim.similar_pairs(X, 0.3)
    K = lexsim.top_k(X, k=80).toarray()
    assert (scores == K[rows, cols]).all()


def test_similar_pairs_negative_values() -> None:
    rng = np.random.default_rng(5)
    D = np.where(rng.random((40, 8)) < 0.4, rng.integers(-3, 4, (40, 8)), 0).astype(float)
    assert_pairs_equal(sp.csr_matrix(D), 0.4)


def test_similar_pairs_duplicates_at_threshold_one() -> None:
    X = sp.csr_matrix(np.array([[1.0, 2, 0], [2, 4, 0], [0, 0, 1], [1, 2, 0]]))
    rows, cols, scores = lexsim.similar_pairs(X, 0.999999)
    assert list(zip(rows.tolist(), cols.tolist())) == [(0, 1), (0, 3), (1, 3)]
    np.testing.assert_allclose(scores, 1.0)


def test_similar_pairs_sentences_against_chunked_product() -> None:
    docs = read_sentences()[:6000]
    X = lexsim.TfidfVectorizer().fit_transform(docs)
    for t in (0.5, 0.8):
        rows, cols, scores = lexsim.similar_pairs(X, t)
        P = sp.triu(X @ X.T, k=1).tocoo()
        keep = P.data >= t
        want = set(zip(P.row[keep].tolist(), P.col[keep].tolist()))
        got = set(zip(rows.tolist(), cols.tolist()))
        dense = {(i, j): v for i, j, v in zip(P.row, P.col, P.data)}
        for pair in got ^ want:
            assert abs(dense.get(pair, 0.0) - t) < 1e-12, pair
        assert len(got) > 10


def test_similar_pairs_threads_identical_and_float32() -> None:
    X = lexsim.TfidfVectorizer().fit_transform(read_sentences()[:4000])
    one = lexsim.similar_pairs(X, 0.4, n_jobs=1)
    two = lexsim.similar_pairs(X, 0.4, n_jobs=2)
    for a, b in zip(one, two):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    r32, c32, s32 = lexsim.similar_pairs(X.astype(np.float32), 0.4)
    assert s32.dtype == np.float32 and len(r32) > 0


def test_similar_pairs_as_frame() -> None:
    X = random_matrix(1)
    df = lexsim.similar_pairs(X, 0.5, as_frame=True)
    rows, cols, scores = lexsim.similar_pairs(X, 0.5)
    assert list(df.columns) == ["doc_i", "doc_j", "score"]
    assert df["doc_i"].tolist() == rows.tolist() and df["doc_j"].tolist() == cols.tolist()
    assert df["score"].tolist() == scores.tolist()


@pytest.mark.parametrize(
    "t, exc, match",
    [
        (0.0, ValueError, r"threshold must be in \(0, 1\]"),
        (-0.5, ValueError, "threshold must be in"),
        (1.5, ValueError, "threshold must be in"),
        (float("nan"), ValueError, "NaN"),
        ("0.5", TypeError, "threshold must be a number"),
        (None, TypeError, "threshold must be a number"),
        (True, TypeError, "threshold must be a number"),
    ],
)
def test_similar_pairs_bad_threshold(t, exc, match) -> None:
    with pytest.raises(exc, match=match):
        lexsim.similar_pairs(random_matrix(0), t)


def test_similarity_functions_reject_bad_matrices() -> None:
    bad = sp.csr_matrix(np.array([[1.0, np.nan], [0.0, 1.0]]))
    inf = sp.csr_matrix(np.array([[1.0, np.inf], [0.0, 1.0]]))
    for call in (
        lambda X: lexsim.similar_pairs(X, 0.5),
        lambda X: lexsim.group(X, 0.5),
        lambda X: lexsim.top_terms(None, X),
        lambda X: lexsim.explain(None, X, 0, 1),
    ):
        for X in (bad, inf):
            with pytest.raises(ValueError, match="NaN or infinity"):
                call(X)
        with pytest.raises(TypeError, match="sparse matrix"):
            call([[1.0, 0.0]])
        with pytest.raises(TypeError, match="sparse matrix"):
            call("some text")
        with pytest.raises(ValueError, match="2-dimensional"):
            call(np.array([1.0, 2.0]))
        for dtype_bad in (
            sp.csr_matrix(np.array([[1 + 2j, 0]])),
            np.array([["a", "b"]]),
            np.array([[1, 0]], dtype=object),
        ):
            with pytest.raises(TypeError, match="real numbers"):
                call(dtype_bad)


# ----------------------------------------------------------------------------- group


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("t", [0.3, 0.6, 0.95])
def test_group_matches_connected_components(seed: int, t: float) -> None:
    X = random_matrix(seed)
    S = dense_cosines(X)
    rows, cols, _ = lexsim.similar_pairs(X, t)
    result = lexsim.group(X, t)
    comps = brute_components(X.shape[0], set(zip(rows.tolist(), cols.tolist())))
    got = [set(g.members.tolist()) for g in result]
    assert sorted(map(sorted, got)) == sorted(map(sorted, comps))
    # Numbered by decreasing size, ties by first member; labels agree with members.
    keys = [(-len(g), int(g.members[0])) for g in result]
    assert keys == sorted(keys)
    for g in result:
        assert (result.labels[g.members] == g.label).all()
        assert np.all(np.diff(g.members) > 0)
        # The representative has the largest summed cosine to the rest (ties: lower row).
        m = g.members
        sums = [S[r, m].sum() - S[r, r] for r in m]
        best = max(sums)
        assert g.representative in m
        winners = [int(r) for r, s in zip(m, sums) if s >= best - 1e-9]
        assert g.representative == min(winners) or abs(sums[list(m).index(g.representative)] - best) < 1e-9


def test_group_top_terms_are_the_centroid() -> None:
    X = random_matrix(2)
    names = [f"t{c}" for c in range(X.shape[1])]
    result = lexsim.group(X, 0.5, vectorizer=names, n_terms=3)
    U = normalize(X).toarray()
    for g in result:
        centroid = U[g.members].mean(axis=0)
        order = sorted((c for c in range(len(names)) if centroid[c] != 0), key=lambda c: (-centroid[c], c))[:3]
        assert [t for t, _ in g.top_terms] == [names[c] for c in order]
        for (_, w), c in zip(g.top_terms, order):
            assert abs(w - centroid[c]) < 1e-12


def test_group_news_seeds_stories() -> None:
    # Cosines with accent folding, stop words and sublinear tf: 1-4 0.274, 2-3 0.231, 0-3 and 0-4
    # 0.212 (the two stories touch through 000, so single linkage joins them at 0.2).
    _, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True)
    X = vec.fit_transform(docs)
    assert lexsim.group(X, 0.2).labels.tolist() == [0, 0, 0, 0, 0]
    result = lexsim.group(X, 0.22, vectorizer=vec)
    labels = result.labels.tolist()
    assert labels[1] == labels[4] and labels[2] == labels[3]
    assert len({labels[0], labels[1], labels[2]}) == 3
    putin_assad = result[labels[1]]
    assert putin_assad.members.tolist() == [1, 4]
    assert {"putin", "assad"} <= {t for t, _ in putin_assad.top_terms[:3]}
    assert lexsim.group(X, 0.3).labels.tolist() == [0, 1, 2, 3, 4]


def test_group_threads_identical_and_frame() -> None:
    X = lexsim.TfidfVectorizer().fit_transform(read_sentences()[:3000])
    a = lexsim.group(X, 0.5, n_jobs=1)
    b = lexsim.group(X, 0.5, n_jobs=2)
    assert np.array_equal(a.labels, b.labels)
    assert [g.representative for g in a] == [g.representative for g in b]
    df = a.to_frame()
    assert list(df.columns) == ["size", "representative", "members", "top_terms"]
    assert df["size"].sum() == X.shape[0]
    ids = [f"s{n}" for n in range(X.shape[0])]
    df = a.to_frame(ids=ids)
    assert df["representative_id"].tolist() == [ids[r] for r in df["representative"]]
    assert df["member_ids"].tolist() == [[ids[m] for m in ms] for ms in df["members"]]


def test_group_bad_arguments() -> None:
    X = random_matrix(0)
    with pytest.raises(ValueError, match="threshold"):
        lexsim.group(X, 0)
    with pytest.raises(ValueError, match="n_terms"):
        lexsim.group(X, 0.5, n_terms=0)
    with pytest.raises(ValueError, match="features"):
        lexsim.group(X, 0.5, vectorizer=["a", "b"])
    with pytest.raises(TypeError, match="vectorizer"):
        lexsim.group(X, 0.5, vectorizer=42)


# ----------------------------------------------------------------------------- top_terms


def test_top_terms_against_sorting() -> None:
    X = random_matrix(4)
    names = [f"w{c}" for c in range(X.shape[1])]
    got = lexsim.top_terms(names, X, n=3)
    D = X.toarray()
    for r in range(X.shape[0]):
        order = sorted((c for c in range(D.shape[1]) if D[r, c] != 0), key=lambda c: (-D[r, c], c))[:3]
        assert got[r] == [(names[c], D[r, c]) for c in order]


def test_top_terms_vectorizer_frame_and_threads() -> None:
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english")
    X = vec.fit_transform(docs)
    terms = lexsim.top_terms(vec, X, n=5)
    assert all(len(t) == 5 for t in terms)
    assert lexsim.top_terms(vec, X, n=5, n_jobs=2) == terms
    assert "erdogan" in {t for t, _ in terms[0]}  # accents folded: Erdoğan and Erdogan are one term
    df = lexsim.top_terms(vec, X, n=5, as_frame=True)
    assert list(df.columns) == ["doc", "rank", "term", "score"] and len(df) == 25
    assert df["rank"].tolist() == [1, 2, 3, 4, 5] * 5
    assert lexsim.top_terms(None, X, n=1)[0][0][0] == int(np.argmax(X[0].toarray()))


@pytest.mark.parametrize("n, exc", [(0, ValueError), (-1, ValueError), (2.5, TypeError), ("3", TypeError)])
def test_top_terms_bad_n(n, exc) -> None:
    with pytest.raises(exc, match="n must"):
        lexsim.top_terms(None, random_matrix(0), n=n)


# ----------------------------------------------------------------------------- explain


@pytest.mark.parametrize("seed", range(4))
def test_explain_contributions_add_up(seed: int) -> None:
    X = random_matrix(seed)
    S = lexsim.top_k(X, k=X.shape[0]).toarray()
    U = normalize(X).toarray()
    for i in range(0, X.shape[0], 7):
        for j in range(X.shape[0]):
            e = lexsim.explain(None, X, i, j, n=None)
            shared = np.flatnonzero((U[i] != 0) & (U[j] != 0))
            assert e.n_shared == len(shared) == len(e.terms)
            assert abs(sum(c for _, c, _, _ in e.terms) - e.similarity) < 1e-12
            if i != j:
                assert e.similarity == S[i, j]
            contributions = [c for _, c, _, _ in e.terms]
            assert contributions == sorted(contributions, reverse=True)
            for term, c, wi, wj in e.terms:
                assert c == U[i, term] * U[j, term] and wi == U[i, term] and wj == U[j, term]


def test_explain_putin_assad_articles() -> None:
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True)
    X = vec.fit_transform(docs)
    e = lexsim.explain(vec, X, 1, 4, n=5)  # the two Putin-Assad articles
    top = [t for t, *_ in e.terms]
    assert len(top) == 5 and "assad" in top
    full = lexsim.explain(vec, X, 1, 4, n=None)
    assert abs(sum(c for _, c, _, _ in full.terms) - full.similarity) < 1e-12
    assert e.similarity == full.similarity
    df = e.to_frame()
    assert list(df.columns) == ["rank", "term", "score", "share", "weight_i", "weight_j"] and len(df) == 5
    assert df["term"].tolist() == top and df["rank"].tolist() == [1, 2, 3, 4, 5]
    assert lexsim.explain(vec, X, -1, 1).i == 4


def test_explain_bad_arguments() -> None:
    X = random_matrix(0)
    with pytest.raises(ValueError, match="out of range"):
        lexsim.explain(None, X, 0, X.shape[0])
    with pytest.raises(TypeError, match="i must be an int"):
        lexsim.explain(None, X, 0.5, 1)
    with pytest.raises(ValueError, match="n must"):
        lexsim.explain(None, X, 0, 1, n=0)


# ----------------------------------------------------------------------------- frames


def test_frames_share_column_names_ranks_from_one_and_ids() -> None:
    """top_terms, similar_pairs, explain and group frames: rank from 1, doc = document position,
    score = the value, term; ids= adds id columns (id_i, id_j for pairs)."""
    docs = ["Putin met Assad in Moscow", "Assad met Putin in Moscow today", "Rain in Paris", "Paris rain again"]
    ids = ["a", "b", "c", "d"]
    vec = lexsim.TfidfVectorizer()
    X = vec.fit_transform(docs)
    terms = lexsim.top_terms(vec, X, n=2)
    df = lexsim.top_terms(vec, X, n=2, as_frame=True, ids=ids)
    assert list(df.columns) == ["doc", "id", "rank", "term", "score"]
    assert df.values.tolist() == [[d, ids[d], r, t, w] for d in range(4) for r, (t, w) in enumerate(terms[d], 1)]

    rows, cols, scores = lexsim.similar_pairs(X, 0.3)
    assert rows.tolist() == [0, 2] and cols.tolist() == [1, 3]
    df = lexsim.similar_pairs(X, 0.3, as_frame=True, ids=np.array(ids))
    assert list(df.columns) == ["doc_i", "id_i", "doc_j", "id_j", "score"]
    assert df.values.tolist() == [[0, "a", 1, "b", scores[0]], [2, "c", 3, "d", scores[1]]]

    e = lexsim.explain(vec, X, 0, 1, n=None)
    df = e.to_frame()
    assert list(df.columns) == ["rank", "term", "score", "share", "weight_i", "weight_j"]
    assert df["rank"].tolist() == list(range(1, e.n_shared + 1))
    assert df[["term", "score", "weight_i", "weight_j"]].values.tolist() == [list(t) for t in e.terms]
    assert df["share"].sum() == pytest.approx(1.0, abs=1e-12)

    groups = lexsim.group(X, 0.3)
    df = groups.to_frame(ids=ids)
    assert df["member_ids"].tolist() == [["a", "b"], ["c", "d"]]
    assert df["representative_id"].tolist() == [ids[g.representative] for g in groups]

    for call in (
        lambda i: lexsim.top_terms(vec, X, as_frame=True, ids=i),
        lambda i: lexsim.similar_pairs(X, 0.3, as_frame=True, ids=i),
        lambda i: lexsim.group(X, 0.3).to_frame(ids=i),
    ):
        with pytest.raises(ValueError, match="ids has 3 entries but X has 4 rows"):
            call(ids[:3])
        with pytest.raises(TypeError, match="ids must be a sequence of document ids, got str"):
            call("abcd")
        with pytest.raises(TypeError, match="got int"):
            call(4)
