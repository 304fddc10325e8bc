"""Topic of a consultation question (婚姻家庭, 劳动纠纷 ...), for routing and hotspot statistics.

``classify(text)`` loads the shipped model once per process (thread-safe) and returns a ``TopicResult``
whose ``code`` is one of the ``orgs.Speciality`` codes.  See data/topics/SOURCE.md for how the labelled set
and the model were made and how well they do.
"""

from __future__ import annotations

import threading

from .model import DEFAULT_MODEL_DIR, TopicModel, TopicResult
from .taxonomy import CODES, NAMES, TOPICS

__all__ = ["CODES", "NAMES", "TOPICS", "TopicResult", "classify", "get_model"]

_lock = threading.Lock()
_model: TopicModel | None = None


def get_model() -> TopicModel:
    """The shipped model, loaded on first use."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = TopicModel.load(DEFAULT_MODEL_DIR)
    return _model


def classify(text: str) -> TopicResult:
    """Topic of one question; 综合咨询 when the text is empty or the model is not confident."""
    return get_model().classify(text or "")
