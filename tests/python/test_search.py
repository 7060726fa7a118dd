"""lexsim.SearchIndex against brute-force references: dense numpy cosine, BM25 written out from its
formula; ties, threads, the shared corpora, DataFrames and every rejected argument."""

from __future__ import annotations

import contextlib
import io
import re
import sys
import threading

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import ROOT, read_news_seeds, read_sentences
from reference.search import bm25_scores, cosine_scores, cosine_scores_sparse, reference_ranking

import lexsim

TOL = 1e-12


# --------------------------------------------------------------------------- helpers (references: tests/reference)


def assert_ranked(got, scores, k, tol=TOL):
    """got holds the reference's k best: the same score at each rank (to 1e-12), each document with
    that reference score, no document twice, equal scores in document order. Scores that differ by
    rounding alone may come in either order; exact ties may not."""
    want = reference_ranking(scores, k)
    assert len(got) == len(want), (got[:5], want[:5])
    assert len({d for d, _ in got}) == len(got)
    for i, ((gd, gs), (wd, ws)) in enumerate(zip(got, want)):
        assert isinstance(gd, int) and isinstance(gs, float)
        assert gs == pytest.approx(ws, rel=tol, abs=tol), (i, gd, wd)
        assert scores[gd] == pytest.approx(ws, rel=tol, abs=tol), (i, gd, wd)
        if i and gs == got[i - 1][1]:
            assert got[i - 1][0] < gd


class RowVectorizer:
    """A 'vectorizer' whose queries name rows of a prepared matrix ("3" -> row 3): lets the random
    matrix tests go through the public API."""

    def __init__(self, Q):
        self.Q = sp.csr_matrix(Q)

    def transform(self, queries):
        return self.Q[[int(q) for q in queries]]

    def get_feature_names_out(self):
        return np.array([f"t{i}" for i in range(self.Q.shape[1])], dtype=object)


