# expect: cksh:sourceSha256 ex:wire
# sha256 is 64 lowercase hex digits.
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

DELETE DATA { ex:wire ck:sha256 "a647217c632dd4c29a7f062193b08b1c930454cb4a07e22ec8d6ffc66d0d40a4" } ; INSERT DATA { ex:wire ck:sha256 "A647217C" }