# expect: cksh:DeclaredTermShape ck:partyOf
# A misspelt or invented ck: term is caught.
PREFIX ck: <https://w3id.org/chipkg/ontology#>
PREFIX ex: <https://example.org/test/>

INSERT DATA { ex:deal ck:partyOf ex:lab }