def random_counts(shape, density, seed, duplicates=True):
    """Small integer counts; some rows repeat earlier ones (exact ties), some are empty."""
    rng = np.random.default_rng(seed)
    M = sp.random(shape[0], shape[1], density=density, random_state=rng, data_rvs=lambda n: rng.integers(1, 5, n))
    M = M.toarray()
    if duplicates:
        for r in range(1, shape[0], 5):
            M[r] = M[rng.integers(0, r)]
    M[shape[0] // 2] = 0
    return sp.csr_matrix(M)


def queries_for(docs, n, seed):
    """Query texts from the corpus itself: 1 to 4 consecutive words of random documents, plus a
    few that match nothing."""
    rng = np.random.default_rng(seed)
    out = []
    for i in rng.integers(0, len(docs), n):
        words = re.findall(r"\w\w+", docs[i])
        if not words:
            continue
        start = int(rng.integers(0, len(words)))
        out.append(" ".join(words[start : start + int(rng.integers(1, 5))]))
    return out + ["zzzzunseen", ""]


# --------------------------------------------------------------------------- random matrices


@pytest.mark.parametrize("k", [1, 3, 10, 1000])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cosine_random_matrices(seed, k):
    X = random_counts((80, 25), 0.15, seed) * 0.37  # TF-IDF-like weights; repeated rows stay repeated
    Q = random_counts((40, 25), 0.15, seed + 100)
    index = lexsim.SearchIndex(RowVectorizer(Q), X)
    S = cosine_scores(X, Q)
    got = index.search_batch([str(i) for i in range(40)], k=k)
    for i in range(40):
        assert_ranked(got[i], S[i], k)
        assert index.search(str(i), k=k) == got[i]


@pytest.mark.parametrize("method", ["lucene", "robertson", "atire", "bm25l", "bm25+"])
@pytest.mark.parametrize(
    "k1,b,delta", [(1.2, 0.75, 0.5), (0.0, 0.75, 1.0), (2.0, 0.0, 0.5), (0.5, 1.0, 0.0), (1.2, 0.3, 2.0)]
)
@pytest.mark.parametrize("seed", [4, 5])
def test_bm25_random_counts(seed, k1, b, delta, method):
    if method == "bm25l" and k1 == 0:
        k1 = 0.1  # bm25l needs k1 > 0
    C = random_counts((120, 30), 0.1, seed)
    Q = random_counts((50, 30), 0.1, seed + 100)
    index = lexsim.SearchIndex(RowVectorizer(Q), C, scoring="bm25", method=method, k1=k1, b=b, delta=delta)
    assert (index.k1, index.b, index.delta, index.scoring, index.method, index.n_documents) == (
        k1,
        b,
        delta,
        "bm25",
        method,
        120,
    )
    S = bm25_scores(C, Q, k1, b, method, delta)
    assert (S > 0).sum() > 100
    for k in (1, 5, 1000):
        got = index.search_batch([str(i) for i in range(50)], k=k)
        for i in range(50):
            assert_ranked(got[i], S[i], k)


def test_bm25_counts_a_query_term_once():
    C = random_counts((60, 12), 0.3, 9)
    Q = sp.csr_matrix(np.array([[0, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1], [0, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0.2]]))
    index = lexsim.SearchIndex(RowVectorizer(Q), C, scoring="bm25")
    a, b_ = index.search_batch(["0", "1"], k=60)
    assert a == b_ and a


def test_ties_go_to_the_lower_document():
    base = random_counts((7, 10), 0.25, 21, duplicates=False).toarray()
    base[3] = 0
    C = sp.csr_matrix(np.vstack([base, base, base[:3]]))  # document i repeats as i + 7 (and i + 14 for i < 3)
    Q = sp.csr_matrix(base)
    for scoring in ("cosine", "bm25"):
        index = lexsim.SearchIndex(RowVectorizer(Q), C, scoring=scoring)
        for i in (0, 1):
            full = index.search(str(i), k=100)
            assert_ranked(full, (cosine_scores if scoring == "cosine" else bm25_scores)(C, Q[i])[0], 100)
            by_doc = dict(full)
            assert by_doc[i] == by_doc[i + 7] == by_doc[i + 14]  # bit-for-bit equal
            tied = [d for d, s in full if s == by_doc[i]]
            assert tied == sorted(tied) and [d for d in tied if d % 7 == i] == [i, i + 7, i + 14]
            # k cutting through the tie group keeps its lowest documents
            start = [d for d, _ in full].index(tied[0])
            cut = index.search(str(i), k=start + 2)
            assert [d for d, _ in cut[start:]] == tied[:2]


def test_ties_in_batches_and_frames_are_ranked_as_single_searches():
    """Every output ranks a query's hits by the core's rule (score down, then document up)."""
    pytest.importorskip("pandas")
    base = random_counts((7, 10), 0.25, 21, duplicates=False).toarray()
    C = sp.csr_matrix(np.vstack([base, base, base]))  # document i repeats as i + 7 and i + 14
    queries = [str(i) for i in range(7)]
    for scoring in ("cosine", "bm25"):
        index = lexsim.SearchIndex(RowVectorizer(base), C, scoring=scoring)
        singles = [index.search(q, k=100) for q in queries]
        assert sum(h[0][1] == h[1][1] for h in singles if len(h) > 1) >= 3  # tied best hits
        assert index.search_batch(queries, k=100) == singles
        frame = index.search_batch(queries, k=100, as_frame=True)
        want = [(q, r, d, s) for q, hits in enumerate(singles) for r, (d, s) in enumerate(hits, 1)]
        assert list(zip(*(frame[c].tolist() for c in ("query", "rank", "doc", "score")))) == want


def test_scores_that_overflow_to_inf_rank_first_in_document_order():
    """k1 = 1e308 is finite, so accepted; atire's weights of repeated terms overflow to inf."""
    pytest.importorskip("pandas")
    docs = ["a a a b", "a b b b c c c c c c", "a", "b c", "a a a a a a a a a a a a b"]
    counts = lexsim.CountVectorizer(token_pattern=r"\w+").fit(docs)
    index = lexsim.SearchIndex(counts, documents=docs, scoring="bm25", method="atire", k1=1e308)
    hits = index.search("a b c", k=5)
    assert [d for d, _ in hits] == [0, 1, 3, 2] and hits[0][1] == hits[1][1] == np.inf
    assert np.isfinite([s for _, s in hits[2:]]).all() and hits[2][1] > hits[3][1]
    frame = index.search("a b c", k=5, as_frame=True)
    assert frame["doc"].tolist() == [0, 1, 3, 2] and frame["rank"].tolist() == [1, 2, 3, 4]


def test_results_do_not_depend_on_n_jobs():
    docs = read_sentences()[:8000]
    queries = queries_for(docs, 300, seed=8)
    for scoring in ("cosine", "bm25"):
        vec = lexsim.CountVectorizer() if scoring == "bm25" else lexsim.TfidfVectorizer()
        X = vec.fit_transform(docs)
        ref = lexsim.SearchIndex(vec, X, scoring=scoring, n_jobs=1).search_batch(queries, k=7)
        assert sum(map(len, ref)) > 1000
        for n_jobs in (2, -1):
            got = lexsim.SearchIndex(vec, X, scoring=scoring, n_jobs=n_jobs).search_batch(queries, k=7)
            assert got == ref  # same documents, bit-for-bit the same scores


def test_other_sparse_formats_and_float32():
    X = random_counts((50, 20), 0.2, 31)
    Q = random_counts((10, 20), 0.3, 32)
    names = [str(i) for i in range(10)]
    ref = lexsim.SearchIndex(RowVectorizer(Q), X).search_batch(names)
    for other in (X.tocoo(), X.tocsc(), X.toarray(), sp.csr_array(X)):
        assert lexsim.SearchIndex(RowVectorizer(Q), other).search_batch(names) == ref
    assert lexsim.SearchIndex(RowVectorizer(Q), X.tocsc(), scoring="bm25").search_batch(names) == lexsim.SearchIndex(
        RowVectorizer(Q), X, scoring="bm25"
    ).search_batch(names)
    # float32 stays float32: the same ranking up to float32 rounding
    f32 = lexsim.SearchIndex(RowVectorizer(Q), X.astype(np.float32)).search_batch(names)
    S = cosine_scores(X, Q)
    for i, got in enumerate(f32):
        assert_ranked(got, S[i], 10, tol=1e-6)


# --------------------------------------------------------------------------- real corpora


def test_news_seeds_idlib_articles_come_first():
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True)
    index = lexsim.SearchIndex(vec, vec.fit_transform(docs))
    hits = index.search("Idlib ceasefire")
    idlib = {i for i, n in enumerate(names) if n[:3] in ("000", "002", "003")}
    assert {d for d, _ in hits[:3]} == idlib
    assert all(s < hits[2][1] for _, s in hits[3:])
    assert_ranked(hits, cosine_scores(vec.transform(docs), vec.transform(["Idlib ceasefire"]))[0], 10)
    # with the texts instead of the matrix: the same
    assert lexsim.SearchIndex(vec, documents=docs).search("Idlib ceasefire") == hits


