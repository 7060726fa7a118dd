"""
lexsim's C++ core (private; use the lexsim package).
"""
from __future__ import annotations
import collections.abc
import numpy
import numpy.typing
import typing
import typing_extensions
__all__: list[str] = ['Analyzer', 'AnalyzerKind', 'AnalyzerOptions', 'ArrowDocuments', 'CountOptions', 'CountVectorizer', 'DecodeError', 'DocFrequency', 'HashingOptions', 'HashingVectorizer', 'IdfPrecision', 'LexsimError', 'MODEL_FORMAT_VERSION', 'MODEL_MAGIC', 'ModelFormatError', 'Norm', 'Normalization', 'NotFittedError', 'SearchIndex', 'StripAccents', 'TfidfOptions', 'TfidfTransformer', 'TfidfVectorizer', 'TfidfWeighting', 'Token', 'UnicodeError', 'available_cpus', 'bm25_method_names', 'csr_has_duplicates', 'deserialize', 'deserialize_any', 'effective_n_jobs', 'encode_options', 'english_stop_words', 'explain', 'group', 'group_method_names', 'load', 'load_any', 'merge_top_k', 'model_options', 'murmurhash3_32', 'ranked_order', 'save', 'scoring_names', 'serialize', 'set_thread_limit', 'similar_pairs', 'stemmers', 'thread_limit', 'top_k', 'top_terms', 'unicode_version']
class LexsimError(ValueError):
    """
    Base of the errors raised by lexsim's C++ core (a ValueError).
    """
class UnicodeError(LexsimError):
    """
    Invalid UTF-8 with decode_error='strict'; attributes document and byte_offset name where.
    """
class ModelFormatError(LexsimError):
    """
    Bytes that are not a valid lexsim model: empty, truncated, damaged, foreign, from a newer format version, or inconsistent (a ValueError); attribute byte_offset says where.
    """
class NotFittedError(LexsimError, AttributeError):
    """
    A vectorizer was used before fit.
    """
class DecodeError:
    """
    Members:
    
      strict
    
      replace
    
      ignore
    """
    __members__: typing.ClassVar[dict[str, DecodeError]]
    ignore: typing.ClassVar[DecodeError]
    replace: typing.ClassVar[DecodeError]
    strict: typing.ClassVar[DecodeError]
    @typing.overload
    def __eq__(self, other: DecodeError) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: DecodeError) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class StripAccents:
    """
    Members:
    
      none
    
      ascii
    
      unicode
    """
    __members__: typing.ClassVar[dict[str, StripAccents]]
    ascii: typing.ClassVar[StripAccents]
    none: typing.ClassVar[StripAccents]
    unicode: typing.ClassVar[StripAccents]
    @typing.overload
    def __eq__(self, other: StripAccents) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: StripAccents) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class Normalization:
    """
    Members:
    
      none
    
      nfc
    
      nfkc
    """
    __members__: typing.ClassVar[dict[str, Normalization]]
    nfc: typing.ClassVar[Normalization]
    nfkc: typing.ClassVar[Normalization]
    none: typing.ClassVar[Normalization]
    @typing.overload
    def __eq__(self, other: Normalization) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: Normalization) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class AnalyzerKind:
    """
    Members:
    
      word
    
      char
    
      char_wb
    """
    __members__: typing.ClassVar[dict[str, AnalyzerKind]]
    char: typing.ClassVar[AnalyzerKind]
    char_wb: typing.ClassVar[AnalyzerKind]
    word: typing.ClassVar[AnalyzerKind]
    @typing.overload
    def __eq__(self, other: AnalyzerKind) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: AnalyzerKind) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class AnalyzerOptions:
    """
    Text analysis options (defaults equal scikit-learn's).
    """
    analyzer: AnalyzerKind
    casefold: bool
    decode_error: DecodeError
    lowercase: bool
    normalization: Normalization
    stemmer: str | None
    strip_accents: StripAccents
    token_pattern: str
    def __getstate__(self) -> tuple:
        ...
    def __init__(self) -> None:
        ...
    def __setstate__(self, arg0: tuple) -> None:
        ...
    @property
    def ngram_range(self) -> tuple[int, int]:
        ...
    @ngram_range.setter
    def ngram_range(self, arg0: tuple[typing.SupportsInt | typing.SupportsIndex, typing.SupportsInt | typing.SupportsIndex]) -> None:
        ...
    @property
    def stop_words(self) -> list[str] | None:
        ...
    @stop_words.setter
    def stop_words(self, arg0: collections.abc.Sequence[str] | None) -> None:
        ...
