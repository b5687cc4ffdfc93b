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