def test_news_seeds_robertson_floors_terms_in_most_articles():
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True).fit(docs)
    index = lexsim.SearchIndex(vec, documents=docs, scoring="bm25", method="robertson")
    # "idlib" is in 3 of the 5 articles: idf ln(2.5 / 3.5) < 0 is floored to 0, nothing scores
    assert index.search("Idlib") == []
    hits = index.search("Lavrov soldiers Idlib")
    assert sorted(names[d][:3] for d, _ in hits) == ["000", "003"]
    counts = lexsim.CountVectorizer(strip_accents="unicode", stop_words="english", vocabulary=vec.vocabulary_)
    assert_ranked(
        hits,
        bm25_scores(counts.transform(docs), counts.transform(["Lavrov soldiers Idlib"]), method="robertson")[0],
        10,
    )
    # the default, lucene, has a positive idf for every term: "Idlib" finds its three articles
    lucene = lexsim.SearchIndex(vec, documents=docs, scoring="bm25")
    assert lucene.method == "lucene"
    assert sorted(names[d][:3] for d, _ in lucene.search("Idlib")) == ["000", "002", "003"]


@pytest.mark.parametrize("scoring", ["cosine", "bm25"])
def test_sentences_against_brute_force(scoring):
    docs = read_sentences()
    queries = queries_for(docs, 300, seed=1 if scoring == "cosine" else 2)
    if scoring == "cosine":
        vec = lexsim.TfidfVectorizer(sublinear_tf=True)
        X = vec.fit_transform(docs)
        S = cosine_scores_sparse(X, vec.transform(queries))
    else:
        vec = lexsim.CountVectorizer()
        X = vec.fit_transform(docs)
        S = bm25_scores_sparse(X, vec.transform(queries))
    index = lexsim.SearchIndex(vec, X, scoring=scoring, n_jobs=2)
    got = index.search_batch(queries, k=10)
    assert sum(1 for g in got if g) > 250
    for i in range(len(queries)):
        assert_ranked(got[i], S[i], 10)
    assert got[-1] == [] and got[-2] == []


bm25_scores_sparse = bm25_scores  # dense columns one term at a time: fine for 50,000 documents


# --------------------------------------------------------------------------- BM25 peers


def peer_corpus():
    """The news seeds and 400 sentences, with the tokens lexsim counts: its analyzer's terms that
    are in the fitted vocabulary, in order (what the peers get to index)."""
    _, seeds = read_news_seeds()
    docs = seeds + read_sentences()[:400]
    vec = lexsim.CountVectorizer(strip_accents="unicode", stop_words="english").fit(docs)
    analyze, vocabulary = vec.build_analyzer(), vec.vocabulary_
    tokens = [[t for t in analyze(d) if t in vocabulary] for d in docs]
    queries = queries_for(docs, 120, seed=7) + ["Assad Putin Kremlin", "Idlib ceasefire", "Erdoğan Idlib Putin"]
    return vec, docs, tokens, queries


