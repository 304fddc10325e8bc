"""Article-level Chinese statute search (no Django imports: usable from scripts, tests and the web app).

from fawang.knowledge.search import build_index, SearchIndex, Filters
build_index(iter_articles(path), "var/lawsearch")
idx = SearchIndex.load("var/lawsearch", model_dir=DEFAULT_MODEL_DIR)
hits = idx.search("公司拖欠工资怎么办", k=10, filters=Filters(national=True))
"""

from .data import DEFAULT_MODEL_DIR, iter_articles
from .engine import Filters, Hit, SearchIndex, build_index

__all__ = ["DEFAULT_MODEL_DIR", "Filters", "Hit", "SearchIndex", "build_index", "iter_articles"]
