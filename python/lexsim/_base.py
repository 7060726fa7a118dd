"""lexsim's estimator base: scikit-learn's estimator protocol without importing scikit-learn.

Importing scikit-learn takes most of a second (it loads scipy.stats and pandas), and ``import
lexsim`` must not pay for it. scikit-learn's tools (``clone``, ``Pipeline``, ``GridSearchCV``,
``cross_val_score``, ``check_is_fitted``, the HTML repr) work with any object that follows its
protocol, so ``BaseEstimator`` and ``TransformerMixin`` here implement that protocol themselves
(``get_params``/``set_params`` as scikit-learn defines them, the repr in its layout) and borrow
scikit-learn's own code for what only it decides (HTML repr, tags, routing objects) when that is
first needed: scikit-learn is then imported already, or imported at that moment.

What a lexsim estimator class declares
--------------------------------------
* Parameters: explicit keyword arguments of ``__init__`` (no ``*args``/``**kwargs``), stored
  unchanged under their own names, as scikit-learn requires.
* ``__sklearn_is_fitted__()``: whether it is fitted (``check_is_fitted``, the HTML repr).
* ``__sklearn_tags__()``: ``super().__sklearn_tags__()`` then its changes; only scikit-learn calls
  it, so scikit-learn is importable then.
* Metadata routing: scikit-learn takes every parameter of ``fit``, ``partial_fit``, ``transform``
  and the other routed methods, except ``X``, ``y``, ``Y``, ``Xt`` and ``yt``, for metadata. Mark
  the ones that are data with ``__metadata_request__<method> = {"<name>": UNUSED}`` (``UNUSED``
  from this module) where scikit-learn's class of the same name does, so that
  ``get_metadata_routing()`` equals scikit-learn's; the vectorizers' ``raw_documents`` is marked by
  ``RawDocumentsNotMetadata``, a base of all of them. Real metadata get ``set_<method>_request``
  methods, as in scikit-learn.
* Transformers: ``TransformerMixin`` before the base class. lexsim's transformers return sparse
  matrices, which scikit-learn's ``set_output`` does not wrap, so (like scikit-learn's
  vectorizers, which pass ``auto_wrap_output_keys=None``) they have no ``set_output``.

What differs from deriving from scikit-learn's ``BaseEstimator``: ``isinstance(est,
sklearn.base.BaseEstimator)`` is False (scikit-learn's ``check_estimator`` warns about it), and
``UNUSED`` for a parameter a method does not have is ignored rather than an error.
"""

from __future__ import annotations

import importlib.util
import inspect
import math
import numbers
import pprint
import sys
import threading
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Callable, Optional

#: Whether scikit-learn is installed (found, not imported: importing it is what this module avoids).
HAVE_SKLEARN: bool = importlib.util.find_spec("sklearn") is not None

#: scikit-learn's marker for "this parameter is not metadata" (``metadata_routing.UNUSED``). Equal
#: to scikit-learn's value, which is all this module relies on.
UNUSED = "$UNUSED$"

# The methods scikit-learn routes metadata to, and the parameters it never takes for metadata.
_ROUTED_METHODS = (
    "fit",
    "partial_fit",
    "predict",
    "predict_proba",
    "predict_log_proba",
    "decision_function",
    "score",
    "split",
    "transform",
    "inverse_transform",
)
_DATA_PARAMS = frozenset({"X", "y", "Y", "Xt", "yt"})

# scikit-learn's estimator repr: lines of at most 80 characters, at most 30 parameters shown (then
# ", ..."), and about 700 non-blank characters (then an ellipsis in the middle).
_WIDTH = 80
_MAX_SHOWN = 30
_N_CHAR_MAX = 700


def sklearn_config() -> dict[str, Any]:
    """scikit-learn's configuration if scikit-learn is imported, else ``{}`` (its defaults).

    A setting can only differ from its default once scikit-learn is imported, so reading it never
    needs an import.
    """
    config = sys.modules.get("sklearn._config")
    get = getattr(config, "get_config", None)
    return get() if get is not None else {}


def _require_sklearn(what: str) -> None:
    if not HAVE_SKLEARN:
        raise ImportError(f"{what} needs scikit-learn: pip install scikit-learn")


