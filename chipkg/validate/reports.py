"""A validation Outcome written as text, Turtle, JSON or JUnit XML."""

import json
from xml.etree import ElementTree as ET

from ..namespaces import PREFIXES
from .problems import Problem
from .quotes import CHECK as QUOTE_CHECK
from .run import Outcome

FORMATS = ("text", "turtle", "json", "junit")


def render(outcome: Outcome, fmt: str) -> str:
    return {"text": as_text, "turtle": as_turtle, "json": as_json, "junit": as_junit}[fmt](outcome)


def _summary(outcome: Outcome) -> str:
    c = outcome.counts
    violations = sum(p.is_violation for p in outcome.problems)
    warnings = len(outcome.problems) - violations
    verdict = "conforms" if outcome.conforms else "does not conform"
    return (f"{verdict}: {violations} violation(s), {warnings} warning(s); checked "
            f"{c['files']} file(s), {c['triples']} triples, {c['claims']} claims, "
            f"{c['deals']} deals, {c['quotes_verified']} quotes against their sources")


def as_text(outcome: Outcome) -> str:
    return "".join(f"{p}\n" for p in outcome.problems) + _summary(outcome) + "\n"


def as_turtle(outcome: Outcome) -> str:
    report = outcome.report
    for prefix, namespace in PREFIXES.items():
        report.bind(prefix, namespace)
    return report.serialize(format="turtle")


def as_json(outcome: Outcome) -> str:
    return json.dumps({
        "conforms": outcome.conforms,
        "counts": outcome.counts,
        "problems": [p.as_dict() for p in outcome.problems],
        "summary": _summary(outcome),
    }, indent=2, ensure_ascii=False) + "\n"


def _family(problem: Problem) -> str:
    return "quote verification" if problem.check == QUOTE_CHECK else "SHACL shapes"


def as_junit(outcome: Outcome) -> str:
    """One failed test case per violation, so any CI lists each one.

    Each check family also gets a passing case when it found nothing, so a clean
    run shows what ran instead of an empty suite; warnings go to its output.
    """
    suite = ET.Element("testsuite", name="chipkg validate")
    violations = [p for p in outcome.problems if p.is_violation]
    for problem in violations:
        case = ET.SubElement(suite, "testcase", classname=problem.check,
                             name=f"{problem.focus} {problem.path or ''}".strip())
        ET.SubElement(case, "failure", message=problem.message, type=problem.check).text = str(problem)
    for family in ("SHACL shapes", "quote verification"):
        if not any(_family(p) == family for p in violations):
            case = ET.SubElement(suite, "testcase", classname="chipkg", name=family)
            warnings = [str(p) for p in outcome.problems if _family(p) == family]
            if warnings:
                ET.SubElement(case, "system-out").text = "\n".join(warnings)
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(len(violations)))
    suite.set("errors", "0")
    ET.SubElement(suite, "system-out").text = _summary(outcome)
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
