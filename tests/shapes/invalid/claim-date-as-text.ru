# expect: cksh:partialDate ex:claim-deal
# Dates are xsd:date, gYearMonth or gYear.
PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX ev: <https://w3id.org/chipkg/evidence#>
PREFIX ex: <https://example.org/test/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

DELETE DATA { ex:claim-deal ck:eventDate "2026-03-03"^^xsd:date } ; INSERT DATA { ex:claim-deal ck:eventDate "3 March 2026" }