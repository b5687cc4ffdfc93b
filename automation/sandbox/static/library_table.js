// The media library's card table. In the in-page form (like the platform's DataTable) tab links,
// native sub-type radios and pager links reload the table by XHR: no page load, and the URL stays
// /media-library, so a reload of the page shows Static Banner again. In the full-page form they
// are plain links. Either way window.libraryTable.reload() redraws page 1 of the open place in
// place, which the upload area does once the platform has processed new files.
(function () {
  var sequence = 0;

  function tabsNav() { return document.querySelector("nav.tabs"); }
  function inPage() { return tabsNav().dataset.inPage === "true"; }
  function activeLink() { return tabsNav().querySelector("a.tab.active"); }
  function checkedNative() {
    var checked = document.querySelector('input[name="native_type"]:checked');
    return checked ? checked.value : "0";
  }

  // The place open on the page: the active tab and, in Native, the checked sub-type.
  function place() {
    var tab = activeLink().dataset.tab;
    return {tab: tab, nativeType: tab === "native" ? checkedNative() : "0"};
  }

  function announce() {
    document.dispatchEvent(new CustomEvent("library:place", {detail: place()}));
  }

  function load(where, page) {
    var mine = ++sequence;
    var loading = document.querySelector(".dataTables_processing");
    loading.hidden = false;
    var url = "/media-library/table?tab=" + encodeURIComponent(where.tab) +
      "&native_type=" + encodeURIComponent(where.nativeType) + "&page=" + page;
    fetch(url, {credentials: "same-origin", headers: {"X-Requested-With": "XMLHttpRequest"}})
      .then(function (response) {
        if (response.status === 401) { window.location.reload(); return null; }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        if (html === null || mine !== sequence) { return; }
        document.getElementById("creativesTable").outerHTML = html;
        loading.hidden = true;
      })
      .catch(function () {
        if (mine !== sequence) { return; }
        loading.hidden = true;
        window.alert("DataTables warning: table id=creativesTable - Ajax error.");
      });
  }

  function selectTab(link) {
    tabsNav().querySelectorAll("a.tab").forEach(function (other) {
      var on = other === link;
      other.classList.toggle("active", on);
      other.setAttribute("aria-selected", on ? "true" : "false");
    });
    document.querySelector(".nativeTypes").hidden = link.dataset.tab !== "native";
    announce();
    load(place(), 1);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!tabsNav()) { return; }
    window.libraryTable = {place: place, reload: function () { load(place(), 1); }};
    document.querySelectorAll('input[name="native_type"]').forEach(function (radio) {
      radio.addEventListener("change", function () {
        if (!inPage()) {
          window.location.href = "/media-library?tab=native&native_type=" + radio.value;
          return;
        }
        announce();
        load(place(), 1);
      });
    });
    if (!inPage()) { announce(); return; }
    tabsNav().querySelectorAll("a.tab").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (!link.classList.contains("active")) { selectTab(link); }  // like Bootstrap tabs
      });
    });
    document.addEventListener("click", function (event) {
      var pager = event.target.closest("#creativesTable a.page-link");
      if (!pager) { return; }
      event.preventDefault();
      if (pager.dataset.page) { load(place(), Number(pager.dataset.page)); }
    });
    announce();
  });
})();
