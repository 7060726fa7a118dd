"""How many threads lexsim runs, and threadpoolctl's hold on them.

Every ``n_jobs`` follows the rule of scikit-learn's OpenMP estimators: a positive ``n_jobs`` is
honoured as given; ``n_jobs=-1`` means the CPUs this process may run on (its affinity mask, within a
cgroup CPU quota) within a limit: ``threadpoolctl.threadpool_limits`` (or
:func:`lexsim._core.set_thread_limit`), else the environment variable ``LEXSIM_NUM_THREADS``, else
``OMP_NUM_THREADS``, which joblib's process workers and Dask's worker processes set to their share.
"""

from __future__ import annotations

import numbers
from typing import Any, Optional

from . import _core

__all__ = ["effective_n_jobs"]


def effective_n_jobs(n_jobs: Optional[int] = -1) -> int:
    """The number of threads a lexsim call with this ``n_jobs`` runs at most.

    ``None`` and ``1`` run one thread and a positive ``n_jobs`` that many (fewer when there is
    too little work to share). ``-1`` runs one thread per CPU the process may use: the CPUs of
    its affinity mask (``taskset``, cpusets), within the CPU quota of its cgroup (containers;
    rounded up) and within a limit, if one is set: by ``threadpoolctl.threadpool_limits`` (lexsim
    registers itself with threadpoolctl, under ``user_api='lexsim'``), else by the environment
    variable ``LEXSIM_NUM_THREADS``, else by ``OMP_NUM_THREADS``. joblib's process workers (as in
    ``GridSearchCV(n_jobs=k)``) and Dask's worker processes set ``OMP_NUM_THREADS`` to their share
    of the cores, so ``n_jobs=-1`` inside them does not oversubscribe the machine.

    Parameters
    ----------
    n_jobs : int or None, default=-1
        ``None``, ``-1`` or a positive integer, as every lexsim ``n_jobs`` takes.

    Returns
    -------
    int
        The number of threads.

    Raises
    ------
    ValueError
        When ``n_jobs`` is 0 or below -1, or ``LEXSIM_NUM_THREADS`` is set to anything but a
        positive integer.
    TypeError
        When ``n_jobs`` is not an integer or None.

    Examples
    --------
    >>> import lexsim
    >>> lexsim.effective_n_jobs(3)
    3
    >>> from threadpoolctl import threadpool_limits
    >>> with threadpool_limits(limits=1):
    ...     lexsim.effective_n_jobs(-1)
    1
    """
    if n_jobs is None:
        return 1
    if not isinstance(n_jobs, numbers.Integral) or isinstance(n_jobs, bool):
        raise TypeError(f"n_jobs must be an int or None, got {type(n_jobs).__name__}")
    if n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be None, -1 or a positive integer; got {n_jobs}")
    return int(_core.effective_n_jobs(int(n_jobs)))


def _register_with_threadpoolctl() -> None:
    """Make ``threadpoolctl.threadpool_limits`` and ``threadpool_info`` see lexsim's threads.

    threadpoolctl (a dependency of scikit-learn, so usually present; optional for lexsim) finds the
    libraries it controls among the loaded shared objects by file name and exported symbols, and
    calls their C functions: ``lexsim._core`` exports ``lexsim_get_num_threads`` and
    ``lexsim_set_num_threads`` for it. Without threadpoolctl (or with a version before its
    ``register``, 3.5), the environment variables still apply.
    """
    try:
        import threadpoolctl
    except ImportError:
        return
    register = getattr(threadpoolctl, "register", None)
    base = getattr(threadpoolctl, "LibController", None)
    if register is None or base is None:
        return

    class LexsimController(base):  # type: ignore[misc, valid-type]
        """threadpoolctl's view of lexsim's thread limit (n_jobs=-1)."""

        user_api = "lexsim"
        internal_api = "lexsim"
        filename_prefixes = ("_core",)
        check_symbols = ("lexsim_get_num_threads", "lexsim_set_num_threads")

        def get_num_threads(self) -> Any:
            get = getattr(self.dynlib, "lexsim_get_num_threads", None)
            return None if get is None else get()

        def set_num_threads(self, num_threads: int) -> Any:
            set_ = getattr(self.dynlib, "lexsim_set_num_threads", None)
            return None if set_ is None else set_(int(num_threads))

        def get_version(self) -> Any:
            return _core.__version__

    register(LexsimController)
