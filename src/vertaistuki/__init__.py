"""vertaistuki: describe peer support once, publish it everywhere.

The public API::

    import vertaistuki
    result = vertaistuki.load("examples/relatives-association/catalogue.yaml")
    for problem in result.problems:
        print(problem.describe("fi"))
    catalogue = result.catalogue
"""

from . import model
from .loading import load, load_data, validate
from .model import *  # noqa: F403 - the model classes are the public vocabulary
from .problems import Problem, ProblemError
from .validate import LoadResult

__version__ = "0.1.0"
__all__ = ["load", "load_data", "validate", "LoadResult", "Problem", "ProblemError"]
__all__ += model.__all__  # the form type checkers follow
