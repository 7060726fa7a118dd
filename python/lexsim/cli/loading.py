"""Reading the corpus and turning it into vectors: the corpus file, a saved model or index, the
dates of --date-column."""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import pathlib
from dataclasses import dataclass
from typing import Any, Optional

from .arguments import _SCORING_DEFAULTS, CommandError, _scoring
from .options import _as_options, _check_model_options, _jobs_param, _vectorizer_params
from .rendering import _Progress


@dataclass
class _Corpus:
    ids: list
    texts: list
    vectorizer: Any
    X: Any
    source: str
    noun: str  # "documents", or "articles" for the sample
    model: Optional[str]

    def index(self, doc_id: str) -> int:
        lookup = {d: i for i, d in enumerate(self.ids)}
        if doc_id not in lookup:
            examples = ", ".join(repr(d) for d in self.ids[:3])
            raise CommandError(f"unknown document id {doc_id!r} (ids look like: {examples})")
        return lookup[doc_id]


def _read(args: argparse.Namespace, progress: _Progress) -> tuple[list, list, str, str]:
    from ..corpus import CorpusDecodeError, read_corpus

    if args.path is None:  # `lexsim report` alone: the built-in sample
        from ..datasets import load_sample

        articles = load_sample()
        return [a.id for a in articles], [a.title + "\n" + a.text for a in articles], "lexsim sample corpus", "articles"
    try:
        ids, texts = read_corpus(
            args.path,
            text_column=args.text_column,
            id_column=args.id_column,
            encoding=args.encoding,
            decode_error=args.decode_error,
            progress=lambda done, total: progress.bar("reading", done, total),
        )
    except CorpusDecodeError as e:
        raise CommandError(f"{e}; --decode-error replace (or ignore) reads it anyway") from None
    except ImportError as e:  # a .parquet file without pyarrow: the message says what to install
        raise CommandError(str(e)) from None
    return ids, texts, args.path, "documents"


def _load(args: argparse.Namespace, progress: _Progress) -> _Corpus:
    from ..vectorizers import TfidfVectorizer

    model = getattr(args, "model", None)
    if model is not None:
        _check_model_options(args)
        vec = _load_model(model)
    ids, texts, source, noun = _read(args, progress)
    if model is not None:
        vec.set_params(n_jobs=_jobs_param(args))
        with progress.step("transforming"):
            X = vec.transform(texts)
    else:
        vec = TfidfVectorizer(**_vectorizer_params(args), n_jobs=_jobs_param(args))
        with progress.step("fitting TF-IDF"):
            try:
                X = vec.fit_transform(texts)
            except ValueError as e:
                raise CommandError(_as_options(str(e))) from None
    return _Corpus(ids, texts, vec, X, source, noun, model)


def _load_model(path: str) -> Any:
    from ..model import load
    from ..vectorizers import TfidfVectorizer

    try:
        vec = load(path)
    except ValueError as e:  # lexsim.ModelFormatError: the message names the file and the reason
        raise CommandError(str(e)) from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a folder, not a model file") from None
    except OSError as e:
        raise CommandError(e.strerror or str(e)) from None
    if not isinstance(vec, TfidfVectorizer):
        raise CommandError(
            f"{path}: a {type(vec).__name__} model; the lexsim commands need a TfidfVectorizer "
            "model, as `lexsim fit` saves"
        )
    return vec


