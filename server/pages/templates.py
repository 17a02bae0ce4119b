"""The HTML of the pages: plain server-rendered Jinja templates, no script, no CDN.

Kept here as strings and loaded through a DictLoader, so the package needs no
data files; names end in .html, so Jinja escapes every value.
"""

BASE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}chipkg{% endblock %}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }
textarea { width: 100%; font: 13px/1.4 ui-monospace, monospace; }
pre { background: #f5f5f5; padding: .6rem; overflow-x: auto; font-size: 13px; }
table { border-collapse: collapse; font-size: 13px; } td, th { border: 1px solid #ccc; padding: .2rem .4rem; vertical-align: top; text-align: left; }
th { background: #eee; } .lit { color: #064; } .meta { color: #666; font-size: 13px; }
.truncated { background: #fff3cd; border: 1px solid #e0b000; padding: .5rem; }
nav a { margin-right: 1rem; }
</style></head><body>
<nav><a href="{{ url_for('pages.index') }}">query</a><a href="{{ url_for('queries.index') }}">stored queries</a>
<a href="{{ url_for('sparql.sparql', format='turtle') }}">service description</a>
<a href="{{ url_for('description.void') }}">VoID</a><a href="{{ url_for('ops.health') }}">health</a></nav>
{% block body %}{% endblock %}
</body></html>"""

INDEX = """{% extends "base.html" %}
{% block body %}
<h1>chipkg SPARQL endpoint</h1>
<p class="meta">{{ triples }} triples in {{ graphs }} named graphs (the default graph is
{{ "the union of all graphs" if union else "the store's default graph" }}). Read-only; queries stop
after {{ timeout }} s; answers are cut at {{ max_rows }} rows, and a cut is always marked.</p>
<form method="post" action="{{ url_for('sparql.sparql') }}">
<textarea name="query" rows="14" spellcheck="false">{{ query }}</textarea>
<p><label>Answer as <select name="format">
<option value="html">HTML table</option>
{% for f in formats %}<option value="{{ f.name }}">{{ f.name }} ({{ f.media_type }})</option>{% endfor %}
</select></label> <button type="submit">Run query</button></p>
</form>
<h2>Stored queries</h2>
<ul>{% for q in queries %}<li><a href="{{ url_for('queries.show', name=q.name) }}">{{ q.title }}</a></li>{% endfor %}</ul>
<p class="meta">Protocol: GET or POST <code>{{ url_for('sparql.sparql', _external=True) }}</code> (SPARQL 1.1 Protocol).
Operations: <a href="{{ url_for('ops.version') }}">version</a>, <a href="{{ url_for('ops.metrics') }}">metrics</a>.</p>
{% endblock %}"""

TABLE = """{% if table.truncated %}<p class="truncated"><strong>Truncated:</strong> only the first {{ max_rows }}
{{ "triples" if table.turtle is not none else "rows" }} are shown; the answer has more. Add LIMIT/OFFSET or narrow the
query. (Machine-readable: response header <code>Chipkg-Truncated: true</code>.)</p>{% endif %}
{% if table.boolean is not none %}<p><strong>{{ "true" if table.boolean else "false" }}</strong></p>
{% elif table.turtle is not none %}<pre>{{ table.turtle }}</pre>
{% else %}<p class="meta">{{ table.rows|length }} row{{ "" if table.rows|length == 1 else "s" }}{{ " (cut)" if table.truncated }} in {{ "%.1f"|format(seconds * 1000) }} ms</p>
<table><tr>{% for v in table.variables %}<th>?{{ v }}</th>{% endfor %}</tr>
{% for row in cells %}<tr>{% for text, href, is_literal in row %}<td{% if is_literal %} class="lit"{% endif %}>
{%- if href %}<a href="{{ href }}">{{ text }}</a>{% else %}{{ text }}{% endif %}</td>{% endfor %}</tr>
{% endfor %}</table>{% endif %}"""

RESULTS = """{% extends "base.html" %}
{% block title %}Results · chipkg{% endblock %}
{% block body %}
<h1>Results</h1>
<pre>{{ query }}</pre>
{% include "table.html" %}
{% if links %}<p class="meta">Download: {% for name, href in links %}<a href="{{ href }}">{{ name }}</a> {% endfor %}</p>{% endif %}
{% endblock %}"""

QUERIES = """{% extends "base.html" %}
{% block title %}Stored queries · chipkg{% endblock %}
{% block body %}
<h1>Stored queries</h1>
<p class="meta">Also as JSON: <a href="{{ url_for('queries.index', format='json') }}">{{ url_for('queries.index', format='json') }}</a></p>
<dl>{% for q in queries %}<dt><a href="{{ url_for('queries.show', name=q.name) }}">{{ q.title }}</a></dt>
<dd>{{ q.description }}{% if q.params %} <span class="meta">Parameters: {% for p in q.params %}{{ p.name }}{{ ", " if not loop.last }}{% endfor %}</span>{% endif %}</dd>{% endfor %}</dl>
{% endblock %}"""

QUERY = """{% extends "base.html" %}
{% block title %}{{ q.title }} · chipkg{% endblock %}
{% block body %}
<h1>{{ q.title }}</h1>
<p>{{ q.description }}</p>
{% if q.params %}<form method="get" action="{{ url_for('queries.show', name=q.name) }}">
{% for p in q.params %}<p><label>{{ p.name }} ({{ p.kind }}) <input name="{{ p.name }}" value="{{ values.get(p.name, p.default) }}" size="50"></label>
<span class="meta">{{ p.description }}</span></p>{% endfor %}
<p><button type="submit">Run</button></p></form>{% endif %}
<details><summary>SPARQL</summary><pre>{{ q.text }}</pre></details>
{% include "table.html" %}
{% if links %}<p class="meta">Download: {% for name, href in links %}<a href="{{ href }}">{{ name }}</a> {% endfor %}</p>{% endif %}
{% endblock %}"""

TEMPLATES = {"base.html": BASE, "index.html": INDEX, "table.html": TABLE, "results.html": RESULTS,
             "queries.html": QUERIES, "query.html": QUERY}
