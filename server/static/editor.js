/* The query page: CodeMirror 5 on the textarea, completion from this endpoint's own
 * terms (/-/terms), and queries run against /sparql with the results drawn in place.
 *
 * Rule: data from the server is never inserted as HTML. Every cell, label, message and
 * link is built with createElement + textContent / setAttribute (YASGUI's result
 * table had XSS from exactly that). No inline scripts: the page can run under a strict
 * Content-Security-Policy. Without this file the form still works (GET /query).
 */
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var textarea = document.getElementById("query");
  if (!form || !textarea || !window.CodeMirror) { return; }

  var endpoint = form.dataset.endpoint;
  var shareBase = form.dataset.share;
  var formats = { results: form.dataset.resultsFormats.split(" "),
                  graph: form.dataset.graphFormats.split(" ") };
  var extensions = JSON.parse(form.dataset.extensions || "{}");
  var examples = document.getElementById("examples");
  var statusLine = document.getElementById("status");
  var errorBox = document.getElementById("error");
  var truncated = document.getElementById("truncated");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var share = document.getElementById("share");
  var markedLine = null;
  // Other parameters of this page's URL (a dataset view such as min-evidence=REP) go with
  // every query, download and share link; the form's own fields do not.
  var OWN = ["query", "format", "example", "load"];
  var carried = new URLSearchParams(window.location.search);
  OWN.forEach(function (name) { carried.delete(name); });

  function withCarried(fields) {
    var params = new URLSearchParams(carried);
    Object.keys(fields).forEach(function (name) { params.set(name, fields[name]); });
    return params;
  }
  var vocabulary = { prefixes: {}, terms: [] };

  var editor = CodeMirror.fromTextArea(textarea, {
    mode: "application/sparql-query", lineNumbers: true, viewportMargin: Infinity,
    screenReaderLabel: "SPARQL query", lineWrapping: true,   // no scrolling region: axe wants those focusable
    // Tab and Shift-Tab leave the editor (no keyboard trap, WCAG 2.1.2); indent with spaces.
    extraKeys: { "Ctrl-Space": "autocomplete", "Ctrl-Enter": function () { run(); },
                 "Cmd-Enter": function () { run(); }, Tab: false, "Shift-Tab": false }
  });
  // The textarea stays the form field (for the share link and a plain submit).
  editor.on("change", function () { editor.save(); clearMark(); });

  fetch(form.dataset.terms, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : vocabulary; })
    .then(function (v) { vocabulary = v; })
    .catch(function () { /* completion stays empty; the editor still works */ });

  function declaredPrefixes(text) {
    var found = {}, re = /PREFIX\s+([A-Za-z][\w-]*)?:\s*</gi, m;
    while ((m = re.exec(text)) !== null) { found[m[1] || ""] = true; }
    return found;
  }

  CodeMirror.commands.autocomplete = function (cm) {
    cm.showHint({ hint: hint, completeSingle: false });
  };

  function hint(cm) {
    var cursor = cm.getCursor(), line = cm.getLine(cursor.line);
    var start = cursor.ch, end = cursor.ch;
    while (start > 0 && /[\w:.-]/.test(line.charAt(start - 1))) { start--; }
    var word = line.slice(start, end).toLowerCase();
    var list = [];
    Object.keys(vocabulary.prefixes).forEach(function (p) {
      if ((p + ":").indexOf(word) === 0 && word.indexOf(":") < 0) {
        list.push({ text: p + ":", displayText: p + ": <" + vocabulary.prefixes[p] + ">", prefix: p });
      }
    });
    vocabulary.terms.forEach(function (t) {
      var label = (t.label || "").toLowerCase();
      if (t.curie.charAt(0) === "<") { return; }
      if (t.curie.toLowerCase().indexOf(word) === 0 || (word.length > 1 && label.indexOf(word) >= 0)) {
        list.push({ text: t.curie, prefix: t.curie.split(":")[0], label: t.label, kinds: t.kinds,
                    render: renderHint });
      }
    });
    list.forEach(function (item) { item.hint = pick; });
    return { list: list.slice(0, 200), from: CodeMirror.Pos(cursor.line, start),
             to: CodeMirror.Pos(cursor.line, end) };
  }

  function renderHint(element, self, item) {
    element.appendChild(document.createTextNode(item.text));
    if (item.label) {
      var span = document.createElement("span");
      span.className = "term-label";
      span.textContent = item.label + " (" + item.kinds.join(", ") + ")";
      element.appendChild(span);
    }
  }

  // Picking a term whose prefix the query does not declare adds the PREFIX line too.
  function pick(cm, data, item) {
    cm.replaceRange(item.text, data.from, data.to);
    var p = item.prefix;
    if (p && vocabulary.prefixes[p] && !declaredPrefixes(cm.getValue())[p]) {
      cm.replaceRange("PREFIX " + p + ": <" + vocabulary.prefixes[p] + ">\n", CodeMirror.Pos(0, 0));
    }
  }

  examples.addEventListener("change", function () {
    var option = examples.options[examples.selectedIndex];
    if (option && option.dataset.query) { editor.setValue(option.dataset.query); }
  });

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.id === "load") {
      event.preventDefault();           // the change handler has loaded it already
      var option = examples.options[examples.selectedIndex];
      if (option && option.dataset.query) { editor.setValue(option.dataset.query); }
      return;
    }
    if (document.getElementById("format").value !== "html") { return; }  // a download: plain GET
    event.preventDefault();
    run();
  });

  function clearMark() {
    if (markedLine !== null) { editor.removeLineClass(markedLine, "wrap", "cm-error-line"); }
    markedLine = null;
  }

  function setStatus(text) { statusLine.textContent = text; }

  function run() {
    editor.save();
    var query = editor.getValue();
    clearMark();
    errorBox.hidden = true;
    truncated.hidden = true;
    setStatus("Running…");
    share.setAttribute("href", shareBase + "?" + withCarried({ query: query }).toString());
    var began = performance.now();
    var view = withCarried({}).toString();
    fetch(endpoint + (view ? "?" + view : ""), { method: "POST", body: new URLSearchParams({ query: query }),
                      headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9, application/json;q=0.5" } })
      .then(function (response) {
        return response.text().then(function (text) {
          var ms = performance.now() - began;
          if (!response.ok) { showError(response.status, text); return; }
          var cut = response.headers.get("Chipkg-Truncated") === "true";
          var type = (response.headers.get("Content-Type") || "").split(";")[0];
          if (type === "text/turtle") {
            showGraph(text, ms, cut, query);
          } else {
            showTable(JSON.parse(text), ms, cut, query);
          }
        });
      })
      .catch(function (error) { showError(0, String(error)); });
  }

  function showError(status, text) {
    var message = text;
    try { message = JSON.parse(text).error || text; } catch (e) { /* plain text error */ }
    clear(results);
    downloads.hidden = true;
    clear(errorBox);
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = (status || "error") + ": ";
    p.appendChild(strong);
    p.appendChild(document.createTextNode(message));
    errorBox.appendChild(p);
    var at = /\bat (\d+):(\d+)/.exec(message);
    if (at) {
      var line = parseInt(at[1], 10) - 1, column = parseInt(at[2], 10) - 1;
      if (line >= 0 && line < editor.lineCount()) {
        markedLine = line;
        editor.addLineClass(line, "wrap", "cm-error-line");
        editor.setCursor(CodeMirror.Pos(line, Math.max(column, 0)));
        var where = document.createElement("p");
        where.textContent = "Line " + (line + 1) + ", column " + (column + 1) + " is marked in the editor.";
        errorBox.appendChild(where);
      }
    }
    errorBox.hidden = false;
    setStatus("Failed.");
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function showDownloads(kind, query) {
    clear(downloads);
    downloads.appendChild(document.createTextNode("Download: "));
    formats[kind].forEach(function (name) {
      var a = document.createElement("a");
      a.setAttribute("href", endpoint + "?" + withCarried({ query: query, format: name }).toString());
      a.setAttribute("data-format", name);
      a.setAttribute("download", "chipkg-results." + (extensions[name] || name));
      a.textContent = name;
      downloads.appendChild(a);
      downloads.appendChild(document.createTextNode(" "));
    });
    downloads.hidden = false;
  }

  function timing(count, ms, cut) {
    setStatus(count + " in " + ms.toFixed(1) + " ms" + (cut ? " (cut)" : ""));
    truncated.hidden = !cut;
  }

  function showGraph(text, ms, cut, query) {
    clear(results);
    var pre = document.createElement("pre");
    pre.textContent = text;
    results.appendChild(pre);
    timing("graph", ms, cut);
    showDownloads("graph", query);
  }

  function showTable(data, ms, cut, query) {
    clear(results);
    showDownloads("results", query);
    if (typeof data.boolean === "boolean") {
      var strong = document.createElement("strong");
      strong.textContent = String(data.boolean);
      results.appendChild(strong);
      timing("ASK", ms, cut);
      return;
    }
    var vars = data.head.vars, rows = data.results.bindings;
    var table = document.createElement("table");
    table.className = "results";
    var head = table.createTHead().insertRow();
    vars.forEach(function (v) {
      var th = document.createElement("th");
      th.setAttribute("scope", "col");
      th.textContent = "?" + v;
      head.appendChild(th);
    });
    var body = table.createTBody(), iris = {};
    rows.forEach(function (row) {
      var tr = body.insertRow();
      vars.forEach(function (v) {
        var td = tr.insertCell(), term = row[v];
        if (!term) { return; }
        if (term.type === "uri") {
          td.className = "iri";
          var a = document.createElement("a");
          a.setAttribute("href", term.value);
          a.dataset.iri = term.value;
          a.textContent = shorten(term.value);
          a.setAttribute("title", term.value);
          td.appendChild(a);
          iris[term.value] = true;
        } else if (term.type === "literal" || term.type === "typed-literal") {
          td.className = "literal";
          td.textContent = term.value;
          var note = term["xml:lang"] ? "@" + term["xml:lang"] :
            (term.datatype && !/#string$/.test(term.datatype) ? shorten(term.datatype) : "");
          if (note) {
            var span = document.createElement("span");
            span.className = "note";
            span.textContent = " " + note;
            td.appendChild(span);
          }
        } else {
          td.className = "bnode";
          td.textContent = "_:" + term.value;
        }
      });
    });
    results.appendChild(table);
    timing(rows.length + (rows.length === 1 ? " row" : " rows"), ms, cut);
    label(table, Object.keys(iris));
  }

  function shorten(iri) {
    var best = null;
    Object.keys(vocabulary.prefixes).forEach(function (p) {
      var ns = vocabulary.prefixes[p];
      if (iri.indexOf(ns) === 0 && iri.length > ns.length && (!best || ns.length > best[1].length)) {
        best = [p, ns];
      }
    });
    return best ? best[0] + ":" + iri.slice(best[1].length) : "<" + iri + ">";
  }

  // Labels and entity-page links come from /-/labels; until then cells show the short IRI.
  function label(table, iris) {
    if (!iris.length) { return; }
    fetch(form.dataset.labels, { method: "POST", body: JSON.stringify({ iris: iris.slice(0, 1000) }),
                                 headers: { "Content-Type": "application/json", Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { labels: {}, links: {} }; })
      .then(function (found) {
        table.querySelectorAll("a[data-iri]").forEach(function (a) {
          var iri = a.dataset.iri;
          if (found.labels[iri]) { a.textContent = found.labels[iri]; }
          if (found.links[iri]) { a.setAttribute("href", found.links[iri]); }
        });
      })
      .catch(function () { /* short IRIs stay */ });
  }
}());
