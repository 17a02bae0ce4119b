# expect: cksh:claimDerivationNote ex:claim-move
# A claim with attestations gets its level from the compiler, which always leaves its note.
PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX ev: <https://w3id.org/chipkg/evidence#>
PREFIX ex: <https://example.org/test/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

INSERT DATA {
  ex:claim-move ck:hasAttestation ex:attestation-move .
  ex:attestation-move a ck:Attestation ; prov:wasDerivedFrom ex:wire ;
      ck:evidenceLevel ev:Reported ; ck:confidence 0.6 ; ck:hasQuote ex:quote-move .
}
