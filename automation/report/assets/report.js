// Filters for the report: status chips, type and category selects, free-text search.
// Plain JavaScript with no network access, so the file works offline.
(function () {
  "use strict";
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".group"));
  var chips = Array.prototype.slice.call(document.querySelectorAll(".chip"));
  var typeSelect = document.getElementById("filter-type");
  var categorySelect = document.getElementById("filter-category");
  var search = document.getElementById("filter-text");
  var shown = document.getElementById("shown-count");
  var noMatch = document.getElementById("no-match");
  var status = "all";

  function matches(card) {
    var statuses = (card.getAttribute("data-status") || "").split(" ");
    var text = search.value.trim().toLowerCase();
    return (status === "all" || statuses.indexOf(status) >= 0) &&
      (!typeSelect.value || card.getAttribute("data-type") === typeSelect.value) &&
      (!categorySelect.value || card.getAttribute("data-category") === categorySelect.value) &&
      (!text || (card.getAttribute("data-search") || "").indexOf(text) >= 0);
  }

  function apply() {
    var visible = 0;
    cards.forEach(function (card) {
      var show = matches(card);
      card.hidden = !show;
      if (show) { visible += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector(".card:not([hidden])");
    });
    shown.textContent = "Showing " + visible + " of " + cards.length + " creatives";
    noMatch.hidden = visible > 0 || cards.length === 0;
  }

  chips.forEach(function (chip) {
    chip.addEventListener("click", function () {
      status = chip.getAttribute("data-status");
      chips.forEach(function (other) {
        other.setAttribute("aria-pressed", other === chip ? "true" : "false");
      });
      apply();
    });
  });
  [typeSelect, categorySelect].forEach(function (el) { el.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  apply();
})();

// Sorting: the cards by a performance figure, and each per-attribute table by any column.
// Ranked lines come first, then small samples, then lines without stats: a small sample is
// shown but never placed among the ranked ones.
(function () {
  "use strict";
  var grid = document.getElementById("cards");
  var sortSelect = document.getElementById("sort-cards");
  var groups = Array.prototype.slice.call(grid.querySelectorAll(".group"));
  groups.forEach(function (group, index) { group.setAttribute("data-order", String(index)); });

  function number(el, key) {
    var text = el.getAttribute("data-" + key);
    return text === null || text === "" ? null : parseFloat(text);
  }

  function compareBy(key, descending) {
    return function (a, b) {
      var tier = number(a, "tier") - number(b, "tier");
      if (tier !== 0) { return tier; }
      var x = number(a, key), y = number(b, key);
      if (x === null || y === null) {
        if (x !== y) { return x === null ? 1 : -1; }
      } else if (x !== y) {
        return descending ? y - x : x - y;
      }
      return number(a, "order") - number(b, "order");
    };
  }

  function sortCards() {
    var choice = sortSelect.value;
    var order = groups.slice();
    if (choice) {
      var parts = choice.split("-");
      order.sort(compareBy(parts[0], parts[1] === "desc"));
    } else {
      order.sort(function (a, b) { return number(a, "order") - number(b, "order"); });
    }
    order.forEach(function (group) { grid.appendChild(group); });
  }

  function sortTable(table, column, type) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var head = heads[column];
    var descending = head.getAttribute("aria-sort") !== "descending";
    heads.forEach(function (th) { th.removeAttribute("aria-sort"); });
    head.setAttribute("aria-sort", descending ? "descending" : "ascending");
    Array.prototype.slice.call(table.tBodies).forEach(function (body) {
      var rows = Array.prototype.slice.call(body.querySelectorAll("tr:not(.small-head)"));
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-value");
        var y = b.cells[column].getAttribute("data-value");
        if (x === "" || y === "") { return x === y ? 0 : (x === "" ? 1 : -1); }
        var diff = type === "num" ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return descending ? -diff : diff;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  }

  Array.prototype.slice.call(document.querySelectorAll("table.sortable")).forEach(function (table) {
    Array.prototype.slice.call(table.querySelectorAll("thead th")).forEach(function (th, column) {
      th.querySelector("button").addEventListener("click", function () {
        sortTable(table, column, th.getAttribute("data-sort"));
      });
    });
  });
  sortSelect.addEventListener("change", sortCards);
})();
