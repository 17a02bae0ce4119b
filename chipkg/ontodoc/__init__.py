"""Documentation of the ontology, generated from ontology/*.ttl with the project's own template.

Two pages, one per namespace the ontology mints, each with an anchor per term so
the hash IRIs resolve to their entry:

    ontology.html   https://w3id.org/chipkg/ontology#Claim      -> /ontology#Claim
    evidence.html   https://w3id.org/chipkg/evidence#Reported   -> /evidence#Reported

The pages depend only on the Turtle (everything sorted, no dates but the
ontology's own), so regenerating an unchanged ontology gives the same bytes: the
committed copies in docs/ are checked against a fresh generation by the tests.
`chipkg build` regenerates them; the server serves the same pages.
"""

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..rdfio import write_atomically
from .model import Documentation, document

PAGES = {"ontology": "ontology.html", "evidence": "evidence.html"}

__all__ = ["Documentation", "document", "render_pages", "write_pages", "PAGES"]


def _environment() -> Environment:
    return Environment(loader=PackageLoader("chipkg.ontodoc", "templates"),
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def render_pages(ontology_files: list[Path]) -> dict[str, str]:
    """The HTML of each page ("ontology", "evidence") for the given Turtle files."""
    docs = document(ontology_files)
    template = _environment().get_template("ontology.html")
    return {name: template.render(docs=docs, page=docs.pages[name], other=docs.pages[
        "evidence" if name == "ontology" else "ontology"]) for name in PAGES}


def write_pages(ontology_files: list[Path], folder: Path) -> list[Path]:
    """Write ontology.html and evidence.html into `folder`, each atomically."""
    written = []
    for name, html in render_pages(ontology_files).items():
        path = Path(folder) / PAGES[name]
        write_atomically(path, html.encode("utf-8"))
        written.append(path)
    return written