def check_against_peer(hits, peer_scores, tokens, query_terms):
    """hits equal the peer's scores to 1e-12 for every document holding a query term (and scoring
    non-zero), best first, ties in document order; the others are left out."""
    held = {d for d, toks in enumerate(tokens) if set(toks) & set(query_terms) and peer_scores[d] != 0}
    want = sorted(held, key=lambda d: (-peer_scores[d], d))
    assert len(hits) == min(len(want), 10)
    for (d, score), w in zip(hits, want):
        assert d in held
        assert score == pytest.approx(peer_scores[d], rel=1e-12, abs=1e-12)
        assert score == pytest.approx(peer_scores[w], rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("method", ["lucene", "robertson", "atire", "bm25l", "bm25+"])
@pytest.mark.parametrize("k1,b,delta", [(1.2, 0.75, 0.5), (1.5, 0.3, 1.0), (0.8, 1.0, 0.25)])
def test_bm25_methods_equal_bm25s(method, k1, b, delta):
    bm25s = pytest.importorskip("bm25s")
    vec, docs, tokens, queries = peer_corpus()
    peer = bm25s.BM25(method=method, k1=k1, b=b, delta=delta, dtype="float64")
    peer.index(tokens, show_progress=False)
    index = lexsim.SearchIndex(vec, documents=docs, scoring="bm25", method=method, k1=k1, b=b, delta=delta)
    got = index.search_batch(queries)
    assert sum(1 for g in got if g) > 90
    for q, hits in zip(queries, got):
        # lexsim counts a query term once: the peer gets each known term once
        terms = [t for t in dict.fromkeys(vec.build_analyzer()(q)) if t in vec.vocabulary_]
        scores = peer.get_scores(terms) if terms else np.zeros(len(docs))
        check_against_peer(hits, scores, tokens, terms)


@pytest.mark.parametrize("k1,b,delta", [(1.2, 0.75, 1.0), (1.5, 0.5, 0.5)])
def test_bm25plus_equals_rank_bm25(k1, b, delta):
    # rank_bm25's BM25Plus is the same formula in float64. (Its BM25L multiplies each term's score by
    # tf once more, and its BM25Okapi replaces negative idfs by a fraction of the mean idf and keeps
    # the (k1 + 1) factor, so neither is bm25s's bm25l / robertson: those are checked against bm25s.)
    rank_bm25 = pytest.importorskip("rank_bm25")
    vec, docs, tokens, queries = peer_corpus()
    peer = rank_bm25.BM25Plus(tokens, k1=k1, b=b, delta=delta)
    index = lexsim.SearchIndex(vec, documents=docs, scoring="bm25", method="bm25+", k1=k1, b=b, delta=delta)
    for q, hits in zip(queries, index.search_batch(queries)):
        terms = [t for t in dict.fromkeys(vec.build_analyzer()(q)) if t in vec.vocabulary_]
        check_against_peer(hits, peer.get_scores(terms), tokens, terms)


@pytest.mark.parametrize("method", ["lucene", "robertson", "atire", "bm25l", "bm25+"])
def test_news_seeds_outcomes_for_every_method(method):
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english", sublinear_tf=True).fit(docs)
    index = lexsim.SearchIndex(vec, documents=docs, scoring="bm25", method=method)
    putin = [names[d][:3] for d, _ in index.search("Assad Putin Kremlin")]
    idlib = [names[d][:3] for d, _ in index.search("Idlib ceasefire")]
    if method == "robertson":  # every one of these terms is in 3 of the 5 articles: idf 0
        assert putin == [] and idlib == []
    else:
        assert sorted(putin[:2]) == ["001", "004"]
        assert sorted(idlib[:3]) == ["000", "002", "003"]


def test_unknown_terms_are_reported():
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english").fit(docs)
    for scoring in ("cosine", "bm25"):
        index = lexsim.SearchIndex(vec, documents=docs, scoring=scoring)
        hits = index.search("Kremlin2 the Assad XYZ assad")
        assert isinstance(hits, lexsim.SearchHits) and isinstance(hits, list)
        assert hits.terms == ("kremlin2", "assad", "xyz")  # analysed: lowercased, stop word dropped, once each
        assert hits.unknown_terms == ("kremlin2", "xyz")
        assert hits == index.search("Assad") and hits
        assert index.search("Erdoğan").unknown_terms == ()
        nothing = index.search("xyz qqq")
        assert nothing == [] and nothing.unknown_terms == ("xyz", "qqq")
        batch = index.search_batch(["xyz Assad", "Idlib"])
        assert [b.unknown_terms for b in batch] == [("xyz",), ()]
    # n-grams: an unknown pair of known words is not reported
    bigrams = lexsim.CountVectorizer(ngram_range=(1, 2)).fit(docs)
    assert lexsim.SearchIndex(bigrams, documents=docs, scoring="bm25").search("Assad qqq").unknown_terms == ("qqq",)
    # a vectorizer without an analyzer: nothing to report
    plain = lexsim.SearchIndex(RowVectorizer(np.eye(3)), np.eye(3)).search("0")
    assert plain == [(0, 1.0)] and plain.unknown_terms == () and plain.terms == ()


def test_method_and_delta_arguments(fitted):
    docs, tfidf, counts = fitted
    with pytest.raises(
        ValueError, match=r"method must be one of 'lucene', 'robertson', 'atire', 'bm25l', 'bm25\+', got 'okapi'"
    ):
        lexsim.SearchIndex(counts, documents=docs, scoring="bm25", method="okapi")
    with pytest.raises(TypeError, match="method must be a str, got int"):
        lexsim.SearchIndex(counts, documents=docs, scoring="bm25", method=3)
    with pytest.raises(ValueError, match=r"method='atire' is a BM25 variant; it needs scoring='bm25'"):
        lexsim.SearchIndex(tfidf, documents=docs, method="atire")
    for bad in (-0.5, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="delta must be a finite number >= 0"):
            lexsim.SearchIndex(counts, documents=docs, scoring="bm25", method="bm25l", delta=bad)
    with pytest.raises(TypeError, match="delta must be a number, got str"):
        lexsim.SearchIndex(counts, documents=docs, scoring="bm25", delta="1")
    with pytest.raises(ValueError, match=r"method='bm25l' needs k1 > 0"):
        lexsim.SearchIndex(counts, documents=docs, scoring="bm25", method="bm25l", k1=0)
    index = lexsim.SearchIndex(counts, documents=docs, scoring="bm25", method="bm25l", delta=0.25)
    assert (index.method, index.delta) == ("bm25l", 0.25)
    assert repr(index) == "SearchIndex(scoring='bm25', n_documents=3, method='bm25l', k1=1.2, b=0.75, delta=0.25)"
    assert lexsim.SearchIndex(tfidf, documents=docs).method is None


def test_frames_with_ids_and_unknown_terms():
    pd = pytest.importorskip("pandas")
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english").fit(docs)
    index = lexsim.SearchIndex(vec, documents=docs, scoring="bm25")
    frame = index.search("Assad Putin xyz", k=3, as_frame=True, ids=names)
    assert list(frame.columns) == ["query", "rank", "doc", "id", "score"]
    hits = index.search("Assad Putin xyz", k=3)
    assert list(frame.itertuples(index=False, name=None)) == [
        (0, r, d, names[d], s) for r, (d, s) in enumerate(hits, 1)
    ]
    assert frame.attrs["unknown_terms"] == ("xyz",)
    batch = index.search_batch(["xyz", "Idlib qqq"], as_frame=True, ids=tuple(names))
    assert batch.attrs["unknown_terms"] == [("xyz",), ("qqq",)]
    assert set(batch["query"]) == {1} and list(batch["rank"]) == [1, 2, 3]
    assert sorted(batch["id"].str[:3]) == ["000", "002", "003"]
    empty = index.search("xyz", as_frame=True, ids=names)
    assert list(empty.columns) == ["query", "rank", "doc", "id", "score"] and len(empty) == 0
    with pytest.raises(ValueError, match="ids has 4 entries but the index has 5 documents"):
        index.search("Assad", as_frame=True, ids=names[:4])
    with pytest.raises(ValueError, match=r"ids= names the documents in the as_frame=True output"):
        index.search("Assad", ids=names)
    with pytest.raises(TypeError, match="ids must be a sequence with one id per document, got int"):
        index.search_batch(["Assad"], as_frame=True, ids=5)
    assert isinstance(pd.DataFrame, type)


def test_bm25_from_a_tfidf_vectorizer_counts_with_its_analysis():
    docs = read_sentences()[:3000]
    options = dict(strip_accents="unicode", stop_words="english", ngram_range=(1, 2), min_df=2)
    tfidf = lexsim.TfidfVectorizer(sublinear_tf=True, **options).fit(docs)
    counter = lexsim.CountVectorizer(**options).fit(docs)
    assert list(counter.get_feature_names_out()) == list(tfidf.get_feature_names_out())
    queries = queries_for(docs, 100, seed=3)
    want = lexsim.SearchIndex(counter, counter.transform(docs), scoring="bm25").search_batch(queries)
    assert lexsim.SearchIndex(tfidf, documents=docs, scoring="bm25").search_batch(queries) == want
    # X (TF-IDF) may come along; the counts still come from the texts
    assert (
        lexsim.SearchIndex(tfidf, tfidf.transform(docs), documents=docs, scoring="bm25").search_batch(queries) == want
    )


def test_scikit_learn_vectorizers():
    text = pytest.importorskip("sklearn.feature_extraction.text")
    docs = read_sentences()[:3000]
    queries = queries_for(docs, 100, seed=4)
    lex_tfidf = lexsim.TfidfVectorizer().fit(docs)
    lex_count = lexsim.CountVectorizer().fit(docs)
    sk_tfidf = text.TfidfVectorizer().fit(docs)
    sk_count = text.CountVectorizer().fit(docs)
    cosine = lexsim.SearchIndex(lex_tfidf, documents=docs).search_batch(queries)
    bm25 = lexsim.SearchIndex(lex_count, documents=docs, scoring="bm25").search_batch(queries)

    def same(got, want):  # the matrices agree to 1e-12, so near-ties may swap
        for g, w in zip(got, want):
            assert len(g) == len(w)
            np.testing.assert_allclose([s for _, s in g], [s for _, s in w], rtol=1e-12)
            scores = dict(w)
            for d, s in g:
                assert d in scores or s == pytest.approx(w[-1][1], rel=1e-12)

    same(lexsim.SearchIndex(sk_tfidf, documents=docs).search_batch(queries), cosine)
    same(lexsim.SearchIndex(sk_tfidf, documents=docs, scoring="bm25").search_batch(queries), bm25)
    same(lexsim.SearchIndex(sk_count, sk_count.transform(docs), scoring="bm25").search_batch(queries), bm25)


# --------------------------------------------------------------------------- threads


def test_eight_threads_share_one_index():
    docs = read_sentences()[:10000]
    queries = queries_for(docs, 200, seed=6)
    for scoring in ("cosine", "bm25"):
        vec = lexsim.TfidfVectorizer().fit(docs)
        index = lexsim.SearchIndex(vec, documents=docs, scoring=scoring, n_jobs=2)
        want_batch = index.search_batch(queries, k=5)
        want_single = [index.search(q, k=5) for q in queries[:40]]
        results, errors = [None] * 8, []
        barrier = threading.Barrier(8)

        def work(t):
            try:
                barrier.wait()
                for _ in range(3):
                    batch = index.search_batch(queries, k=5)
                    single = [index.search(q, k=5) for q in queries[:40]]
                results[t] = (batch, single)
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        assert not errors
        for batch, single in results:
            assert batch == want_batch
            assert single == want_single


# --------------------------------------------------------------------------- DataFrames


def test_as_frame():
    pd = pytest.importorskip("pandas")
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(strip_accents="unicode", stop_words="english")
    index = lexsim.SearchIndex(vec, vec.fit_transform(docs))
    queries = ["Idlib ceasefire", "nothing matches zzzz", "Putin Assad meeting"]
    lists = index.search_batch(queries, k=3)
    frame = index.search_batch(queries, k=3, as_frame=True)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["query", "rank", "doc", "score"]
    assert [str(t) for t in frame.dtypes] == ["int64", "int64", "int64", "float64"]
    expected = [(q, r + 1, d, s) for q, hits in enumerate(lists) for r, (d, s) in enumerate(hits)]
    assert list(frame.itertuples(index=False, name=None)) == expected
    assert set(frame["query"]) == {0, 2}
    one = index.search("Putin Assad meeting", k=3, as_frame=True)
    assert list(one.itertuples(index=False, name=None)) == [(0, r + 1, d, s) for r, (d, s) in enumerate(lists[2])]
    empty = index.search("zzzz", as_frame=True)
    assert list(empty.columns) == ["query", "rank", "doc", "score"] and len(empty) == 0
    assert len(index.search_batch([], as_frame=True)) == 0


def test_as_frame_without_pandas(monkeypatch):
    index = lexsim.SearchIndex(RowVectorizer(np.eye(3)), np.eye(3))
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ImportError, match=r"as_frame=True needs pandas.*pip install pandas"):
        index.search("0", as_frame=True)
    with pytest.raises(ImportError, match="needs pandas"):
        index.search_batch(["0"], as_frame=True)
    assert index.search("0") == [(0, 1.0)]  # without as_frame pandas is never needed


