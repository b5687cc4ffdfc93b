// Ad settings: a DataTables-like ads table loaded by XHR (10 rows a page by default, the length
// set through a Select2 widget or a plain select), the creation mode radios, and "Mass create
// with CSV": upload -> check (issues banner) -> "Create CSV Preview" -> confirm in the modal or
// with the page's "Create ad(s)" button -> ads created by XHR, with no page navigation.
document.addEventListener("DOMContentLoaded", function () {
  var base = window.location.pathname.replace(/\/$/, "");
  var ads = null;
  var page = 0;

  function post(url, body, isForm) {
    var options = {method: "POST", credentials: "same-origin", body: body};
    if (!isForm) {
      options.headers = {"Content-Type": "application/json"};
      options.body = JSON.stringify(body);
    }
    return fetch(base + url, options).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) {
        if (!r.ok) { throw new Error(b.error || ("The request failed (HTTP " + r.status + ").")); }
        return b;
      });
    });
  }

  // --- the ads table ------------------------------------------------------------------------
  var body = document.querySelector("#adsTable tbody");
  var info = document.getElementById("adsTable_info");
  var lengthSelect = document.querySelector('select[name="dt-length-1"], select[name="adsTable_length"]');
  var prev = document.getElementById("adsTable_previous");
  var next = document.getElementById("adsTable_next");
  var numbers = document.querySelector("#adsTable_paginate .pageNumbers");

  function cell(row, text, className) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function adRow(ad) {
    var tr = document.createElement("tr");
    tr.dataset.adId = ad.id;
    cell(tr, "").innerHTML = '<div class="campaignAdBidStatus">Active</div>';
    var thumb = cell(tr, String(ad.banner_id), "dtc_bannerId");
    thumb.insertAdjacentHTML("afterbegin", '<span class="adThumb" aria-hidden="true"></span>');
    cell(tr, ad.name, "dtc_adName");
    cell(tr, "");
    cell(tr, ad.target_url, "dtc_targetUrl");
    cell(tr, ad.custom_cta);
    cell(tr, ad.banner_cta);
    cell(tr, ad.tracking_pixel);
    cell(tr, ad.created);
    var action = cell(tr, "");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.className = "tableCheckbox";
    box.value = ad.id;
    box.setAttribute("aria-label", "Select " + ad.name);
    action.appendChild(box);
    return tr;
  }

  function draw() {
    if (ads === null) { return; }
    var size = parseInt(lengthSelect.value, 10);
    if (size < 0) { size = Math.max(ads.length, 1); }
    var pages = Math.max(1, Math.ceil(ads.length / size));
    page = Math.min(page, pages - 1);
    var shown = ads.slice(page * size, (page + 1) * size);
    body.innerHTML = "";
    if (!shown.length) {
      body.innerHTML = '<tr class="odd"><td colspan="10" class="dataTables_empty" valign="top">No data available in table</td></tr>';
    }
    shown.forEach(function (ad) { body.appendChild(adRow(ad)); });
    var first = shown.length ? page * size + 1 : 0;
    info.textContent = "Showing " + first + " to " + (page * size + shown.length) + " of " + ads.length + " entries";
    prev.classList.toggle("disabled", page === 0);
    next.classList.toggle("disabled", page >= pages - 1);
    numbers.innerHTML = "";
    for (var i = 0; i < pages; i++) {
      var a = document.createElement("a");
      a.className = "paginate_button" + (i === page ? " current" : "");
      a.textContent = String(i + 1);
      a.dataset.page = String(i);
      numbers.appendChild(a);
    }
  }

  function loadAds() {
    return fetch(base + "/ads", {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (b) { ads = b.data || []; draw(); });
  }

  lengthSelect.addEventListener("change", function () { page = 0; draw(); });
  prev.addEventListener("click", function () { if (page > 0) { page -= 1; draw(); } });
  next.addEventListener("click", function () {
    if (!next.classList.contains("disabled")) { page += 1; draw(); }
  });
  numbers.addEventListener("click", function (e) {
    if (e.target.dataset.page) { page = parseInt(e.target.dataset.page, 10); draw(); }
  });

  // --- the Select2 widget over the hidden length select -------------------------------------
  var rendered = document.getElementById("select2-dt-length-1-container");
  var dropdown = document.getElementById("select2-dt-length-1-dropdown");
  if (rendered && dropdown) {
    var selection = rendered.parentElement;
    selection.addEventListener("click", function (e) {
      e.preventDefault();  // not the label's click on the hidden select
      var rect = selection.getBoundingClientRect();
      dropdown.style.position = "absolute";
      dropdown.style.left = (rect.left + window.scrollX) + "px";
      dropdown.style.top = (rect.bottom + window.scrollY) + "px";
      dropdown.hidden = !dropdown.hidden;
      selection.setAttribute("aria-expanded", String(!dropdown.hidden));
    });
    dropdown.addEventListener("click", function (e) {
      var option = e.target.closest(".select2-results__option");
      if (!option) { return; }
      lengthSelect.value = option.dataset.value;
      rendered.textContent = option.textContent;
      rendered.title = option.textContent;
      dropdown.hidden = true;
      selection.setAttribute("aria-expanded", "false");
      lengthSelect.dispatchEvent(new Event("change"));
    });
    // The widget sits in the length <label>, which also clicks the hidden select: ignore both.
    document.addEventListener("click", function (e) {
      if (e.target === lengthSelect || selection.contains(e.target) || dropdown.contains(e.target)) { return; }
      dropdown.hidden = true;
    });
  }

  // --- creation modes -------------------------------------------------------------------------
  var manual = document.getElementById("manualSection");
  var mass = document.getElementById("massCsvSection");
  document.querySelectorAll('input[name="adCreationMode"]').forEach(function (radio) {
    radio.addEventListener("change", function () {
      manual.hidden = radio.value !== "manual";
      mass.hidden = radio.value !== "csv";
    });
  });

  // --- mass create with CSV ------------------------------------------------------------------
  var file = document.getElementById("massAdsCsv");
  var issues = document.getElementById("csvIssues");
  var list = issues.querySelector("ul");
  var status = document.getElementById("csvStatus");
  var previewButton = document.getElementById("csvPreviewButton");
  var pageButton = document.querySelector("button.create-ads-from-csv-button");
  var modal = document.getElementById("csvPreviewModal");
  var inline = document.getElementById("csvPreviewInline");
  var outcome = document.getElementById("massCreateStatus");
  var token = null;

  function showIssues(messages) {
    list.innerHTML = "";
    messages.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    issues.hidden = messages.length === 0;
  }

  function showOutcome(text, ok) {
    outcome.textContent = text;
    outcome.className = "alert " + (ok ? "alert-success" : "alert-danger");
    outcome.hidden = !text;
  }

  file.addEventListener("change", function () {
    token = null;
    previewButton.disabled = true;
    pageButton.classList.add("d-none");
    if (inline) { inline.hidden = true; }
    showIssues([]);
    showOutcome("", true);
    if (!file.files.length) { return; }
    status.textContent = "Processing " + file.files[0].name + "…";
    var data = new FormData();
    data.append("file", file.files[0], file.files[0].name);
    post("/csv", data, true)
      .then(function (checked) {
        status.textContent = checked.ok ? checked.ads + " ad(s) ready for preview." : "";
        showIssues(checked.issues.map(function (i) { return i.message; }));
        token = checked.ok ? checked.token : null;
        previewButton.disabled = !checked.ok;
      })
      .catch(function (err) { status.textContent = ""; showIssues([err.message]); });
  });

  function fillPreview(box, preview) {
    var head = box.querySelector("thead");
    var rows = box.querySelector("tbody");
    head.innerHTML = "";
    rows.innerHTML = "";
    var tr = document.createElement("tr");
    preview.columns.forEach(function (c) {
      var th = document.createElement("th");
      th.textContent = c;
      tr.appendChild(th);
    });
    head.appendChild(tr);
    preview.rows.forEach(function (row) {
      var line = document.createElement("tr");
      preview.columns.forEach(function (c) { cell(line, row[c] || ""); });
      rows.appendChild(line);
    });
    box.querySelector(".csvPreviewCount").textContent = preview.rows.length + " ad(s) will be created.";
  }

  previewButton.addEventListener("click", function () {
    if (!token) { return; }
    previewButton.disabled = true;
    post("/csv/preview", {token: token})
      .then(function (preview) {
        previewButton.disabled = false;
        if (modal) {
          fillPreview(modal, preview);
          modal.classList.add("show");  // the page's own button stays hidden (d-none)
        } else {
          fillPreview(inline, preview);
          inline.hidden = false;
          pageButton.classList.remove("d-none");
        }
      })
      .catch(function (err) { previewButton.disabled = false; showIssues([err.message]); });
  });

  function createAds() {
    var sent = token;
    token = null;
    if (modal) { modal.classList.remove("show"); }
    pageButton.disabled = true;
    previewButton.disabled = true;
    showOutcome("Creating ads…", true);
    post("/mass-create", {token: sent})
      .then(function (made) {
        showOutcome(made.submitted + " ad(s) submitted.", true);
        pageButton.classList.add("d-none");
        if (inline) { inline.hidden = true; }
        return loadAds();
      })
      .catch(function (err) { showOutcome(err.message, false); })
      .then(function () { pageButton.disabled = false; });
  }

  pageButton.addEventListener("click", createAds);
  if (modal) {
    modal.querySelector("button.confirmAds").addEventListener("click", createAds);
    modal.querySelector('[data-dismiss="modal"]').addEventListener("click", function () {
      modal.classList.remove("show");
    });
  }

  loadAds();
});
