"""Story groups that do not chain: method='leiden' (the default) against references and the
outcomes an analyst checks on real corpora."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scipy.sparse as sp
from conftest import CORPORA, _require, read_news_seeds, read_sentences
from reference.grouping import leiden_graph, modularity

import lexsim
from lexsim.cli import ANALYST_DEFAULTS, main
from lexsim.datasets import load_sample

ANALYST = dict(ANALYST_DEFAULTS)  # the command's analysis


def _partition(labels) -> set:
    groups: dict = {}
    for i, label in enumerate(np.asarray(labels).tolist()):
        groups.setdefault(label, []).append(i)
    return {tuple(m) for m in groups.values()}


def test_news_seeds_two_stories_with_the_defaults(capsys) -> None:
    folder = _require(CORPORA / "news-seeds")
    assert main(["groups", str(folder), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(set(g) == {"label", "size", "representative", "top_terms", "members"} for g in data)
    got = {tuple(sorted(m[:3] for m in g["members"])) for g in data}
    assert got == {("000", "002", "003"), ("001", "004")}
    # Single linkage, asked for, still chains the two stories at 0.2.
    assert main(["groups", str(folder), "--threshold", "0.2", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_sample_six_stories() -> None:
    articles = load_sample()
    stories = [a.id.rsplit("-", 1)[0] for a in articles]
    X = lexsim.TfidfVectorizer(**ANALYST).fit_transform([a.title + "\n" + a.text for a in articles])
    result = lexsim.group(X)
    assert _partition(result.labels) == _partition(np.unique(stories, return_inverse=True)[1])
    assert result.params["n_neighbors"] == 5 and result.params["n_neighbors_derived"]


def test_sentences_no_group_swallows_one_percent() -> None:
    docs = read_sentences()
    X = lexsim.TfidfVectorizer(**ANALYST).fit_transform(docs)
    result = lexsim.group(X, n_jobs=2)
    assert len(result[0]) <= 0.01 * len(docs), result[0].top_terms
    assert sum(len(g) >= 2 for g in result) > 500  # not everything alone either
    # Single linkage at the report's old default chains nearly everything.
    assert len(lexsim.group(X, 0.2, n_jobs=2)[0]) > 0.9 * len(docs)


def test_leiden_modularity_equals_the_reference_graph_and_jobs_do_not_matter() -> None:
    docs = read_sentences()[:8000]
    X = lexsim.TfidfVectorizer(**ANALYST).fit_transform(docs)
    one = lexsim.group(X, n_jobs=1)
    for jobs in (2, -1):
        other = lexsim.group(X, n_jobs=jobs)
        assert np.array_equal(one.labels, other.labels)
        assert one.params == other.params
    A = leiden_graph(X, one.params["n_neighbors"], 3)
    assert one.params["n_links"] == sp.triu(A, 1).nnz
    assert one.params["modularity"] == pytest.approx(modularity(A, one.labels), abs=1e-9)
    assert one.params["modularity"] > 0.5


def test_leiden_is_as_good_as_leidenalg() -> None:
    ig = pytest.importorskip("igraph")
    docs = read_sentences()[:20000]
    X = lexsim.TfidfVectorizer(**ANALYST).fit_transform(docs)
    ours = lexsim.group(X, n_jobs=2)
    A = sp.triu(leiden_graph(X, ours.params["n_neighbors"], 3), 1).tocoo()
    g = ig.Graph(n=X.shape[0], edges=np.column_stack([A.row, A.col]).tolist(), edge_attrs={"weight": A.data.tolist()})
    best = max(
        g.modularity(
            g.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1).membership,
            weights="weight",
        )
        for _ in range(3)
    )
    assert ours.params["modularity"] >= 0.99 * best


def test_resolution_and_neighbours_change_the_groups() -> None:
    _, docs = read_news_seeds()
    X = lexsim.TfidfVectorizer(**ANALYST).fit_transform(docs)
    assert lexsim.group(X).labels.tolist() == [0, 1, 0, 0, 1]
    many = lexsim.group(X, resolution=5.0)
    assert len(many) > 2
    assert lexsim.group(X, n_neighbors=1, min_shared=10**6).labels.tolist() == [0, 1, 2, 3, 4]
    # A floor above every similarity leaves no link.
    assert lexsim.group(X, 0.9, method="leiden").labels.tolist() == [0, 1, 2, 3, 4]


def test_dates_keep_apart_what_happened_years_apart() -> None:
    # Two copies of each seed story, dated four years apart: dates split each story in two.
    _, docs = read_news_seeds()
    X = lexsim.TfidfVectorizer(**ANALYST).fit_transform(docs + docs)
    undated = lexsim.group(X, n_neighbors=3)
    years = lambda labels: {tuple(sorted({i // 5 for i in m})) for m in _partition(labels)}  # noqa: E731
    assert (0, 1) in years(undated.labels)  # copies are each other's nearest neighbours
    dates = ["2020-03-05"] * 5 + ["2024-07-24T10:00:00Z"] * 5
    dated = lexsim.group(X, n_neighbors=3, dates=dates, date_window=30)
    assert years(dated.labels) == {(0,), (1,)}
    # Within each year, the two stories as without the copies.
    assert _partition(dated.labels) == {(0, 2, 3), (5, 7, 8), (1, 4), (6, 9)}
    assert "30 days apart" in dated.describe()
    days = lexsim.group(
        X, n_neighbors=3, dates=np.array(dates[:5] + ["2024-07-24"] * 5, dtype="datetime64[D]"), date_window=30
    )
    assert np.array_equal(days.labels, dated.labels)
    # Unknown dates link to everything.
    assert np.array_equal(lexsim.group(X, n_neighbors=3, dates=[None] * 10, date_window=1).labels, undated.labels)


def test_bad_grouping_arguments() -> None:
    X = sp.csr_matrix(np.eye(3))
    with pytest.raises(ValueError, match="method"):
        lexsim.group(X, method="average")
    with pytest.raises(ValueError, match="needs a threshold"):
        lexsim.group(X, method="single")
    with pytest.raises(ValueError, match="resolution"):
        lexsim.group(X, resolution=0)
    with pytest.raises(ValueError, match="min_shared"):
        lexsim.group(X, min_shared=0)
    with pytest.raises(ValueError, match="n_neighbors"):
        lexsim.group(X, n_neighbors=0)
    with pytest.raises(ValueError, match="one value per document"):
        lexsim.group(X, dates=["2020-01-01"])
    with pytest.raises(ValueError, match=r"dates\[1\] = 'soon'"):
        lexsim.group(X, dates=["2020-01-01", "soon", None])
    with pytest.raises(ValueError, match="date_window needs dates"):
        lexsim.group(X, date_window=3)
    with pytest.raises(ValueError, match="date_window"):
        lexsim.group(X, dates=[1, 2, 3], date_window=-1)
    assert lexsim.group(X).labels.tolist() == [0, 1, 2]


def test_cli_dates_from_a_jsonl_column(tmp_path, capsys) -> None:
    _, docs = read_news_seeds()
    path = tmp_path / "news.jsonl"
    dates = ["2020-03-05"] * 5 + ["2024-07-24"] * 5
    with path.open("w", encoding="utf-8") as fh:
        for i, (d, t) in enumerate(zip(dates, docs + docs)):
            fh.write(json.dumps({"id": f"d{i}", "text": t, "published": d}) + "\n")
    assert (
        main(
            [
                "groups",
                str(path),
                "--neighbors",
                "3",
                "--date-column",
                "published",
                "--date-window",
                "30",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert sorted(tuple(g["members"]) for g in data) == sorted(
        [("d0", "d2", "d3"), ("d5", "d7", "d8"), ("d1", "d4"), ("d6", "d9")]
    )
    assert main(["groups", str(path), "--neighbors", "3", "--format", "json"]) == 0
    mixed = [g["members"] for g in json.loads(capsys.readouterr().out)]
    assert any({int(m[1:]) // 5 for m in g} == {0, 1} for g in mixed)
    assert main(["groups", str(path), "--date-column", "nope"]) == 2
    assert "no 'nope' field" in capsys.readouterr().err


def test_cli_dates_from_a_parquet_date_column(tmp_path, capsys) -> None:
    pa = pytest.importorskip("pyarrow")
    import datetime

    import pyarrow.parquet as pq

    _, docs = read_news_seeds()
    days = [datetime.date(2020, 3, 5)] * 5 + [datetime.date(2024, 7, 24)] * 5
    path = tmp_path / "news.parquet"
    pq.write_table(
        pa.table({"id": [f"d{i}" for i in range(10)], "text": docs + docs, "published": pa.array(days, pa.date32())}),
        path,
    )
    assert (
        main(
            [
                "groups",
                str(path),
                "--neighbors",
                "3",
                "--date-column",
                "published",
                "--date-window",
                "30",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert sorted(tuple(g["members"]) for g in data) == sorted(
        [("d0", "d2", "d3"), ("d5", "d7", "d8"), ("d1", "d4"), ("d6", "d9")]
    )
    assert main(["groups", str(path), "--date-column", "nope"]) == 2
    assert "no column 'nope' (columns: 'id', 'text', 'published')" in capsys.readouterr().err