# --------------------------------------------------------------------------- errors


@pytest.fixture(scope="module")
def fitted():
    docs = ["Erdogan and Putin met in Sochi", "Putin met Assad in Moscow", "The bank held rates in May"]
    tfidf = lexsim.TfidfVectorizer().fit(docs)
    counts = lexsim.CountVectorizer().fit(docs)
    return docs, tfidf, counts


def test_bad_search_arguments(fitted):
    docs, tfidf, _ = fitted
    index = lexsim.SearchIndex(tfidf, documents=docs)
    for k in (0, -3):
        with pytest.raises(ValueError, match=rf"k must be a positive integer, got {k}"):
            index.search("Putin", k=k)
        with pytest.raises(ValueError, match="k must be a positive integer"):
            index.search_batch(["Putin"], k=k)
    for k in (2.0, "3", True, None):
        with pytest.raises(TypeError, match="k must be an int"):
            index.search("Putin", k=k)
    for q in (None, 3, b"Putin", ["Putin"]):
        with pytest.raises(TypeError, match="query must be a str"):
            index.search(q)
    with pytest.raises(ValueError, match="got a single string; use search"):
        index.search_batch("Putin Moscow")
    with pytest.raises(TypeError, match="query 1 is int, expected str"):
        index.search_batch(["Putin", 7])
    with pytest.raises(TypeError, match="iterable of str, got int"):
        index.search_batch(5)
    assert index.search_batch([]) == []
    assert index.search_batch(q for q in ["Moscow"]) == [index.search("Moscow")]