class Token:
    """
    A token and its [begin, end) offsets in the original text.
    """
    def __repr__(self) -> str:
        ...
    @property
    def byte_begin(self) -> int:
        ...
    @property
    def byte_end(self) -> int:
        ...
    @property
    def char_begin(self) -> int:
        ...
    @property
    def char_end(self) -> int:
        ...
    @property
    def text(self) -> str:
        ...
class Analyzer:
    """
    Turns text into terms; immutable and thread-safe.
    """
    @staticmethod
    def supports_token_pattern(pattern: str) -> bool:
        ...
    def __getstate__(self) -> tuple:
        ...
    def __init__(self, options: AnalyzerOptions) -> None:
        ...
    def __setstate__(self, arg0: tuple) -> None:
        ...
    def analyze(self, text: typing.Any) -> list[str]:
        """
        The terms of one document.
        """
    def preprocess(self, text: typing.Any) -> str:
        """
        The text after decoding, normalisation, case and accent handling.
        """
    def tokenize(self, preprocessed: typing.Any) -> list[str]:
        """
        Word tokens of preprocessed text, as token_pattern finds them.
        """
    def tokens_with_offsets(self, text: typing.Any) -> list[Token]:
        """
        Word tokens with byte and code-point offsets into the original text.
        """
    def word_ngrams(self, tokens: collections.abc.Sequence[str]) -> list[str]:
        """
        Stop-word removal and word n-grams over tokens.
        """
    @property
    def options(self) -> AnalyzerOptions:
        ...
class DocFrequency:
    is_proportion: bool
    @staticmethod
    def count(arg0: typing.SupportsInt | typing.SupportsIndex) -> DocFrequency:
        ...
    @staticmethod
    def proportion(arg0: typing.SupportsFloat | typing.SupportsIndex) -> DocFrequency:
        ...
    def __init__(self) -> None:
        ...
    @property
    def value(self) -> float:
        ...
    @value.setter
    def value(self, arg0: typing.SupportsFloat | typing.SupportsIndex) -> None:
        ...
