// Ad settings: a DataTables-like ads table (10 rows a page by default), the creation mode
// radios, and the mass-create CSV check -> issues banner or preview modal -> confirm.
document.addEventListener("DOMContentLoaded", function () {
  var ads = JSON.parse(document.getElementById("adsData").textContent);
  var body = document.querySelector("#adsTable tbody");
  var info = document.getElementById("adsTable_info");
  var length = document.querySelector('select[name="adsTable_length"]');
  var prev = document.getElementById("adsTable_previous");
  var next = document.getElementById("adsTable_next");
  var numbers = document.querySelector("#adsTable_paginate .pageNumbers");
  var page = 0;

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
  }

  function draw() {
    var size = parseInt(length.value, 10);
    var pages = Math.max(1, Math.ceil(ads.length / size));
    page = Math.min(page, pages - 1);
    var shown = ads.slice(page * size, (page + 1) * size);
    body.innerHTML = "";
    if (!shown.length) {
      body.innerHTML = '<tr class="odd"><td colspan="6" class="dataTables_empty">No data available in table</td></tr>';
    }
    shown.forEach(function (ad) {
      var tr = document.createElement("tr");
      tr.dataset.adId = ad.id;
      cell(tr, ad.id);
      cell(tr, ad.name);
      cell(tr, ad.target_url);
      cell(tr, ad.creative_ids.join(", "));
      cell(tr, ad.fields.Headline || "");
      cell(tr, ad.fields["Brand Name"] || "");
      body.appendChild(tr);
    });
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
  length.addEventListener("change", function () { page = 0; draw(); });
  prev.addEventListener("click", function () { if (page > 0) { page -= 1; draw(); } });
  next.addEventListener("click", function () {
    if (!next.classList.contains("disabled")) { page += 1; draw(); }
  });
  numbers.addEventListener("click", function (e) {
    if (e.target.dataset.page) { page = parseInt(e.target.dataset.page, 10); draw(); }
  });
  draw();

  var manual = document.getElementById("manualSection");
  var mass = document.getElementById("massCsvSection");
  document.querySelectorAll('input[name="adCreationMode"]').forEach(function (radio) {
    radio.addEventListener("change", function () {
      manual.hidden = radio.value !== "manual";
      mass.hidden = radio.value !== "csv";
    });
  });

  var file = document.getElementById("massAdsCsv");
  var issues = document.getElementById("csvIssues");
  var list = issues.querySelector("ul");
  var status = document.getElementById("csvStatus");
  var previewButton = document.getElementById("csvPreviewButton");
  var modal = document.getElementById("csvPreviewModal");
  var checked = null;

  function showIssues(items) {
    list.innerHTML = "";
    items.forEach(function (issue) {
      var li = document.createElement("li");
      li.className = "issue";
      if (issue.creative_id) { li.dataset.creativeId = issue.creative_id; }
      li.textContent = issue.message;
      list.appendChild(li);
    });
    issues.hidden = items.length === 0;
  }

  file.addEventListener("change", function () {
    checked = null;
    previewButton.disabled = true;
    showIssues([]);
    if (!file.files.length) { return; }
    status.textContent = "Checking " + file.files[0].name + "…";
    var data = new FormData();
    data.append("file", file.files[0], file.files[0].name);
    fetch(window.location.pathname + "/csv", {method: "POST", body: data, credentials: "same-origin"})
      .then(function (r) { return r.json().then(function (b) { return {ok: r.ok, body: b}; }); })
      .then(function (result) {
        if (!result.ok) { throw new Error(result.body.error || "The file could not be checked."); }
        checked = result.body;
        status.textContent = checked.ok ? checked.rows.length + " ads ready for preview." : "";
        showIssues(checked.issues);
        previewButton.disabled = !checked.ok;
      })
      .catch(function (err) { status.textContent = ""; showIssues([{message: err.message}]); });
  });

  previewButton.addEventListener("click", function () {
    if (!checked || !checked.ok) { return; }
    var head = modal.querySelector("thead");
    var rows = modal.querySelector("tbody");
    head.innerHTML = "";
    rows.innerHTML = "";
    var tr = document.createElement("tr");
    checked.columns.forEach(function (c) { var th = document.createElement("th"); th.textContent = c; tr.appendChild(th); });
    head.appendChild(tr);
    checked.rows.forEach(function (row) {
      var line = document.createElement("tr");
      checked.columns.forEach(function (c) { cell(line, row[c] || ""); });
      rows.appendChild(line);
    });
    modal.querySelector(".csvPreviewCount").textContent = checked.rows.length + " ads will be created.";
    document.getElementById("csvToken").value = checked.token;
    modal.classList.add("show");
  });
  document.getElementById("csvPreviewCancel").addEventListener("click", function () {
    modal.classList.remove("show");
  });
});
