// The static site's exhibit list (form[data-static-filters], rendered only
// by `make static`). Without this script the filters are links, one page
// per value, which the build renders. With it, the links give way to the
// live site's menus, and any combination of them filters in the browser
// over the list's data file (exhibits/filter-data.json, written by the
// build from the live list's own filters): the rows, the count, the
// chips, the pages and the address (?sector=…&kind=…) follow, so a
// filtered address can be shared and reloaded. Every sentence shown comes
// from the page, in its language.
(function () {
  "use strict";
  var form = document.querySelector("form[data-static-filters]");
  if (!form || !window.fetch || !window.URLSearchParams || !window.history.replaceState) return;
  var section = document.querySelector("section.results");
  var links = document.querySelector("[data-filter-links]");
  var list = section.querySelector(".exhibit-list");
  var count = section.querySelector(".results-count");
  var heading = document.querySelector("h1");
  var reset = form.querySelector("[data-reset]");
  var selects = form.querySelectorAll("select[name]");
  var texts = form.dataset;
  var pageSize = parseInt(texts.pageSize, 10);
  var dataUrl = new URL(texts.filterData, window.location.href);
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang) : null;
  var titleTail = document.title.slice(heading.textContent.length);
  var index = null;
  var positions = {}; // filter → value → its position in index.values
  var rowFiles = {}; // file number → a promise of its rows
  var generation = 0; // the latest choice: an earlier one's rows are dropped

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, name) {
      return values[name];
    });
  }

  function isDefault(select) {
    return select.value === "" || (select.name === "sort" && select.selectedIndex === 0);
  }

  function chosen() {
    var used = [];
    for (var i = 0; i < selects.length; i++) {
      if (!isDefault(selects[i])) used.push(selects[i]);
    }
    return used;
  }

  function query(used, page, leaveOut) {
    var params = new URLSearchParams();
    for (var i = 0; i < used.length; i++) {
      if (used[i] !== leaveOut) params.append(used[i].name, used[i].value);
    }
    if (page > 1) params.append("page", String(page));
    var text = params.toString();
    return texts.listPath + (text ? "?" + text : "");
  }

  function matches(used) {
    var tests = [];
    for (var i = 0; i < used.length; i++) {
      if (used[i].name === "sort") continue;
      var column = index.fields.indexOf(used[i].name);
      var value = (positions[used[i].name] || {})[used[i].value];
      if (column < 0 || value === undefined) return []; // a value no exhibit has
      tests.push([column, value]);
    }
    var sort = form.elements.sort ? form.elements.sort.value : "";
    var key = sort.replace(/^-/, "");
    var order = index.orders[key];
    if (!order) {
      order = [];
      for (var n = 0; n < index.records.length; n++) order.push(n);
    }
    if (sort.charAt(0) === "-") order = order.slice().reverse();
    return order.filter(function (record) {
      for (var t = 0; t < tests.length; t++) {
        if (index.records[record][tests[t][0]].indexOf(tests[t][1]) < 0) return false;
      }
      return true;
    });
  }

  function rows(records) {
    var wanted = {};
    records.forEach(function (record) {
      wanted[Math.floor(record / index.rows_per_file)] = true;
    });
    var files = Object.keys(wanted).map(function (number) {
      if (!rowFiles[number]) {
        rowFiles[number] = fetch(new URL(index.row_files[number], dataUrl)).then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + response.url);
          return response.json();
        });
      }
      return rowFiles[number].then(function (rows) {
        return [number, rows];
      });
    });
    return Promise.all(files).then(function (loaded) {
      var byFile = {};
      loaded.forEach(function (pair) {
        byFile[pair[0]] = pair[1];
      });
      return records.map(function (record) {
        return byFile[Math.floor(record / index.rows_per_file)][record % index.rows_per_file];
      });
    });
  }

  function chipList(used) {
    var old = section.querySelector("ul.chips");
    if (old) old.parentNode.removeChild(old);
    var filters = used.filter(function (select) {
      return select.name !== "sort";
    });
    if (!filters.length) return;
    var chips = document.createElement("ul");
    chips.className = "chips";
    chips.setAttribute("aria-label", texts.chipsLabel);
    filters.forEach(function (select) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.className = "chip";
      link.href = query(used, 1, select);
      var label = form.querySelector('label[for="' + select.id + '"]').textContent;
      link.appendChild(document.createTextNode(label + texts.colon + select.options[select.selectedIndex].text + " "));
      var cross = document.createElement("span");
      cross.setAttribute("aria-hidden", "true");
      cross.textContent = "×";
      var spoken = document.createElement("span");
      spoken.className = "visually-hidden";
      spoken.textContent = texts.remove;
      link.appendChild(cross);
      link.appendChild(spoken);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        select.value = "";
        show(1, true);
      });
      item.appendChild(link);
      chips.appendChild(item);
    });
    list.parentNode.insertBefore(chips, list);
  }

  function pagination(used, page, pages) {
    var old = section.querySelector("nav.pagination");
    if (old) old.parentNode.removeChild(old);
    if (pages < 2) return;
    var nav = document.createElement("nav");
    nav.className = "pagination";
    nav.setAttribute("aria-label", texts.paginationLabel);
    function step(number, rel, text) {
      var link = document.createElement("a");
      link.rel = rel;
      link.href = query(used, number);
      link.textContent = text;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        show(number, true);
        count.scrollIntoView();
      });
      return link;
    }
    if (page > 1) nav.appendChild(step(page - 1, "prev", texts.previous));
    var where = document.createElement("span");
    where.textContent = fill(texts.pageOf, { number: page, total: pages });
    nav.appendChild(where);
    if (page < pages) nav.appendChild(step(page + 1, "next", texts.next));
    list.parentNode.insertBefore(nav, list.nextSibling);
  }

  function downloads(used) {
    // The build writes the whole list's files and those of each single
    // filter (export~sector=x.csv); a combination has none of its own.
    var paragraph = section.querySelector(".downloads");
    if (!paragraph) return;
    paragraph.hidden = used.length > 1;
    var anchors = paragraph.querySelectorAll("a");
    for (var i = 0; i < anchors.length; i++) {
      var anchor = anchors[i];
      var suffix = used.length === 1 ? "~" + used[0].name + "=" + encodeURIComponent(used[0].value) : "";
      anchor.setAttribute("href", anchor.getAttribute("href").replace(/export(~[^/.]*)?\.(\w+)$/, "export" + suffix + ".$2"));
    }
  }

  function show(page, remember) {
    var used = chosen();
    var found = matches(used);
    var pages = Math.max(1, Math.ceil(found.length / pageSize));
    page = Math.min(Math.max(1, page || 1), pages);
    var mine = ++generation;
    var shown = found.slice((page - 1) * pageSize, page * pageSize);
    if (remember) window.history.replaceState(null, "", query(used, page));
    reset.hidden = used.length === 0;
    return rows(shown).then(function (html) {
      if (mine !== generation) return;
      list.innerHTML = html.length ? html.join("\n") : '<li class="empty"></li>';
      if (!html.length) list.firstChild.textContent = texts.empty;
      var n = found.length;
      var form_ = plural && plural.select(n) === "one" ? texts.countOne : texts.countOther;
      count.textContent = fill(form_, { n: n });
      count.setAttribute("data-result-count", String(n));
      var names = used
        .filter(function (select) {
          return select.name !== "sort";
        })
        .map(function (select) {
          return select.options[select.selectedIndex].text;
        });
      heading.textContent = names.concat([texts.heading]).join(" · ");
      document.title = heading.textContent + titleTail;
      chipList(used);
      pagination(used, page, pages);
      downloads(used);
    });
  }

  function fromAddress() {
    // ?sector=…&kind=…&page=2, as the live list reads it: an unknown
    // value is left out, as the live list ignores an invalid filter.
    var params = new URLSearchParams(window.location.search);
    var asked = false;
    for (var i = 0; i < selects.length; i++) {
      var select = selects[i];
      if (!params.has(select.name)) continue;
      asked = true;
      select.value = params.get(select.name);
      if (select.selectedIndex < 0) select.selectedIndex = 0;
    }
    var page = parseInt(params.get("page"), 10);
    return { asked: asked || params.has("page"), page: page > 0 ? page : 1 };
  }

  fetch(dataUrl)
    .then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.url);
      return response.json();
    })
    .then(function (data) {
      index = data;
      index.fields.forEach(function (name) {
        positions[name] = {};
        index.values[name].forEach(function (value, position) {
          positions[name][value] = position;
        });
      });
      var start = fromAddress();
      links.hidden = true;
      form.hidden = false;
      form.addEventListener("change", function () {
        show(1, true);
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        show(1, true);
      });
      reset.addEventListener("click", function (event) {
        event.preventDefault();
        for (var i = 0; i < selects.length; i++) selects[i].selectedIndex = 0;
        show(1, true);
      });
      if (start.asked) return show(start.page, false);
    })
    .catch(function (error) {
      // The links stay: every one leads to a page of its own.
      links.hidden = false;
      form.hidden = true;
      if (window.console) console.warn("static filters:", error);
    });
})();