# ----------------------------------------------------------------------------------- repr
def _is_scalar_nan(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, numbers.Integral) and math.isnan(x)


def _is_estimator(obj: Any) -> bool:
    if isinstance(obj, BaseEstimator):
        return True
    sk_base = sys.modules.get("sklearn.base")
    return sk_base is not None and isinstance(obj, getattr(sk_base, "BaseEstimator", ()))


def _shown_params(est: Any) -> dict[str, Any]:
    """The parameters a repr shows: those that differ from their defaults (scikit-learn's
    ``print_changed_only``, on by default), compared by repr as scikit-learn does."""
    params = est.get_params(deep=False)
    if not sklearn_config().get("print_changed_only", True):
        return params
    defaults = {name: p.default for name, p in inspect.signature(est.__init__).parameters.items()}

    def changed(name: str, value: Any) -> bool:
        if name not in defaults or defaults[name] is inspect.Parameter.empty:
            return True
        default = defaults[name]
        if _is_estimator(value) and type(value) is not type(default):
            return True
        return repr(value) != repr(default) and not (_is_scalar_nan(value) and _is_scalar_nan(default))

    return {k: v for k, v in params.items() if changed(k, v)}


_SCALARS = (str, bytes, bytearray, float, complex, bool, type(None), int)


def _flat(obj: Any, active: set[int]) -> str:
    """``obj`` on one line as scikit-learn's printer writes it: dicts sorted, estimators as
    ``Name(changed=params)``, anything else by its repr."""
    t = type(obj)
    if t in _SCALARS:
        return repr(obj)
    r = getattr(t, "__repr__", None)
    container = (
        (issubclass(t, dict) and r is dict.__repr__)
        or (issubclass(t, list) and r is list.__repr__)
        or (issubclass(t, tuple) and r is tuple.__repr__)
    )
    if not container and not _is_estimator(obj):
        return repr(obj)
    if id(obj) in active:
        return f"<Recursion on {t.__name__} with id={id(obj)}>"
    active.add(id(obj))
    try:
        if isinstance(obj, dict):
            items = sorted(obj.items(), key=pprint._safe_tuple)  # type: ignore[attr-defined]
            return "{" + ", ".join(f"{_flat(k, active)}: {_flat(v, active)}" for k, v in items) + "}"
        if isinstance(obj, list):
            return "[" + ", ".join(_flat(v, active) for v in obj) + "]"
        if isinstance(obj, tuple):
            inner = ", ".join(_flat(v, active) for v in obj)
            return f"({inner},)" if len(obj) == 1 else f"({inner})"
        items = sorted(_shown_params(obj).items(), key=pprint._safe_tuple)  # type: ignore[attr-defined]
        return f"{t.__name__}(" + ", ".join(f"{k}={_flat(v, active)}" for k, v in items) + ")"
    finally:
        active.discard(id(obj))


def _wrapped(name: str, items: list[str]) -> Optional[str]:
    """``name(item, item, ...)`` laid out as scikit-learn's printer does: items packed onto lines
    of at most 80 columns, each continuation line starting under the first item, the closing
    parenthesis counted on the last line. None when an item does not fit on a line of its own
    (scikit-learn then breaks the value itself)."""
    col = len(name) + 1
    room = _WIDTH + 1 - col  # each item is followed by ", " (or the closing ")" and one spare column)
    left = room
    out = [name, "("]
    sep = ""
    for n, item in enumerate(items):
        if n == _MAX_SHOWN:
            out.append(", ...")
            break
        need = len(item) + 2
        line = room
        if n == len(items) - 1:
            line -= 1
            left -= 1
        if left < need:
            left = line
            if sep:
                sep = ",\n" + " " * col
        if left < need:
            return None
        left -= need
        out += [sep, item]
        sep = ", "
    out.append(")")
    return "".join(out)


# ids of the estimators whose repr scikit-learn's printer is writing in this thread (see __repr__).
_printing = threading.local()
_registered_printer: Any = None


