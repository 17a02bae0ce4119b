"""Refuse shapes an engine would silently half-check.

SHACL says a processor ignores what it does not understand, so an engine that
lacks a constraint kind reports "conforms" for the rule it never ran (pyrudof
did exactly that with SPARQL targets here). chipkg instead lists, per engine,
the SHACL terms it is known to implement (the W3C suite run in
tests/w3c_shacl/ backs each list) and stops with exit 2 on anything else in
the `sh:` namespace, a misspelt parameter included.
"""

import pyoxigraph as ox

from ..errors import UnusableInput

SH = "http://www.w3.org/ns/shacl#"

# Terms that select, name or describe rather than constrain: every engine reads
# or may ignore them without changing which results are found.
STRUCTURE = {
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target", "path",
    "alternativePath", "inversePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath",
    "severity", "message", "deactivated", "name", "description", "order", "group",
    "defaultValue", "declare", "prefix", "namespace", "prefixes", "select", "ask", "labelTemplate",
    "shapesGraph", "suggestedShapesGraph", "entailment", "parameter", "optional", "validator",
    "nodeValidator", "propertyValidator", "flags", "ignoredProperties", "qualifiedMinCount",
    "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "conforms", "result", "focusNode",
    "resultPath", "resultSeverity", "resultMessage", "sourceShape", "sourceConstraintComponent",
    "sourceConstraint", "value", "detail", "conformanceDisallows",
}
CORE = {
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
    "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "languageIn",
    "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or", "xone",
    "node", "property", "qualifiedValueShape", "closed", "hasValue", "in",
}
SPARQL = {"sparql"}
# Classes whose instances are checks: custom components and SHACL-AF targets.
KINDS = {"ConstraintComponent", "SPARQLTarget", "SPARQLTargetType", "SPARQLConstraint",
         "SPARQLAskValidator", "SPARQLSelectValidator"}

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PLAIN_CLASSES = {"NodeShape", "PropertyShape", "Shape", "Violation", "Warning", "Info", "Severity",
                 "ValidationReport", "ValidationResult", "PrefixDeclaration", "Parameter",
                 "IRI", "BlankNode", "Literal", "BlankNodeOrIRI", "BlankNodeOrLiteral", "IRIOrLiteral"}

SUPPORTED = {
    # terms / classes each engine implements (see tests/w3c_shacl/expected-failures.toml)
    "shacl": (CORE | SPARQL, KINDS),
    "pyshacl": (CORE | SPARQL, KINDS),
}


def check_supported(shapes: list[ox.Quad], engine: str) -> None:
    """Raise UnusableInput naming every SHACL term `engine` would not check.

    Only nodes that are shapes (they use some SHACL term an engine reads) are
    looked at: a shapes file may hold data too, where an `sh:` term means nothing.
    """
    terms, kinds = SUPPORTED[engine]
    known = terms | STRUCTURE | CORE | SPARQL
    used: dict = {}
    for quad in shapes:
        predicate = quad.predicate.value
        if predicate.startswith(SH):
            used.setdefault(quad.subject, set()).add(predicate[len(SH):])
    unknown = {f"sh:{local}" for names in used.values() if names & known for local in names
               if local not in terms and local not in STRUCTURE}
    for quad in shapes:
        if quad.predicate.value == RDF_TYPE and isinstance(quad.object, ox.NamedNode) \
                and quad.object.value.startswith(SH):
            local = quad.object.value[len(SH):]
            if local not in kinds and local not in PLAIN_CLASSES:
                unknown.add(f"sh:{local}")
    if unknown:
        raise UnusableInput(
            f"the shapes use {', '.join(sorted(unknown))}, which the {engine} SHACL engine does not "
            "check; refusing to report conformance for rules that would not run (fix the shapes, "
            "or choose another --engine)")
