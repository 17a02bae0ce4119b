# expect: cksh:attestationOfClaim ex:attestation-loose
# An attestation supports exactly one claim; one no claim points to is support for nothing.
PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX ev: <https://w3id.org/chipkg/evidence#>
PREFIX ex: <https://example.org/test/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

INSERT DATA {
  ex:attestation-loose a ck:Attestation ; prov:wasDerivedFrom ex:wire ;
      ck:evidenceLevel ev:Reported ; ck:confidence 0.6 ; ck:hasQuote ex:quote-move .
}
