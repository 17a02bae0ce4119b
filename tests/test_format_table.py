"""The one format table: names, media types and W3C format IRIs are unique and real."""

from chipkg.formats import FORMATS, W3C_FORMATS


def test_names_and_media_types_are_unique():
    assert len({f.name for f in FORMATS}) == len(FORMATS)
    media_types = [m for f in FORMATS for m in (f.media_type, *f.aliases)]
    assert len(set(media_types)) == len(media_types)


def test_every_format_has_a_w3c_format_iri():
    iris = [f.service_description_iri for f in FORMATS]
    assert all(iri.startswith(W3C_FORMATS) for iri in iris), iris
    assert len(set(iris)) == len(iris)
