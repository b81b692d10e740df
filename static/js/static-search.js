// Search in the static copy of the site: the live search's own index,
// written as files by publish/search_index.py (read its docstring for the
// layout), searched here. It finds what the live search finds: the query
// becomes terms exactly as portal/text.py query_terms() makes them, and
// the matching is search/query.py's (every word must match; a synonym's
// expansion is an alternative; names and their pinyin match first, then
// the rest, each in the records' own order). tests/publish/
// test_static_search.py holds it to the live search.
//
// Only the files a query needs are fetched: the manifest, the shards of its
// terms, and the documents of the page of results shown. Strings come from
// the page (#static-search-strings), in its language.
(function () {
  "use strict";
  var form = document.querySelector("[data-static-search]");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var strings = document.getElementById("static-search-strings");
  if (!form || !results || !strings || !window.fetch) return;
  var input = form.querySelector('input[name="q"]');
  var english = form.getAttribute("data-english") === "1";
  var pageSize = parseInt(form.getAttribute("data-page-size"), 10) || 20;
  var manifestUrl = form.getAttribute("data-search-index");
  var base = manifestUrl.replace(/[^/]*$/, "");
  var kindLabels = {};
  Array.prototype.forEach.call(strings.querySelectorAll("[data-kind]"), function (item) {
    kindLabels[item.getAttribute("data-kind")] = item.textContent;
  });
  function say(name) { return strings.getAttribute("data-" + name) || ""; }

  // --- The analyzer's query side (portal/text.py) -------------------------
  var MAX_QUERY_LENGTH = 200;
  var CJK = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2a6df}\\u{2a700}-\\u{2ebef}\\u{30000}-\\u{3134f}";
  var RUN = new RegExp("[" + CJK + "]+|[0-9a-z]+", "gu");
  var IS_CJK = new RegExp("^[" + CJK + "]", "u");
  var JOINERS = "\\-\\u2010\\u2012\\u2013\\u2014\\u2015\\u2212_\\u00b7\\u30fb\\/.";
  var FOLD = new RegExp("(?<=[a-z])[" + JOINERS + "](?=[0-9])|(?<=[0-9])[" + JOINERS + "](?=[a-z])", "gu");
  var JOINING_GAP = /^[\s\-\u2010-\u2015]{1,3}$/u;
  var WORD_CHARS = /^[0-9a-z]$/;
  var foldTable = {};

  function chars(text) { return Array.from(text); }
  function isCjk(text) { return IS_CJK.test(text); }
  var normalizedChar = {};
  function normalizeChar(ch) {
    if (!Object.prototype.hasOwnProperty.call(normalizedChar, ch)) normalizedChar[ch] = normalize(ch);
    return normalizedChar[ch];
  }
  function normalize(text) {
    var folded = text.normalize("NFKC").toLowerCase();
    var out = "";
    chars(folded).forEach(function (ch) { out += Object.prototype.hasOwnProperty.call(foldTable, ch) ? foldTable[ch] : ch; });
    return out;
  }
  function runs(normalized) { return normalized.replace(FOLD, "").match(RUN) || []; }

  function queryTerms(query) {
    var text = chars(normalize(chars(query).slice(0, MAX_QUERY_LENGTH * 2).join(""))).slice(0, MAX_QUERY_LENGTH).join("");
    var terms = [];
    var seen = {};
    runs(text).forEach(function (run) {
      if (seen[run]) return;
      seen[run] = true;
      var cs = chars(run);
      if (isCjk(run) && cs.length >= 2) {
        var tokens = [];
        for (var i = 0; i < cs.length - 1; i++) tokens.push(cs[i] + cs[i + 1]);
        terms.push({ text: run, tokens: tokens, prefix: false });
      } else {
        terms.push({ text: run, tokens: [run], prefix: true });
      }
    });
    return terms;
  }

  // search/query.py parse(): slots ANDed, each a list of alternatives.
  function parse(query, manifest) {
    return queryTerms(query).map(function (term) {
      var alternatives = [[term]];
      (manifest.synonyms[term.text] || []).forEach(function (expansion) { alternatives.push(expansion); });
      return alternatives;
    });
  }

  // --- Index files ----------------------------------------------------------
  var cache = {};
  function getJson(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(url + " " + response.status);
        return response.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }
  var manifestPromise = null;
  function loadManifest() {
    if (!manifestPromise) {
      manifestPromise = getJson(manifestUrl).then(function (manifest) {
        foldTable = manifest.fold;
        normalizedChar = {};
        return manifest;
      });
      manifestPromise.catch(function () { manifestPromise = null; });
    }
    return manifestPromise;
  }
  function folder(manifest) { return base + manifest.folder + "/"; }

  // 32-bit FNV-1a of the UTF-8 bytes (publish/search_index.py fnv1a).
  var encoder = new TextEncoder();
  function fnv1a(text) {
    var hash = 0x811c9dc5;
    var bytes = encoder.encode(text);
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }
  function termShard(manifest, routeKey) {
    return getJson(folder(manifest) + "terms/" + (fnv1a(routeKey) % manifest.term_shards) + ".json");
  }
  function positionShard(manifest, token) {
    return getJson(folder(manifest) + "positions/" + (fnv1a("=" + token) % manifest.position_shards) + ".json");
  }

  // A term's matches are a byte per document: MATCH when the term matches
  // it, NAME when it matches in the name or its pinyin (FTS5's head table).
  // Bytes, not lists: unions, intersections and the final order are then
  // single passes, however common the words.
  var MATCH = 1, NAME = 2;

  // A posting list (gaps × 2, +1 in the name) added into a byte map.
  function addPostings(map, list) {
    var number = 0;
    for (var i = 0; i < (list || []).length; i++) {
      number += Math.floor(list[i] / 2);
      map[number] |= list[i] % 2 ? MATCH | NAME : MATCH;
    }
    return map;
  }

  // The documents one term matches (FTS5's `"tok"*` for a prefix, the
  // phrase of its bigrams otherwise).
  function termMatches(manifest, term) {
    var size = manifest.documents;
    var limit = manifest.prefix_keys;
    if (term.prefix) {
      var cs = chars(term.text);
      if (isCjk(term.text) || cs.length <= limit) {
        return termShard(manifest, "<" + term.text).then(function (shard) {
          return addPostings(new Uint8Array(size), shard["<" + term.text]);
        });
      }
      return termShard(manifest, "<" + cs.slice(0, limit).join("")).then(function (shard) {
        var map = new Uint8Array(size);
        Object.keys(shard).forEach(function (key) {
          if (key.charAt(0) === "~" && key.slice(1).indexOf(term.text) === 0) addPostings(map, shard[key]);
        });
        return map;
      });
    }
    var lists = Promise.all(term.tokens.map(function (token) {
      return termShard(manifest, "=" + token).then(function (shard) { return addPostings(new Uint8Array(size), shard["=" + token]); });
    }));
    if (term.tokens.length === 1) return lists.then(function (maps) { return maps[0]; });
    return lists.then(function (maps) {
      var candidates = new Uint8Array(size), any = false;
      for (var n = 0; n < size; n++) {
        var every = true;
        for (var k = 0; k < maps.length && every; k++) every = maps[k][n] !== 0;
        if (every) { candidates[n] = 1; any = true; }
      }
      if (!any) return candidates;
      return Promise.all(term.tokens.map(function (token) {
        return positionShard(manifest, token).then(function (shard) { return positionsOf(shard[token], candidates); });
      })).then(function (places) { return phraseMatches(size, term.tokens.length, places); });
    });
  }
  // [gap, count, position gaps…]… → {document: Set of positions}, for the candidates only.
  function positionsOf(list, candidates) {
    var out = new Map(), number = 0, i = 0;
    list = list || [];
    while (i < list.length) {
      number += list[i];
      var count = list[i + 1];
      if (candidates[number]) {
        var place = 0, places = new Set();
        for (var j = 0; j < count; j++) { place += list[i + 2 + j]; places.add(place); }
        out.set(number, places);
      }
      i += 2 + count;
    }
    return out;
  }
  // Bigram k of the phrase at position p + 4k (the same column, adjacent).
  function phraseMatches(size, length, places) {
    var map = new Uint8Array(size);
    places[0].forEach(function (starts, number) {
      var others = [];
      for (var k = 1; k < length; k++) {
        if (!places[k].has(number)) return;
        others.push(places[k].get(number));
      }
      starts.forEach(function (start) {
        for (var k = 1; k < length; k++) if (!others[k - 1].has(start + 4 * k)) return;
        map[number] |= start % 4 < 2 ? MATCH | NAME : MATCH;
      });
    });
    return map;
  }

  function termKey(term) { return (term.prefix ? "*" : "=") + term.text; }

  // search/query.py matching(): the document numbers in result order (name
  // matches, then the rest, each in the documents' order) and how many
  // match anywhere.
  function matching(manifest, slots) {
    var terms = {};
    slots.forEach(function (slot) { slot.forEach(function (alt) { alt.forEach(function (t) { terms[termKey(t)] = t; }); }); });
    var keys = Object.keys(terms).sort();
    return Promise.all(keys.map(function (key) { return termMatches(manifest, terms[key]); })).then(function (found) {
      var byKey = {};
      keys.forEach(function (key, i) { byKey[key] = found[i]; });
      var size = manifest.documents;
      // Each bit on its own: the whole query in the name (NAME), and anywhere (MATCH).
      var result = new Uint8Array(size).fill(MATCH | NAME);
      slots.forEach(function (slot) {
        var anyOf = new Uint8Array(size);
        slot.forEach(function (alt) {
          var every = new Uint8Array(size).fill(MATCH | NAME);
          alt.forEach(function (t) {
            var map = byKey[termKey(t)];
            for (var n = 0; n < size; n++) every[n] &= map[n];
          });
          for (var n = 0; n < size; n++) anyOf[n] |= every[n];
        });
        for (var n = 0; n < size; n++) result[n] &= anyOf[n];
      });
      var names = [], rest = [];
      for (var n = 0; n < size; n++) {
        if (result[n] & NAME) names.push(n);
        else if (result[n] & MATCH) rest.push(n);
      }
      return names.concat(rest);
    });
  }

  // --- Showing results ------------------------------------------------------
  function kindOf(manifest, number) {
    var start = 0;
    for (var i = 0; i < manifest.kinds.length; i++) {
      start += manifest.kind_counts[i];
      if (number < start) return manifest.kinds[i];
    }
    return "";
  }
  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" }[c]; });
  }
  // portal/text.py highlight_spans() and search/highlight.py.
  function highlightSpans(text, needles) {
    if (!text || !needles.length) return [];
    var haystackChars = [], origin = [];
    var original = chars(text);
    original.forEach(function (ch, index) {
      var folded = chars(normalizeChar(ch));
      folded.forEach(function (f) { haystackChars.push(f); origin.push(index); });
    });
    var haystack = haystackChars.join("");
    var joins = {};
    var folds = new RegExp(FOLD.source, "gu"), match;
    var positions = chars(haystack);
    // Positions in code points.
    var cpIndex = [], cp = 0;
    for (var u = 0; u < haystack.length; u++) { cpIndex.push(cp); if (!(haystack.charCodeAt(u) >= 0xd800 && haystack.charCodeAt(u) < 0xdc00)) cp++; }
    while ((match = folds.exec(haystack)) !== null) joins[cpIndex[match.index]] = true;
    var boundaries = {};
    if (Object.keys(joins).length) {
      var kept = [], keptOrigin = [];
      positions.forEach(function (ch, i) {
        if (joins[i]) return;
        if (joins[i - 1]) boundaries[kept.length] = true;
        kept.push(ch); keptOrigin.push(origin[i]);
      });
      positions = kept; origin = keptOrigin;
    }
    function isWordChar(p) { return p >= 0 && p < positions.length && WORD_CHARS.test(positions[p]); }
    var spans = [];
    var unique = {};
    needles.forEach(function (n) { if (n) unique[n] = true; });
    Object.keys(unique).forEach(function (needle) {
      var needleChars = chars(needle);
      var latin = !isCjk(needle);
      for (var start = 0; start + needleChars.length <= positions.length; start++) {
        var hit = true;
        for (var k = 0; k < needleChars.length; k++) if (positions[start + k] !== needleChars[k]) { hit = false; break; }
        if (!hit) continue;
        var end = start + needleChars.length;
        var startsWord = boundaries[start] || !isWordChar(start - 1);
        var endsWord = boundaries[end] || !isWordChar(end);
        if (!latin || (startsWord && (needleChars.length > 1 || endsWord))) spans.push([origin[start], origin[end - 1] + 1]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(s[1], last[1]);
      else merged.push([s[0], s[1]]);
    });
    var joined = [];
    merged.forEach(function (s) {
      var last = joined[joined.length - 1];
      if (last && JOINING_GAP.test(original.slice(last[1], s[0]).join(""))) last[1] = s[1];
      else joined.push(s);
    });
    return joined;
  }
  function highlight(text, needles) {
    var original = chars(text);
    var out = "", position = 0;
    highlightSpans(text, needles).forEach(function (s) {
      out += escapeHtml(original.slice(position, s[0]).join("")) + "<mark>" + escapeHtml(original.slice(s[0], s[1]).join("")) + "</mark>";
      position = s[1];
    });
    return out + escapeHtml(original.slice(position).join(""));
  }
  // Python's str.find(" ", from, to) and str.rfind on a list of characters.
  function find(list, from, to) {
    for (var i = from; i < to; i++) if (list[i] === " ") return i;
    return -1;
  }
  function rfind(list, from, to) {
    for (var i = to - 1; i >= from; i--) if (list[i] === " ") return i;
    return -1;
  }
  // search/highlight.py snippet(), on the start of the description the index keeps.
  function snippet(text, needles, width, onWords, cut) {
    var all = chars(text);
    if (!all.length) return "";
    var spans = highlightSpans(text, needles);
    var first = spans.length ? spans[0][0] : 0;
    var start = Math.max(Math.min(first - Math.floor(width / 3), all.length - width), 0);
    var end = Math.min(start + width, all.length);
    if (onWords) {
      var space = find(all, start, first);
      if (start > 0 && all[start - 1] !== " " && space !== -1) start = space + 1;
      space = rfind(all, Math.max(first, start), end);
      if (end < all.length && all[end] !== " " && space !== -1) end = space;
    }
    var windowText = all.slice(start, end).join("").trim();
    return (start > 0 ? "…" : "") + highlight(windowText, needles) + (end < all.length || cut ? "…" : "");
  }

  // --- The page -------------------------------------------------------------
  var state = { query: "", kind: "", shown: pageSize };
  var ticket = 0;

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.query = (params.get("q") || "").slice(0, MAX_QUERY_LENGTH);
    state.kind = params.get("type") || "";
    input.value = state.query;
  }
  function addressFor(query, kind) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    if (kind) params.set("type", kind);
    var search = params.toString();
    return form.action.replace(/[?#].*$/, "") + (search ? "?" + search : "");
  }
  function countSentence(n, label) {
    var sentence = label ? say(n === 1 ? "found-kind-one" : "found-kind-many") : say(n === 1 ? "found-one" : "found-many");
    return sentence.replace("1000000", String(n)).replace("¤", label || "");
  }

  function run() {
    var mine = ++ticket;
    var query = state.query;
    if (!query.trim()) { results.innerHTML = ""; if (status) status.textContent = ""; return Promise.resolve(); }
    var started = performance.now();
    return loadManifest().then(function (manifest) {
      var slots = parse(query, manifest);
      if (!slots.length) {
        render(mine, '<p class="notice" data-search-count>' + escapeHtml(say("unsearchable")) + "</p>");
        return null;
      }
      return matching(manifest, slots).then(function (ordered) {
        var matched = performance.now();
        var counts = {};
        ordered.forEach(function (n) { var k = kindOf(manifest, n); counts[k] = (counts[k] || 0) + 1; });
        var kind = manifest.kinds.indexOf(state.kind) === -1 ? "" : state.kind;
        var list = kind ? ordered.filter(function (n) { return kindOf(manifest, n) === kind; }) : ordered;
        var page = list.slice(0, state.shown);
        var needles = [];
        slots.forEach(function (slot) { slot.forEach(function (alt) { alt.forEach(function (t) { needles.push(t.text); }); }); });
        var files = {};
        page.forEach(function (n) { files[Math.floor(n / manifest.docs_per_file)] = true; });
        return Promise.all(Object.keys(files).map(function (f) {
          return getJson(folder(manifest) + "docs/" + f + ".json").then(function (docs) { return [Number(f), docs]; });
        })).then(function (loaded) {
          var docs = {};
          loaded.forEach(function (pair) { docs[pair[0]] = pair[1]; });
          var html = resultsHtml(manifest, query, kind, counts, ordered.length, list.length, page, docs, needles);
          render(mine, html);
          results.setAttribute("data-search-match-ms", String(matched - started));
          results.setAttribute("data-search-total-ms", String(performance.now() - started));
        });
      });
    }).catch(function () {
      render(mine, '<p class="notice" data-search-count>' + escapeHtml(say("failed")) + "</p>");
    });
  }

  function resultsHtml(manifest, query, kind, counts, total, shown, page, docs, needles) {
    var label = kind ? kindLabels[kind] || kind : "";
    var html = '<h2 class="results-count" data-search-count>' + escapeHtml(countSentence(kind ? shown : total, label)) + "</h2>";
    var facetKinds = manifest.kinds.filter(function (k) { return counts[k]; });
    if (facetKinds.length) {
      html += '<ul class="chips facets" aria-label="' + escapeHtml(say("facets")) + '">';
      html += '<li><a class="chip' + (kind ? "" : " chip-active") + '" href="' + escapeHtml(addressFor(query, "")) + '" data-kind-filter=""' +
        (kind ? "" : ' aria-current="true"') + ">" + escapeHtml(say("all")) + " " + total + "</a></li>";
      facetKinds.forEach(function (k) {
        html += '<li><a class="chip' + (k === kind ? " chip-active" : "") + '" href="' + escapeHtml(addressFor(query, k)) + '" data-kind-filter="' + escapeHtml(k) + '"' +
          (k === kind ? ' aria-current="true"' : "") + ">" + escapeHtml(kindLabels[k] || k) + " " + counts[k] + "</a></li>";
      });
      html += "</ul>";
    }
    html += '<ol class="card-list search-results">';
    if (!page.length) html += '<li class="empty">' + escapeHtml(say("empty")) + "</li>";
    page.forEach(function (n) {
      var doc = docs[Math.floor(n / manifest.docs_per_file)][n % manifest.docs_per_file];
      var docKind = manifest.kinds[doc[0]];
      var url = (english ? "/en" : "") + doc[1];
      var title = english && doc[3]
        ? highlight(doc[3], needles) + ' <span lang="zh-Hans" class="alt-name">' + highlight(doc[2], needles) + "</span>"
        : highlight(doc[2], needles);
      var text = english ? doc[5] : doc[4];
      var cut = chars(text).length >= 240;
      var snip = english ? snippet(text, needles, 160, true, cut) : snippet(text, needles, 80, false, cut);
      html += '<li class="card" data-document="' + n + '"><h3 class="card-title"><a href="' + escapeHtml(url) + '">' + title + "</a></h3>" +
        '<p class="meta"><span class="badge">' + escapeHtml(kindLabels[docKind] || docKind) + "</span></p>" +
        (snip ? '<p class="snippet">' + snip + "</p>" : "") + "</li>";
    });
    html += "</ol>";
    if (shown > page.length) html += '<p><button type="button" class="more" data-search-more>' + escapeHtml(say("more")) + "</button></p>";
    return html;
  }

  function render(mine, html) {
    if (mine !== ticket) return;
    results.innerHTML = html;
    if (status) {
      var count = results.querySelector("[data-search-count]");
      status.textContent = count ? count.textContent.trim() : "";
    }
    results.setAttribute("data-search-query", state.query);
  }

  var timer = null, composing = false;
  function fromInput() {
    state.query = input.value.slice(0, MAX_QUERY_LENGTH);
    state.shown = pageSize;
    history.replaceState(null, "", addressFor(state.query, state.kind));
    run();
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(fromInput, 120); }

  input.addEventListener("compositionstart", function () { composing = true; clearTimeout(timer); });
  input.addEventListener("compositionend", function () { composing = false; schedule(); });
  input.addEventListener("input", function (event) {
    if (composing || event.isComposing) return;
    schedule();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    fromInput();
  });
  results.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-kind-filter], [data-search-more]") : null;
    if (!target) return;
    event.preventDefault();
    if (target.hasAttribute("data-search-more")) {
      state.shown += pageSize;
    } else {
      state.kind = target.getAttribute("data-kind-filter");
      state.shown = pageSize;
      history.replaceState(null, "", addressFor(state.query, state.kind));
    }
    run();
  });

  readUrl();
  run();
})();