class Norm:
    """
    Members:
    
      none
    
      l1
    
      l2
    """
    __members__: typing.ClassVar[dict[str, Norm]]
    l1: typing.ClassVar[Norm]
    l2: typing.ClassVar[Norm]
    none: typing.ClassVar[Norm]
    @typing.overload
    def __eq__(self, other: Norm) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: Norm) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class CountOptions:
    analysis: AnalyzerOptions
    binary: bool
    max_df: DocFrequency
    min_df: DocFrequency
    def __init__(self) -> None:
        ...
    @property
    def max_features(self) -> int | None:
        ...
    @max_features.setter
    def max_features(self, arg0: typing.SupportsInt | typing.SupportsIndex | None) -> None:
        ...
    @property
    def n_jobs(self) -> int:
        ...
    @n_jobs.setter
    def n_jobs(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def vocabulary(self) -> list[str] | None:
        ...
    @vocabulary.setter
    def vocabulary(self, arg0: collections.abc.Sequence[str] | None) -> None:
        ...
class TfidfOptions(CountOptions):
    norm: Norm
    smooth_idf: bool
    sublinear_tf: bool
    use_idf: bool
    def __init__(self) -> None:
        ...
class CountVectorizer:
    """
    Term counts (see lexsim.CountVectorizer).
    """
    def __init__(self, options: CountOptions) -> None:
        ...
    def counts_state(self) -> tuple:
        """
        The fit's counts: (terms' UTF-8 bytes, their lengths, document frequencies, total counts, documents), terms in code-point order.
        """
    def document_frequencies(self) -> list[int]:
        ...
    def feature_names(self) -> list[str]:
        """
        Terms in column order.
        """
    def fit(self, docs: typing.Any) -> None:
        ...
    def fit_batches(self, next: typing.Any, terms: bool = False) -> None:
        ...
    def fit_terms(self, docs: list) -> None:
        ...
    def fit_transform(self, docs: typing.Any, dtype: str = 'float64') -> tuple:
        ...
    def fit_transform_batches(self, next: typing.Any, dtype: str = 'float64', terms: bool = False) -> tuple:
        ...
    def fit_transform_terms(self, docs: list, dtype: str = 'float64') -> tuple:
        ...
    def merge(self, other: CountVectorizer) -> None:
        ...
    def occurrences(self, docs: typing.Any, terms: bool = False) -> tuple[tuple, numpy.typing.NDArray[numpy.int64], numpy.typing.NDArray[numpy.int64]]:
        """
        Raw counts and first positions of the vocabulary's terms in each document: ((counts, indices, indptr, shape), first, lengths), first aligned with counts; lengths = terms per document.
        """
    def partial_fit(self, docs: typing.Any) -> None:
        ...
    def partial_fit_batches(self, next: typing.Any, terms: bool = False) -> None:
        ...
    def partial_fit_terms(self, docs: list) -> None:
        ...
    def set_counts(self, terms: bytes, lengths: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], document_frequencies: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], total_counts: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], n_documents: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def set_vocabulary(self, terms: collections.abc.Sequence[str], n_documents: typing.SupportsInt | typing.SupportsIndex, document_frequencies: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex] = []) -> None:
        ...
    def transform(self, docs: typing.Any, dtype: str = 'float64') -> tuple:
        ...
    def transform_batches(self, next: typing.Any, dtype: str = 'float64', terms: bool = False) -> tuple:
        ...
    def transform_terms(self, docs: list, dtype: str = 'float64') -> tuple:
        ...
    @property
    def analyzer(self) -> Analyzer:
        ...
    @property
    def has_counts(self) -> bool:
        ...
    @property
    def is_fitted(self) -> bool:
        ...
    @property
    def n_documents(self) -> int:
        ...
    @property
    def n_jobs(self) -> int:
        ...
    @n_jobs.setter
    def n_jobs(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
class TfidfVectorizer:
    """
    TF-IDF (see lexsim.TfidfVectorizer).
    """
    def __init__(self, options: TfidfOptions) -> None:
        ...
    def counts_state(self) -> tuple:
        """
        The fit's counts: (terms' UTF-8 bytes, their lengths, document frequencies, total counts, documents), terms in code-point order.
        """
    def document_frequencies(self) -> list[int]:
        ...
    def feature_names(self) -> list[str]:
        """
        Terms in column order.
        """
    def fit(self, docs: typing.Any) -> None:
        ...
    def fit_batches(self, next: typing.Any, terms: bool = False) -> None:
        ...
    def fit_terms(self, docs: list) -> None:
        ...
    def fit_transform(self, docs: typing.Any, dtype: str = 'float64') -> tuple:
        ...
    def fit_transform_batches(self, next: typing.Any, dtype: str = 'float64', terms: bool = False) -> tuple:
        ...
    def fit_transform_terms(self, docs: list, dtype: str = 'float64') -> tuple:
        ...
    def idf(self) -> numpy.typing.NDArray[numpy.float64]:
        ...
    def idf_float(self) -> numpy.typing.NDArray[numpy.float32]:
        ...
    def merge(self, other: TfidfVectorizer) -> None:
        ...
    def occurrences(self, docs: typing.Any, terms: bool = False) -> tuple[tuple, numpy.typing.NDArray[numpy.int64], numpy.typing.NDArray[numpy.int64]]:
        """
        Raw counts and first positions of the vocabulary's terms in each document: ((counts, indices, indptr, shape), first, lengths), first aligned with counts; lengths = terms per document.
        """
    def partial_fit(self, docs: typing.Any) -> None:
        ...
    def partial_fit_batches(self, next: typing.Any, terms: bool = False) -> None:
        ...
    def partial_fit_terms(self, docs: list) -> None:
        ...
    def set_counts(self, terms: bytes, lengths: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], document_frequencies: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], total_counts: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], n_documents: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def set_idf(self, idf: collections.abc.Sequence[typing.SupportsFloat | typing.SupportsIndex]) -> None:
        ...
    def set_state(self, terms: collections.abc.Sequence[str], n_documents: typing.SupportsInt | typing.SupportsIndex, idf: collections.abc.Sequence[typing.SupportsFloat | typing.SupportsIndex], document_frequencies: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex] = []) -> None:
        ...
    def transform(self, docs: typing.Any, dtype: str = 'float64') -> tuple:
        ...
    def transform_batches(self, next: typing.Any, dtype: str = 'float64', terms: bool = False) -> tuple:
        ...
    def transform_terms(self, docs: list, dtype: str = 'float64') -> tuple:
        ...
    def transformer(self) -> TfidfTransformer:
        """
        A copy of the weighting: the TfidfTransformer fitted on the vocabulary's document frequencies.
        """
    @property
    def analyzer(self) -> Analyzer:
        ...
    @property
    def has_counts(self) -> bool:
        ...
    @property
    def idf_set_by_hand(self) -> bool:
        ...
    @property
    def is_fitted(self) -> bool:
        ...
    @property
    def n_documents(self) -> int:
        ...
    @property
    def n_jobs(self) -> int:
        ...
    @n_jobs.setter
    def n_jobs(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
class TfidfWeighting:
    norm: Norm
    smooth_idf: bool
    sublinear_tf: bool
    use_idf: bool
    def __init__(self) -> None:
        ...
class IdfPrecision:
    """
    Members:
    
      output
    
      float32
    
      float64
    """
    __members__: typing.ClassVar[dict[str, IdfPrecision]]
    float32: typing.ClassVar[IdfPrecision]
    float64: typing.ClassVar[IdfPrecision]
    output: typing.ClassVar[IdfPrecision]
    @typing.overload
    def __eq__(self, other: IdfPrecision) -> bool:
        ...
    @typing.overload
    def __eq__(self, other: typing.Any) -> bool:
        ...
    def __getstate__(self) -> int:
        ...
    def __hash__(self) -> int:
        ...
    def __index__(self) -> int:
        ...
    def __init__(self, value: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __int__(self) -> int:
        ...
    @typing.overload
    def __ne__(self, other: IdfPrecision) -> bool:
        ...
    @typing.overload
    def __ne__(self, other: typing.Any) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, state: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    def __str__(self) -> str:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def value(self) -> int:
        ...
class TfidfTransformer:
    """
    Count matrix -> TF-IDF (see lexsim.TfidfTransformer).
    """
    weighting: TfidfWeighting
    @typing.overload
    def __init__(self, weighting: TfidfWeighting, n_jobs: typing.SupportsInt | typing.SupportsIndex = 1) -> None:
        ...
    @typing.overload
    def __init__(self, other: TfidfTransformer) -> None:
        """
        A copy.
        """
    def clear(self) -> None:
        ...
    def document_frequencies(self) -> numpy.typing.NDArray[numpy.int64]:
        ...
    def fit(self, x: tuple) -> None:
        """
        Count the rows and document frequencies of a CSR (data, indices, indptr, rows, cols) tuple.
        """
    def idf(self) -> numpy.typing.NDArray[numpy.float64]:
        ...
    def idf_float(self) -> numpy.typing.NDArray[numpy.float32]:
        ...
    def merge(self, other: TfidfTransformer) -> None:
        ...
    def partial_fit(self, x: tuple) -> None:
        ...
    def set_counts(self, n_documents: typing.SupportsInt | typing.SupportsIndex, document_frequencies: typing.Annotated[numpy.typing.ArrayLike, numpy.int64]) -> None:
        ...
    def set_idf(self, idf: typing.Annotated[numpy.typing.ArrayLike, numpy.float64]) -> None:
        ...
    def transform(self, x: tuple, precision: IdfPrecision = ...) -> tuple:
        """
        Weights of the counts as new CSR buffers (float32 for float32 counts, else float64).
        """
    def transform_in_place(self, x: tuple, precision: IdfPrecision = ...) -> None:
        """
        Weights written over the values of X (float32 or float64).
        """
    @property
    def has_counts(self) -> bool:
        ...
    @property
    def has_idf(self) -> bool:
        ...
    @property
    def idf_set_by_hand(self) -> bool:
        ...
    @property
    def is_fitted(self) -> bool:
        ...
    @property
    def n_documents(self) -> int:
        ...
    @property
    def n_features(self) -> int:
        ...
    @property
    def n_jobs(self) -> int:
        ...
    @n_jobs.setter
    def n_jobs(self, arg1: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
class HashingOptions:
    alternate_sign: bool
    analysis: AnalyzerOptions
    binary: bool
    norm: Norm
    def __init__(self) -> None:
        ...
    @property
    def n_features(self) -> int:
        ...
    @n_features.setter
    def n_features(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
    @property
    def n_jobs(self) -> int:
        ...
    @n_jobs.setter
    def n_jobs(self, arg0: typing.SupportsInt | typing.SupportsIndex) -> None:
        ...
class HashingVectorizer:
    """
    Hashed term counts (see lexsim.HashingVectorizer).
    """
    def __init__(self, options: HashingOptions) -> None:
        ...
    def hash(self, term: str) -> tuple[int, int]:
        """
        (column, sign) of one term's UTF-8 bytes.
        """
    def transform(self, docs: typing.Any, dtype: str = 'float64') -> tuple:
        ...
    def transform_terms(self, docs: list, dtype: str = 'float64') -> tuple:
        ...
    @property
    def analyzer(self) -> Analyzer:
        ...
    @property
    def options(self) -> HashingOptions:
        ...
class SearchIndex:
    """
    A cosine or BM25 search index (see lexsim.SearchIndex).
    """
    def __init__(self, documents: tuple, scoring: str, k1: typing.SupportsFloat | typing.SupportsIndex, b: typing.SupportsFloat | typing.SupportsIndex, method: str = 'lucene', delta: typing.SupportsFloat | typing.SupportsIndex = 0.5) -> None:
        """
        documents: (data, indices:int32, indptr, rows, cols) with float32/float64 data and int32/int64 indptr; BM25 needs raw term counts.
        """
    def add(self, documents: tuple) -> None:
        """
        Append documents, (data, indices, indptr, rows, cols) in the index's dtype, exactly as a build over all documents would index them.
        """
    def arrays(self) -> list[tuple[str, int, int]]:
        """
        (name, address, size in bytes) of each large array.
        """
    def baseline(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        bm25l and bm25+: each term's score for a document without it (empty otherwise); a copy.
        """
    def idf(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        BM25: the method's idf of each term (empty for cosine); a copy.
        """
    def save(self, path: bytes, vectorizer: typing.Any, metadata: bytes = b'') -> None:
        """
        Write the index (with the C++ vectorizer, or None) atomically to path (file-system encoded bytes).
        """
    def search(self, queries: tuple, k: typing.SupportsInt | typing.SupportsIndex, n_jobs: typing.SupportsInt | typing.SupportsIndex) -> tuple:
        """
        The k best documents of each query row, as (data, indices, indptr, shape) of a queries x documents CSR matrix. The queries must have the index's dtype.
        """
    def serialize(self, metadata: bytes = b'', vectorizer: typing.Any = None) -> bytes:
        """
        The index's model bytes, with the C++ vectorizer or without one (None).
        """
    @property
    def average_length(self) -> float:
        """
        BM25: the mean document length in counted terms (0 for cosine).
        """
    @property
    def b(self) -> float:
        ...
    @property
    def delta(self) -> float:
        ...
    @property
    def dtype(self) -> str:
        ...
    @property
    def k1(self) -> float:
        ...
    @property
    def mapped(self) -> bool:
        """
        Whether the index reads its arrays from a mapped file.
        """
    @property
    def method(self) -> str:
        """
        The BM25 variant, by its bm25s name (stored for cosine too, and unused there).
        """
    @property
    def n_documents(self) -> int:
        ...
    @property
    def n_terms(self) -> int:
        ...
    @property
    def scoring(self) -> str:
        ...
class ArrowDocuments:
    """
    Documents viewed in the buffers of Arrow string or binary data (see lexsim._arrow).
    """
    def __init__(self, source: typing.Any) -> None:
        """
        Read an object with __arrow_c_stream__ or __arrow_c_array__: utf8, large_utf8, utf8_view, binary, large_binary, binary_view or a dictionary of them, in any number of chunks. A null is a ValueError naming the document, another type a TypeError.
        """
    def __len__(self) -> int:
        ...
    def to_list(self, errors: str = 'strict') -> list:
        """
        The documents as a list of str (UTF-8 decoded with errors='strict', 'replace' or 'ignore'; a strict failure is a UnicodeDecodeError whose reason and document attribute name the document) or of bytes for binary data.
        """
    @property
    def binary(self) -> bool:
        """
        Whether the values are binary (bytes), not strings.
        """
    @property
    def format(self) -> str:
        """
        The Arrow format string of the values.
        """
    @property
    def index_format(self) -> str:
        """
        The Arrow format string of the dictionary's indices ('' when not dictionary-encoded).
        """
def available_cpus() -> int:
    """
    CPUs this process may run on: its affinity mask within the cgroup CPU quota (rounded up).
    """
def bm25_method_names() -> list[str]:
    """
    bm25s's names of the BM25 methods, in the index file's code order.
    """
def csr_has_duplicates(x: tuple) -> bool:
    """
    Whether a row of the CSR tuple stores a column twice (the transformer refuses that; Python sums them first).
    """
def deserialize(data: typing_extensions.Buffer) -> tuple:
    """
    (vectorizer, metadata) from model bytes.
    """
def deserialize_any(data: typing_extensions.Buffer) -> tuple:
    """
    (kind, object, vectorizer, metadata) from model bytes: kind 'vectorizer' or 'index'.
    """
def effective_n_jobs(n_jobs: typing.SupportsInt | typing.SupportsIndex) -> int:
    """
    The threads a call with this n_jobs runs at most (-1: the available CPUs within the limit).
    """
@typing.overload
def encode_options(vectorizer: CountVectorizer) -> bytes:
    """
    The OPTS section payload of the vectorizer's options with n_jobs=1 (equal bytes: the same analysis and weighting).
    """
@typing.overload
def encode_options(vectorizer: TfidfVectorizer) -> bytes:
    """
    The OPTS section payload of the vectorizer's options with n_jobs=1 (equal bytes: the same analysis and weighting).
    """
def english_stop_words() -> list[str]:
    """
    scikit-learn's English stop-word list.
    """
def explain(x: tuple, i: typing.SupportsInt | typing.SupportsIndex, j: typing.SupportsInt | typing.SupportsIndex) -> tuple:
    """
    Shared columns of rows i and j with their contributions to the cosine, largest first.
    """
def group(x: tuple, threshold: typing.SupportsFloat | typing.SupportsIndex | None, n_terms: typing.SupportsInt | typing.SupportsIndex, n_jobs: typing.SupportsInt | typing.SupportsIndex, method: str = 'leiden', n_neighbors: typing.SupportsInt | typing.SupportsIndex = 0, min_shared: typing.SupportsInt | typing.SupportsIndex = 3, resolution: typing.SupportsFloat | typing.SupportsIndex = 1.0, dates: typing.Annotated[numpy.typing.ArrayLike, numpy.float64] | None = None, date_window: typing.SupportsFloat | typing.SupportsIndex = 0.0) -> tuple:
    """
    Story groups: (labels, offsets, members, representative, top_terms CSR buffers, stats).
    """
def group_method_names() -> list[str]:
    """
    The story-group methods' names.
    """
def load(path: bytes) -> tuple:
    """
    (vectorizer, metadata) from a model file (path as file-system encoded bytes).
    """
def load_any(path: bytes, mmap: bool = False, verify: bool = False) -> tuple:
    """
    (kind, object, vectorizer, metadata) from a model file: kind 'vectorizer' or 'index' (an index mapped with mmap).
    """
def merge_top_k(parts: collections.abc.Sequence[tuple], offsets: collections.abc.Sequence[typing.SupportsInt | typing.SupportsIndex], k: typing.SupportsInt | typing.SupportsIndex, n_cols: typing.SupportsInt | typing.SupportsIndex) -> tuple:
    """
    Per row, the k best of top-k results over column blocks, as CSR buffers.
    """
@typing.overload
def model_options(vectorizer: CountVectorizer) -> CountOptions:
    """
    A copy of a CountVectorizer's options.
    """
@typing.overload
def model_options(vectorizer: TfidfVectorizer) -> TfidfOptions:
    """
    A copy of a TfidfVectorizer's options.
    """
def murmurhash3_32(key: str, seed: typing.SupportsInt | typing.SupportsIndex = 0) -> int:
    """
    Signed MurmurHash3 x86_32 of a str (its UTF-8 bytes) or bytes, as sklearn.utils.murmurhash3_32.
    """
def ranked_order(x: tuple) -> typing.Any:
    """
    Positions of each row's stored values in rank order (best first, ties: lower column).
    """
@typing.overload
def save(vectorizer: CountVectorizer, path: bytes, metadata: bytes = b'') -> None:
    """
    Write the model atomically to path (file-system encoded bytes).
    """
@typing.overload
def save(vectorizer: TfidfVectorizer, path: bytes, metadata: bytes = b'') -> None:
    """
    Write the model atomically to path (file-system encoded bytes).
    """
def scoring_names() -> list[str]:
    """
    The scorings' names, in the index file's code order.
    """
@typing.overload
def serialize(vectorizer: CountVectorizer, metadata: bytes = b'') -> bytes:
    """
    The model bytes of a fitted vectorizer.
    """
@typing.overload
def serialize(vectorizer: TfidfVectorizer, metadata: bytes = b'') -> bytes:
    """
    The model bytes of a fitted vectorizer.
    """
def set_thread_limit(limit: typing.SupportsInt | typing.SupportsIndex) -> None:
    """
    Limit the threads n_jobs=-1 runs (0 = no limit: LEXSIM_NUM_THREADS, then OMP_NUM_THREADS apply).
    """
def similar_pairs(x: tuple, threshold: typing.SupportsFloat | typing.SupportsIndex, n_jobs: typing.SupportsInt | typing.SupportsIndex) -> tuple:
    """
    Every pair i < j with cosine >= threshold: (rows, cols, scores) arrays.
    """
def stemmers() -> list[str]:
    """
    The Snowball stemming algorithms AnalyzerOptions.stemmer accepts.
    """
def thread_limit() -> int:
    """
    The process-wide limit on n_jobs=-1 set by set_thread_limit (0 = none).
    """
def top_k(a: tuple, b: tuple | None, k: typing.SupportsInt | typing.SupportsIndex, threshold: typing.SupportsFloat | typing.SupportsIndex | None, n_jobs: typing.SupportsInt | typing.SupportsIndex) -> tuple:
    """
    Top-k cosine similarities between CSR matrices given as buffer tuples.
    """
def top_terms(x: tuple, n: typing.SupportsInt | typing.SupportsIndex, n_jobs: typing.SupportsInt | typing.SupportsIndex) -> tuple:
    """
    Each row's n largest values as CSR buffers.
    """
MODEL_FORMAT_VERSION: int = 1
MODEL_MAGIC: bytes
__version__: str = '0.1.0'
unicode_version: str = '15.0.0'
