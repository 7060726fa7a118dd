"""Key terms: occurrences, keyness (G2) against each background, the tie rule, groups, and the
analyst token pattern through model files."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import read_news_seeds, read_sentences
from reference.keyterms import occurrences
from sklearn.feature_extraction import text as sk

import lexsim
from lexsim.keyterms import g2

PATTERN = r"(?u)\b(?!\d+\b)\w\w\w+\b"
ANALYST = dict(strip_accents="unicode", stop_words="english", sublinear_tf=True, token_pattern=PATTERN)


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_term_occurrences_equal_a_python_count_on_real_text(n_jobs) -> None:
    docs = read_news_seeds()[1] + read_sentences()[:3000]
    vec = lexsim.TfidfVectorizer(**ANALYST, n_jobs=n_jobs).fit(docs[:2000])  # later documents have unseen terms
    occ = lexsim.term_occurrences(vec, docs)
    expected = occurrences(vec.build_analyzer(), vec.vocabulary_, docs)
    C = occ.counts
    assert C.shape == (len(docs), len(vec.vocabulary_)) and C.dtype == np.int64
    for i, (row, length) in enumerate(expected):
        b, e = C.indptr[i], C.indptr[i + 1]
        assert list(C.indices[b:e]) == sorted(row)
        assert [(int(c), int(f)) for c, f in zip(C.data[b:e], occ.first[b:e])] == [row[j] for j in sorted(row)]
        assert occ.lengths[i] == length
    # Raw counts whatever the weighting: the same as a CountVectorizer's.
    counts = lexsim.CountVectorizer(
        vocabulary=vec.get_feature_names_out(), **{k: v for k, v in ANALYST.items() if k != "sublinear_tf"}
    ).transform(docs)
    assert (counts != C).nnz == 0


def test_term_occurrences_of_python_tokenizers_and_scikit_learn_vectorizers() -> None:
    docs = ["Zulu yankee zulu, xray!", "yankee"]
    ours = lexsim.CountVectorizer(tokenizer=str.split, token_pattern=None).fit(docs)  # analysis in Python
    occ = lexsim.term_occurrences(ours, docs)
    theirs = sk.CountVectorizer().fit(docs)
    occ_sk = lexsim.term_occurrences(theirs, docs)
    assert list(ours.get_feature_names_out()) == ["xray!", "yankee", "zulu", "zulu,"]
    assert occ.counts.toarray().tolist() == [[1, 1, 1, 1], [0, 1, 0, 0]]
    assert occ.first.tolist() == [3, 1, 0, 2, 0]
    assert occ_sk.counts.toarray().tolist() == [[1, 1, 2], [0, 1, 0]]
    assert occ_sk.first.tolist() == [3, 1, 0, 0] and occ_sk.lengths.tolist() == [4, 1]
    with pytest.raises(TypeError, match="single str"):
        lexsim.term_occurrences(theirs, "one text")


def test_g2_is_dunnings_log_likelihood() -> None:
    a, c, b, e = 10.0, 1000.0, 20.0, 100000.0
    E1, E2 = c * (a + b) / (c + e), e * (a + b) / (c + e)
    assert g2(a, c, b, e) == pytest.approx(2 * (a * math.log(a / E1) + b * math.log(b / E2)), rel=1e-12)
    assert g2(3.0, 10.0, 0.0, 50.0) == pytest.approx(2 * 3 * math.log(60 / 10), rel=1e-12)  # unseen: b ln b = 0
    assert g2(5.0, 100.0, 50.0, 1000.0) == pytest.approx(0.0, abs=1e-12)  # same proportion


def test_keyness_against_the_other_documents_by_hand() -> None:
    docs = ["assad met putin; assad thanked putin in moscow", "putin met erdogan", "erdogan in ankara"]
    vec = lexsim.CountVectorizer(stop_words="english").fit(docs)
    got = lexsim.key_terms(vec, docs, n=10)
    # Document 0: terms assad assad met moscow putin putin thanked (c = 7); the others: 5 terms.
    c, rest = 7.0, 5.0
    expected = {
        "assad": g2(2, c, 0, rest),
        "moscow": g2(1, c, 0, rest),
        "thanked": g2(1, c, 0, rest),
        "putin": g2(2, c, 1, rest),
    }  # met: 1/7 < 1/5, not over-represented
    assert {t.term: t.score for t in got[0]} == pytest.approx(expected, rel=1e-12)
    first = {"assad": 0, "putin": 2, "thanked": 4, "moscow": 6}
    count = {"assad": 2, "putin": 2, "thanked": 1, "moscow": 1}
    assert [t.term for t in got[0]] == sorted(expected, key=lambda t: (-expected[t], -count[t], first[t]))
    assert [(t.raw_count, t.first) for t in got[0]] == [(count[t.term], first[t.term]) for t in got[0]]
    assert [t.term for t in got[0]].index("thanked") + 1 == [t.term for t in got[0]].index("moscow")  # a tie


def test_ties_go_to_the_higher_count_then_the_earlier_first_occurrence_not_the_alphabet() -> None:
    docs = ["zulu yankee zulu xray", "other words here"]
    vec = lexsim.TfidfVectorizer(binary=True, use_idf=False).fit(docs)  # every weight of a row is equal
    tfidf = lexsim.key_terms(vec, docs, n=3, scoring="tfidf")
    assert [t.term for t in tfidf[0]] == ["zulu", "yankee", "xray"]
    assert len({t.score for t in tfidf[0]}) == 1
    keyness = lexsim.key_terms(vec, ["yankee xray", "other words here"], n=3)
    assert [t.term for t in keyness[0]] == ["yankee", "xray"]  # equal G2 and counts: first occurrence
    assert keyness[0][0].score == keyness[0][1].score
    # lexsim.top_terms keeps its rule (ties: the lower column, i.e. alphabetical)
    assert [t for t, _ in lexsim.top_terms(vec, vec.transform(docs), n=3)[0]] == ["xray", "yankee", "zulu"]


def test_groups_score_the_members_summed_counts() -> None:
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(**ANALYST).fit(docs)
    groups = [[0, 2, 3], [1, 4]]
    got = lexsim.key_terms(vec, docs, n=8, groups=groups, background="corpus")
    occ = lexsim.term_occurrences(vec, docs)
    C = occ.counts.toarray()
    names_out = list(vec.get_feature_names_out())
    for members, terms in zip(groups, got):
        a = C[members].sum(axis=0)
        c = occ.lengths[members].sum()
        rest_c = occ.lengths.sum() - c
        for t in terms:
            j = names_out.index(t.term)
            assert t.raw_count == a[j]
            assert t.score == pytest.approx(float(g2(a[j], c, C.sum(axis=0)[j] - a[j], rest_c)), rel=1e-12)
    assert "idlib" in [t.term for t in got[0]] and "assad" in [t.term for t in got[1]]
    stories = lexsim.group(vec.transform(docs), 0.99)  # every document on its own: groups of one
    per_doc = lexsim.key_terms(vec, docs, n=5, background="corpus")
    by_group = lexsim.key_terms(vec, docs, n=5, background="corpus", groups=stories)
    assert [by_group[stories.labels[i]] for i in range(len(docs))] == per_doc
    with pytest.raises(ValueError, match="document 9"):
        lexsim.key_terms(vec, docs, groups=[[0, 9]])


def test_model_backgrounds_use_term_totals_or_document_frequencies(tmp_path, monkeypatch) -> None:
    _, docs = read_news_seeds()
    sentences = read_sentences()[:5000]
    vec = lexsim.TfidfVectorizer(**ANALYST).fit(docs)
    model = lexsim.TfidfVectorizer(**ANALYST).fit(sentences)
    path = tmp_path / "sentences.lexsim"
    model.save(path)
    bg = lexsim.Background.from_model(path)
    assert "term totals" in bg.name and not bg.use_rest
    counts = model.corpus_counts_
    assert bg.total == counts.total_counts.sum()
    got = lexsim.key_terms(vec, docs, n=6, background=path)
    assert got == lexsim.key_terms(vec, docs, n=6, background=bg)
    occ = lexsim.term_occurrences(vec, docs)
    table = dict(zip(counts.terms.tolist(), counts.total_counts.tolist()))
    t = got[1][0]
    assert t.score == pytest.approx(float(g2(t.raw_count, occ.lengths[1], table.get(t.term, 0), bg.total)), rel=1e-12)

    # A model without counts (an older file, a vectorizer restored without them): document frequencies.
    def no_counts(self):
        raise lexsim.NotFittedError("no corpus counts")

    monkeypatch.setattr(lexsim.TfidfVectorizer, "corpus_counts_", property(no_counts))
    df_bg = lexsim.Background.from_model(model)
    assert "document frequencies" in df_bg.name
    assert df_bg.table == dict(
        zip(model.get_feature_names_out().tolist(), model._fitted_native().document_frequencies())
    )
    monkeypatch.undo()
    with pytest.warns(UserWarning, match="analysed differently"):
        lexsim.key_terms(vec, docs, background=lexsim.TfidfVectorizer().fit(sentences))


def test_wordfreq_background_folds_accents_like_the_vectorizer() -> None:
    pytest.importorskip("wordfreq", reason="wordfreq is optional (pip install 'lexsim[wordfreq]')")
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(**ANALYST).fit(docs)
    bg = lexsim.Background.wordfreq(vec)
    assert bg.use_rest and bg.weight == 100_000 and bg.name == "wordfreq 'en' + the other documents"
    assert bg.table is not None and sum(bg.table.values()) == pytest.approx(1.0)
    assert "erdogan" in bg.table and "erdoğan" not in bg.table  # folded as the documents are
    assert "the" not in bg.table and "24" not in bg.table and "al" not in bg.table  # stop words, digits, short
    got = lexsim.key_terms(vec, docs, n=6, background="wordfreq")
    top = {n[:3]: [t.term for t in ts] for n, ts in zip(names, got)}
    assert "assad" in top["001"] and "assad" in top["004"]
    assert "idlib" in top["000"] and "idlib" in top["002"]
    with pytest.raises(ValueError, match="alpha"):
        lexsim.Background.wordfreq(vec, alpha=0)


def test_frames_follow_the_team_convention() -> None:
    names, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(**ANALYST).fit(docs)
    frame = lexsim.key_terms(vec, docs, n=3, ids=names, as_frame=True)
    assert list(frame.columns) == ["rank", "doc", "id", "term", "score", "count", "first"]
    assert frame["rank"].tolist()[:3] == [1, 2, 3] and frame["id"].iloc[0] == names[0]
    groups = lexsim.key_terms(vec, docs, n=2, groups=[[0, 1]], as_frame=True)
    assert list(groups.columns) == ["rank", "group", "term", "score", "count", "first"]


def test_bad_arguments_name_the_value() -> None:
    vec = lexsim.CountVectorizer().fit(["a cat", "a dog"])
    with pytest.raises(ValueError, match="n must be a positive integer, got 0"):
        lexsim.key_terms(vec, ["cat"], n=0)
    with pytest.raises(TypeError, match="n must be an int"):
        lexsim.key_terms(vec, ["cat"], n=1.5)
    with pytest.raises(ValueError, match="scoring must be 'keyness' or 'tfidf', got 'bm25'"):
        lexsim.key_terms(vec, ["cat"], scoring="bm25")
    with pytest.raises(TypeError, match="background must be"):
        lexsim.key_terms(vec, ["cat"], background=3)
    with pytest.raises(ValueError, match="ids has 2 entries for 1 documents"):
        lexsim.key_terms(vec, ["cat"], ids=["a", "b"])


def test_the_analyst_token_pattern_survives_model_files(tmp_path) -> None:
    _, docs = read_news_seeds()
    vec = lexsim.TfidfVectorizer(**ANALYST).fit(docs)
    path = tmp_path / "analyst.lexsim"
    vec.save(path)
    loaded = lexsim.load(path)
    assert loaded.token_pattern == PATTERN and loaded._native_mode()
    assert (loaded.transform(docs) != vec.transform(docs)).nnz == 0
    assert lexsim.key_terms(loaded, docs, n=6) == lexsim.key_terms(vec, docs, n=6)
    assert not any(t.isdigit() or len(t) < 3 for t in loaded.get_feature_names_out())
