"""The W3C SPARQL 1.1 Protocol tests (sparql11/protocol/manifest.ttl), request by request.

The manifest describes each test as HTTP requests (method, path, headers, body and its
encoding) with the expected status class, answer format and boolean; this reads it and
sends each request to /sparql through Flask's test client, over a store holding the
test's graphs. The update tests expect an update operation; chipkg has none (read-only by
design, SECURITY.md), so those are expected to fail with 403, and the test checks that.
"""

import io

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.query import Result

from chipkg.formats import FORMATS
from chipkg.server import create_app
from chipkg.server.dataset import dataset_of

from w3c_runner import SETTINGS
from w3c_suite import BASE, HERE, MF, entries

HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
# the update operation: refused by design (read-only endpoint), answered 403
READ_ONLY = {"update_dataset_default_graph", "update_dataset_default_graphs",
             "update_dataset_named_graphs", "update_dataset_full", "update_post_form",
             "update_post_direct", "update_base_uri"}
FORMATS_OF = {"boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
              "tabular": {f.media_type for f in FORMATS if f.kind == "results"},
              "RDF": {f.media_type for f in FORMATS if f.kind == "graph"}}

_graph = Graph().parse(HERE / "protocol" / "manifest.ttl", format="turtle",
                       publicID=BASE + "protocol/manifest.ttl")


def _requests(test):
    action = _graph.value(test, MF.action)
    for request in Collection(_graph, _graph.value(action, HT.requests)):
        headers = {}
        if (head := _graph.value(request, HT.headers)) is not None:
            for header in Collection(_graph, head):
                headers[str(_graph.value(header, HT.fieldName))] = str(_graph.value(header, HT.fieldValue))
        body = _graph.value(request, HT.body)
        data = None
        if body is not None:
            encoding = str(_graph.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(_graph.value(body, CNT.chars)).encode(encoding)
        response = _graph.value(request, HT.resp)
        yield {
            "method": str(_graph.value(request, HT.methodName)),
            "path": str(_graph.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
            "headers": headers, "data": data,
            "statuses": {str(s).rsplit("StatusCode", 1)[1][0] for s in
                         _graph.objects(response, MF.expectedStatus)},
            "format": _graph.value(response, MF.expectedFormat),
            "boolean": _graph.value(response, MF.expectedBoolean),
        }


def _store(test) -> ox.Store:
    store = ox.Store()
    for data in _graph.objects(test, UT.graphData):
        path = HERE / str(_graph.value(data, UT.graph))[len(BASE):]
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=ox.NamedNode(str(_graph.value(data, RDFS.label))))
    return store


TESTS = [(str(t).rsplit("#", 1)[1], t) for t in entries(_graph)]


def test_the_suite_is_all_there():
    assert len(TESTS) == 34 and READ_ONLY <= {name for name, _ in TESTS}


@pytest.mark.parametrize("name, test", TESTS, ids=[name for name, _ in TESTS])
def test_protocol(name, test):
    client = create_app(SETTINGS, dataset_of(_store(test))).test_client()
    for request in _requests(test):
        response = client.open(request["path"], method=request["method"], data=request["data"],
                               headers=request["headers"])
        status = str(response.status_code)
        if name in READ_ONLY:
            assert response.status_code == 403 and b"read-only" in response.data
            return
        assert status[0] in request["statuses"], response.get_data(as_text=True)
        if request["format"] is not None:
            assert response.mimetype in FORMATS_OF[str(request["format"])], response.mimetype
        if request["boolean"] is not None:
            fmt = "json" if response.mimetype.endswith("json") else "xml"
            result = Result.parse(io.BytesIO(response.data), format=fmt)
            assert result.askAnswer == request["boolean"].toPython()
