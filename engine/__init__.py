"""ecoassess: check a city's or county's measured values against an ecological-civilization
demonstration-zone criteria set, and report what passes, what fails and what is missing.

Typical use::

    from engine import evaluate, load_criteria, load_data, render, search_path

    criteria = load_criteria("yunnan_2014", search_path())
    report = evaluate(criteria, load_data(Path("baoshan.yaml"), criteria))
    print(render(report, criteria, "md"))
"""

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.loader import load_criteria, load_path, search_path
from engine.data.record import DataFile
from engine.data.sources import load_data
from engine.errors import CriteriaError, CriteriaNotFoundError, DataError, EcoassessError
from engine.evaluation.evaluator import evaluate
from engine.evaluation.results import ItemResult, Report
from engine.reports.render import render

__all__ = [
    "CompiledCriteria",
    "CriteriaError",
    "CriteriaNotFoundError",
    "DataError",
    "DataFile",
    "EcoassessError",
    "ItemResult",
    "Report",
    "evaluate",
    "load_criteria",
    "load_data",
    "load_path",
    "render",
    "search_path",
]