def test_bad_index_arguments(fitted):
    docs, tfidf, counts = fitted
    X = tfidf.transform(docs)
    for scoring in ("tfidf", "BM25", None, 1):
        with pytest.raises(ValueError, match=r"scoring must be 'cosine' or 'bm25', got "):
            lexsim.SearchIndex(tfidf, X, scoring=scoring)
    for k1 in (-0.5, float("nan"), float("inf")):
        with pytest.raises(ValueError, match=r"k1 must be a finite number >= 0, got"):
            lexsim.SearchIndex(counts, documents=docs, scoring="bm25", k1=k1)
    for b in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match=r"b must be in \[0, 1\], got"):
            lexsim.SearchIndex(counts, documents=docs, scoring="bm25", b=b)
    for bad in ("1.2", None, True):
        with pytest.raises(TypeError, match="k1 must be a number"):
            lexsim.SearchIndex(counts, documents=docs, scoring="bm25", k1=bad)
    with pytest.raises(TypeError, match="b must be a number"):
        lexsim.SearchIndex(counts, documents=docs, scoring="bm25", b="0.5")
    for n_jobs in (0, -2, 1.5):
        with pytest.raises(ValueError, match="n_jobs must be None, -1 or a positive int"):
            lexsim.SearchIndex(tfidf, X, n_jobs=n_jobs)


