# expect: cksh:ClaimConflictShape ex:claim-move
# The compiler writes ck:inConflict as a boolean; "yes" is not one.
PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX ev: <https://w3id.org/chipkg/evidence#>
PREFIX ex: <https://example.org/test/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>

INSERT DATA {
  ex:claim-move ck:hasAttestation ex:attestation-move ; ck:derivationNote "one attestation"@en ;
      ck:inConflict "yes" .
  ex:attestation-move a ck:Attestation ; prov:wasDerivedFrom ex:wire ;
      ck:evidenceLevel ev:Reported ; ck:confidence 0.6 ; ck:hasQuote ex:quote-move .
}