def _register_with_sklearn_printer() -> Any:
    """Make scikit-learn's printer lay out lexsim estimators as its own (also inside a Pipeline):
    it dispatches on the ``__repr__`` function, ours is not its ``BaseEstimator.__repr__``."""
    global _registered_printer
    module = sys.modules.get("sklearn.utils._pprint")
    printer = getattr(module, "_EstimatorPrettyPrinter", None)
    if printer is not None and printer is not _registered_printer:
        printer._dispatch[BaseEstimator.__repr__] = printer._pprint_estimator
        _registered_printer = printer
    return printer


def _any_signature(method: Callable[..., Any]) -> Any:
    """A method whose signature subclasses may narrow, as they could under scikit-learn's untyped
    mixins (``fit_transform(self, X, y=None)``); type checkers still check its body."""
    return method


class BaseEstimator:
    """``get_params``/``set_params``, repr, HTML repr, tags and metadata routing as scikit-learn's
    ``BaseEstimator`` has them, without importing scikit-learn (see the module docstring)."""

    if TYPE_CHECKING:
        # The parameters are attributes that each subclass's __init__ sets and shared code reads.
        def __getattr__(self, name: str) -> Any: ...

    # ------------------------------------------------------------------------ pickling
    def __getstate__(self) -> dict[str, Any]:
        if getattr(self, "__slots__", None):
            raise TypeError(
                f"{type(self).__name__} uses __slots__, which an estimator cannot (as in scikit-learn: "
                "its state is its __dict__)"
            )
        return self.__dict__.copy()

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # ------------------------------------------------------------------------ parameters
    @classmethod
    def _get_param_names(cls) -> list[str]:
        """The parameter names: ``__init__``'s arguments, sorted."""
        init = cls.__init__
        if init is object.__init__:
            return []
        parameters = [
            p for p in inspect.signature(init).parameters.values() if p.name != "self" and p.kind != p.VAR_KEYWORD
        ]
        for p in parameters:
            if p.kind == p.VAR_POSITIONAL:
                raise RuntimeError(
                    f"an estimator names its parameters in the signature of __init__ (no *args), as "
                    f"scikit-learn requires; {cls} has the constructor {inspect.signature(init)}"
                )
        return sorted(p.name for p in parameters)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Get parameters for this estimator.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of contained estimators (as ``name__param``).

        Returns
        -------
        dict
            Parameter names mapped to their values.
        """
        out: dict[str, Any] = {}
        for key in self._get_param_names():
            value = getattr(self, key)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{key}__{k}", v) for k, v in value.get_params().items())
            out[key] = value
        return out

    def set_params(self, **params: Any) -> Any:
        """Set the parameters of this estimator (``name__param`` for contained estimators).

        Parameters
        ----------
        **params : dict
            Estimator parameters.

        Returns
        -------
        self
        """
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested: dict[str, dict[str, Any]] = defaultdict(dict)
        for key, value in params.items():
            key, delim, sub_key = key.partition("__")
            if key not in valid:
                raise ValueError(
                    f"Invalid parameter {key!r} for estimator {self}. Valid parameters are: {self._get_param_names()!r}."
                )
            if delim:
                nested[key][sub_key] = value
            else:
                setattr(self, key, value)
                valid[key] = value
        for key, sub_params in nested.items():
            valid[key].set_params(**sub_params)
        return self

    # ------------------------------------------------------------------------ repr
    def __repr__(self, N_CHAR_MAX: int = _N_CHAR_MAX) -> str:
        printer = _register_with_sklearn_printer()
        flat = _flat(self, set())
        busy = _printing.__dict__.setdefault("ids", set())
        if len(flat) <= _WIDTH or id(self) in busy:
            return flat
        if printer is None:
            # scikit-learn's layout computed here while it is not imported; it is needed only when
            # a value has to be broken over lines or the text must be cut.
            name = type(self).__name__
            items = [f"{k}={_flat(v, {id(self)})}" for k, v in sorted(_shown_params(self).items())]
            text = _wrapped(name, items)
            if text is not None and len("".join(text.split())) <= N_CHAR_MAX:
                return text
            if not HAVE_SKLEARN:
                return text if text is not None else flat
            from sklearn.utils import _pprint  # noqa: F401  (imports scikit-learn)

            _register_with_sklearn_printer()
        from sklearn.base import BaseEstimator as SkBaseEstimator

        # scikit-learn's __repr__ asks repr() for the one-line form of the estimator before it
        # lays it out; `busy` makes that inner call return it instead of recursing.
        busy.add(id(self))
        try:
            return str(SkBaseEstimator.__repr__(self, N_CHAR_MAX))  # type: ignore[arg-type]
        finally:
            busy.discard(id(self))

    # ------------------------------------------------------------------------ HTML repr (Jupyter)
    @property
    def _repr_html_(self) -> Any:
        """The HTML repr (scikit-learn's diagram), present only when scikit-learn is installed
        and its ``display`` config is ``'diagram'`` (as for scikit-learn's estimators)."""
        if not HAVE_SKLEARN:
            raise AttributeError("_repr_html_ needs scikit-learn")
        import sklearn

        if sklearn.get_config()["display"] != "diagram":
            raise AttributeError(
                "_repr_html_ is only defined when the 'display' configuration option is set to 'diagram'"
            )
        return self._repr_html_inner

    def _repr_html_inner(self) -> str:
        return self._html_repr()

    def _html_repr(self) -> str:
        _require_sklearn("the HTML repr")
        from sklearn.utils._repr_html.estimator import estimator_html_repr

        return str(estimator_html_repr(self))

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, str]:
        """Text, and scikit-learn's HTML diagram when scikit-learn is installed (Jupyter)."""
        output = {"text/plain": repr(self)}
        if HAVE_SKLEARN:
            import sklearn

            if sklearn.get_config()["display"] == "diagram":
                output["text/html"] = self._html_repr()
        return output

    def _get_params_html(self, deep: bool = True, doc_link: str = "") -> Any:
        from sklearn.base import BaseEstimator as SkBaseEstimator

        return SkBaseEstimator._get_params_html(self, deep, doc_link)  # type: ignore[arg-type]

    def _get_fitted_attr_html(self, doc_link: str = "") -> Any:
        from sklearn.base import BaseEstimator as SkBaseEstimator

        return SkBaseEstimator._get_fitted_attr_html(self, doc_link)  # type: ignore[arg-type]

    def _get_doc_link(self) -> str:
        return ""  # scikit-learn links only its own classes to its documentation

    # ------------------------------------------------------------------------ tags
    def __sklearn_tags__(self) -> Any:
        from sklearn.base import BaseEstimator as SkBaseEstimator

        return SkBaseEstimator.__sklearn_tags__(self)  # type: ignore[arg-type]

    # ------------------------------------------------------------------------ metadata routing
    def __init_subclass__(cls, **kwargs: Any) -> None:
        # scikit-learn gives a class set_<method>_request when a routed method takes metadata;
        # same rule, with scikit-learn's own setter built on first use.
        super().__init_subclass__(**kwargs)
        try:
            for method in _ROUTED_METHODS:
                name = f"set_{method}_request"
                inherited = inspect.getattr_static(cls, name, None)
                if inherited is not None and not isinstance(inherited, _RequestSetter):
                    continue  # written by hand
                requests = cls._metadata_defaults(method)
                if requests or inherited is not None:
                    setattr(cls, name, _RequestSetter(method, sorted(requests)))
        except Exception:  # noqa: BLE001 - as in scikit-learn, reported by get_metadata_routing()
            pass

    @classmethod
    def _metadata_defaults(cls, method: str) -> dict[str, Any]:
        """The class-level requests of ``method``, by scikit-learn's rule: each parameter of the
        method but self, X, y, Y, Xt, yt and */** ones is metadata (request None), then the
        ``__metadata_request__<method>`` dicts of the classes, base first, override or (UNUSED)
        remove entries. One difference: UNUSED for a parameter the method does not have is
        ignored, where scikit-learn raises, so that a base class can say what its subclasses'
        ``raw_documents`` is although HashingVectorizer's methods take ``X``."""
        func = getattr(cls, method, None)
        if func is None or not inspect.isfunction(func):
            return {}
        params: dict[str, Any] = {
            name: None
            for name, p in list(inspect.signature(func).parameters.items())[1:]
            if name not in _DATA_PARAMS and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        }
        marker = f"__metadata_request__{method}"
        for klass in reversed(inspect.getmro(cls)):
            for attr, value in vars(klass).copy().items():
                if marker not in attr:  # name-mangled: _ClassName__metadata_request__fit
                    continue
                for prop, alias in value.items():
                    if isinstance(alias, str) and alias == UNUSED:
                        params.pop(prop, None)
                    else:
                        params[prop] = alias
        return params

    def _get_metadata_request(self) -> Any:
        _require_sklearn("metadata routing")
        from sklearn.utils.metadata_routing import MetadataRequest, get_routing_for_object

        if hasattr(self, "_metadata_request"):
            return get_routing_for_object(self._metadata_request)
        requests = MetadataRequest(owner=self)
        for method in _ROUTED_METHODS:
            method_requests = getattr(requests, method, None)
            if method_requests is None:
                continue
            for param, alias in self._metadata_defaults(method).items():
                method_requests.add_request(param=param, alias=alias)
        return requests

    def get_metadata_routing(self) -> Any:
        """Get metadata routing of this object (scikit-learn's ``MetadataRequest``).

        Returns
        -------
        sklearn.utils.metadata_routing.MetadataRequest
            What each method requests; equal to that of scikit-learn's class of the same name.
        """
        return self._get_metadata_request()


class _RequestSetter:
    """``set_<method>_request``: scikit-learn's own setter (``RequestMethod``), made when used."""

    def __init__(self, method: str, keys: list[str]) -> None:
        self.method = method
        self.keys = keys

    def __get__(self, instance: Any, owner: Optional[type] = None) -> Any:
        _require_sklearn(f"set_{self.method}_request")
        from sklearn.utils._metadata_requests import RequestMethod

        return RequestMethod(self.method, self.keys).__get__(instance, owner)


class RawDocumentsNotMetadata:
    """For estimators whose methods take the documents as ``raw_documents`` (the vectorizers): the
    documents are data, not metadata, as scikit-learn's ``CountVectorizer`` declares (methods
    without a ``raw_documents`` parameter are not affected)."""

    __metadata_request__fit = {"raw_documents": UNUSED}
    __metadata_request__partial_fit = {"raw_documents": UNUSED}
    __metadata_request__transform = {"raw_documents": UNUSED}


class TransformerMixin:
    """``fit_transform`` from ``fit`` and ``transform``, and the transformer tag."""

    # scikit-learn's set_output wraps none of this class's methods (the output is sparse).
    _sklearn_auto_wrap_output_keys: set = set()

    def __init_subclass__(cls, auto_wrap_output_keys: Any = None, **kwargs: Any) -> None:
        if auto_wrap_output_keys is not None:
            raise TypeError(
                f"{cls.__name__}: lexsim transformers return sparse matrices, which set_output does not "
                "wrap; auto_wrap_output_keys must be None"
            )
        super().__init_subclass__(**kwargs)

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils._tags import TransformerTags

        tags = super().__sklearn_tags__()  # type: ignore[misc]
        tags.transformer_tags = TransformerTags()
        return tags

    @_any_signature
    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit to ``X``, then transform it.

        Parameters
        ----------
        X : iterable
            Input.
        y : None
            Ignored.
        **fit_params : dict
            Passed to ``fit``.

        Returns
        -------
        The transformed ``X``.
        """
        if fit_params and sklearn_config().get("enable_metadata_routing", False):
            # As scikit-learn's: metadata given here reach fit only; say so if transform wanted them.
            if self.get_metadata_routing().consumes(method="transform", params=fit_params.keys()):  # type: ignore[attr-defined]
                import warnings

                warnings.warn(
                    f"This object ({type(self).__name__}) has a `transform` method which consumes metadata, but "
                    "`fit_transform` does not forward metadata to `transform`. Please implement a custom "
                    "`fit_transform` method to forward metadata to `transform` as well. Alternatively, you can "
                    "explicitly do `set_transform_request`and set all values to `False` to disable metadata "
                    "routed to `transform`, if that's an option.",
                    UserWarning,
                    stacklevel=2,
                )
        if y is None:
            return self.fit(X, **fit_params).transform(X)  # type: ignore[attr-defined]
        return self.fit(X, y, **fit_params).transform(X)  # type: ignore[attr-defined]


__all__ = ["BaseEstimator", "HAVE_SKLEARN", "RawDocumentsNotMetadata", "TransformerMixin", "UNUSED", "sklearn_config"]