def test_bad_matrices(fitted):
    docs, tfidf, counts = fitted
    X = tfidf.transform(docs)
    with pytest.raises(ValueError, match=r"X has 5 columns but the vectorizer has \d+ features"):
        lexsim.SearchIndex(tfidf, sp.random(3, 5, density=0.5, format="csr"))
    with pytest.raises(ValueError, match="X has 3 rows but 2 documents were given"):
        lexsim.SearchIndex(tfidf, X, documents=docs[:2])
    for value in (np.nan, np.inf, -np.inf):
        bad = X.copy()
        bad.data[2] = value
        with pytest.raises(ValueError, match="X contains NaN or infinity"):
            lexsim.SearchIndex(tfidf, bad)
        bad_counts = counts.transform(docs).astype(np.float64)
        bad_counts.data[1] = value
        with pytest.raises(ValueError, match="X contains NaN or infinity"):
            lexsim.SearchIndex(counts, bad_counts, scoring="bm25")
    with pytest.raises(
        TypeError, match="X must be a document-term matrix.*got list; to index texts, pass them as documents="
    ):
        lexsim.SearchIndex(tfidf, docs)
    with pytest.raises(TypeError, match="X must be a document-term matrix"):
        lexsim.SearchIndex(tfidf, 42)
    with pytest.raises(ValueError, match="2-dimensional"):
        lexsim.SearchIndex(tfidf, np.ones(X.shape[1]))
    with pytest.raises(TypeError, match="pass X .* or documents="):
        lexsim.SearchIndex(tfidf)
    with pytest.raises(ValueError, match="documents must be an iterable of texts, got a single string"):
        lexsim.SearchIndex(tfidf, documents="one text")