def _read_dates(args: argparse.Namespace, c: _Corpus) -> list:
    """The --date-column values of a .jsonl, .csv or .parquet corpus, in corpus order (None where missing)."""
    path = pathlib.Path(args.path) if getattr(args, "path", None) is not None else None
    suffix = path.suffix.lower() if path is not None and path.is_file() else ""
    if path is None or suffix not in (".jsonl", ".csv", ".parquet"):
        raise CommandError(
            "--date-column needs a .jsonl, .csv or .parquet corpus (a folder of text files has no dates)"
        )
    name = args.date_column
    if suffix == ".parquet":
        import pyarrow.parquet as pq  # the corpus was read, so pyarrow is there

        names = list(pq.ParquetFile(path).schema_arrow.names)
        if name not in names:
            raise CommandError(f"{path}: no column {name!r} (columns: {', '.join(map(repr, names))})")
        # date and timestamp columns become datetime objects, strings stay strings: group() reads both
        values: list = pq.read_table(path, columns=[name]).column(0).to_pylist()
        if len(values) != len(c.ids):
            raise CommandError(f"{path}: read {len(values)} dates for {len(c.ids)} documents (--date-column {name})")
        return values
    text = path.read_text(encoding=args.encoding, errors=args.decode_error)
    dates: list = []
    if suffix == ".jsonl":
        for line in text.splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            value = record.get(name) if isinstance(record, dict) else None
            dates.append(None if value is None else str(value) if not isinstance(value, (int, float)) else value)
        if all(d is None for d in dates):
            raise CommandError(f"{path}: no {name!r} field in any record (--date-column)")
    else:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        if name not in header:
            raise CommandError(f"{path}: no column {name!r} (columns: {', '.join(map(repr, header))})")
        at = header.index(name)
        dates = [row[at] if at < len(row) else None for row in reader if row]
    if len(dates) != len(c.ids):
        raise CommandError(f"{path}: read {len(dates)} dates for {len(c.ids)} documents (--date-column {name})")
    return dates


def _build_index(c: _Corpus, args: argparse.Namespace) -> Any:
    from ..search import SearchIndex

    o = _scoring(args)
    options: dict[str, Any] = {"scoring": o["scoring"], "k1": o["k1"], "b": o["b"], "n_jobs": _jobs_param(args)}
    bm25 = o["scoring"] == "bm25"
    if bm25:
        options.update(method=o["bm25_method"], delta=o["delta"])
    # BM25 weighs raw term counts, so it indexes the texts; cosine uses the TF-IDF matrix.
    return SearchIndex(c.vectorizer, None if bm25 else c.X, documents=c.texts if bm25 else None, **options)


def _fingerprint(ids: list, texts: list) -> str:
    """A digest of the corpus (ids and texts, in order): an index knows the corpus it was built from."""
    h = hashlib.blake2b(digest_size=16)
    for value in (*ids, *texts):
        data = str(value).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _load_index(args: argparse.Namespace, progress: _Progress) -> tuple[_Corpus, Any]:
    """The corpus and the index saved for it (`search --index`)."""
    from ..search import SearchIndex

    given = [f"--{name.replace('_', '-')}" for name in _SCORING_DEFAULTS if getattr(args, name) is not None]
    if getattr(args, "model", None) is not None:
        given.insert(0, "--model")
    if given:
        raise CommandError(f"--index fixes the scoring and the analysis; leave out {given[0]}")
    try:
        _check_model_options(args)
    except CommandError as e:
        raise CommandError(str(e).replace("--model", "--index")) from None
    path = args.index
    with progress.step("loading the index"):
        try:
            index = SearchIndex.load(path, mmap=True)  # only the postings a query reads are read
        except ValueError as e:  # lexsim.ModelFormatError: the message names the file and the reason
            raise CommandError(str(e)) from None
        except IsADirectoryError:
            raise CommandError(f"{path}: is a folder, not an index file") from None
        except OSError as e:
            raise CommandError(e.strerror or str(e)) from None
    ids, texts, source, noun = _read(args, progress)
    saved = index._info.get("cli") if isinstance(index._info, dict) else None
    if not isinstance(saved, dict) or "fingerprint" not in saved:
        raise CommandError(
            f"{path}: an index saved without the fingerprint of its corpus; `lexsim index PATH -o "
            f"{path}` saves one that search --index can check PATH against"
        )
    if saved.get("documents") != len(ids) or saved["fingerprint"] != _fingerprint(ids, texts):
        raise CommandError(
            f"{path} indexes another corpus than {args.path} ({saved.get('documents')} documents, not "
            f"{len(ids)} with these ids and texts): index it again with `lexsim index {args.path} -o {path}`"
        )
    index.vectorizer.set_params(n_jobs=_jobs_param(args))
    return _Corpus(ids, texts, index.vectorizer, None, source, noun, path), index