def test_bm25_needs_counts(fitted):
    docs, tfidf, counts = fitted
    with pytest.raises(ValueError, match=r"scoring='bm25' needs raw term counts.*TfidfVectorizer.*documents="):
        lexsim.SearchIndex(tfidf, tfidf.transform(docs), scoring="bm25")
    C = counts.transform(docs).astype(np.float64)
    half = C * 0.5
    with pytest.raises(ValueError, match=r"non-negative integers.*holds 0\.5 at row 0, column \d+.*CountVectorizer"):
        lexsim.SearchIndex(counts, half, scoring="bm25")
    neg = C.copy()
    neg.data[3] = -1
    with pytest.raises(ValueError, match=r"holds -1 at row \d+, column \d+"):
        lexsim.SearchIndex(counts, neg, scoring="bm25")
    binary = lexsim.CountVectorizer(binary=True).fit(docs)
    with pytest.raises(ValueError, match="does not give counts"):
        lexsim.SearchIndex(binary, binary.transform(docs), scoring="bm25")
    # a binary CountVectorizer with the texts: counted without binary
    assert lexsim.SearchIndex(binary, documents=docs, scoring="bm25").search("Moscow") == lexsim.SearchIndex(
        counts, documents=docs, scoring="bm25"
    ).search("Moscow")


def test_bad_vectorizers(fitted):
    docs, _, _ = fitted
    with pytest.raises(TypeError, match="vectorizer must be a fitted vectorizer with a transform method"):
        lexsim.SearchIndex(object(), documents=docs)
    with pytest.raises(TypeError, match="vectorizer must be"):
        lexsim.SearchIndex(docs, documents=docs)
    with pytest.raises(lexsim.NotFittedError):
        lexsim.SearchIndex(lexsim.TfidfVectorizer(), documents=docs)


def test_the_core_refuses_what_is_not_csr(fitted):
    docs, tfidf, _ = fitted
    from lexsim._sparse import as_core_csr

    X = as_core_csr(tfidf.transform(docs), "X")
    with pytest.raises(TypeError, match=r"\(data, indices, indptr, rows, cols\) tuple"):
        lexsim._core.SearchIndex(X[:3], "cosine", 1.2, 0.75)
    with pytest.raises(TypeError, match="documents.indices has dtype int64, expected int32"):
        lexsim._core.SearchIndex((X[0], X[1].astype(np.int64)) + X[2:], "cosine", 1.2, 0.75)
    with pytest.raises(ValueError, match="unknown scoring 'okapi'"):
        lexsim._core.SearchIndex(X, "okapi", 1.2, 0.75)
    core = lexsim._core.SearchIndex(X, "cosine", 1.2, 0.75)
    Q32 = as_core_csr(tfidf.transform(["Putin"]), "Q", np.float32)
    with pytest.raises(TypeError, match="the query matrix must have the index's dtype"):
        core.search(Q32, 3, 1)
    Q = as_core_csr(tfidf.transform(["Putin"]), "Q")
    with pytest.raises(ValueError, match="k must be a positive integer; got 0"):
        core.search(Q, 0, 1)
    wrong = as_core_csr(sp.csr_matrix(np.ones((1, 2))), "Q")
    with pytest.raises(ValueError, match="the query matrix has 2 columns but the index has"):
        core.search(wrong, 3, 1)


def test_properties_and_repr(fitted):
    docs, tfidf, counts = fitted
    index = lexsim.SearchIndex(tfidf, documents=docs)
    assert (index.n_documents, index.scoring, index.vectorizer) == (3, "cosine", tfidf)
    assert repr(index) == "SearchIndex(scoring='cosine', n_documents=3)"
    okapi = lexsim.SearchIndex(counts, documents=docs, scoring="bm25", k1=1.5, b=0.5)
    assert repr(okapi) == "SearchIndex(scoring='bm25', n_documents=3, method='lucene', k1=1.5, b=0.5)"
    assert lexsim.SearchIndex in [getattr(lexsim, n) for n in lexsim.__all__]


def test_docs_search_example():
    page = (ROOT / "docs" / "guide" / "search.md").read_text(encoding="utf-8")
    block = re.search(r"^# Search\n.*?```python\n(.*?)```", page, re.S | re.M).group(1)
    expected = [m.group(1).strip() for m in re.finditer(r"# -> (.*)", block)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "docs/guide/search.md", "exec"), {})
    assert out.getvalue().splitlines() == expected
