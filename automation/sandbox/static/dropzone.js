// A small Dropzone look-alike: a hidden multiple file input (on <body> from the start), one
// preview per file moving from dz-processing to dz-success dz-complete, or dz-error dz-complete
// with a message; two uploads at a time. The server accepts a file and then processes it for a
// while: the processing message shows until every accepted file is processed, and then the card
// table redraws page 1 of the open tab (no page reload). Files go to the tab (and native
// sub-type) open on the page at the moment they are added.
document.addEventListener("DOMContentLoaded", function () {
  var area = document.getElementById("uploadArea");
  var opener = document.getElementById("newImage");
  if (!area || !opener) { return; }
  var zone = document.getElementById("creativeDropzone");
  var previews = zone.querySelector(".dz-previews");
  var processing = area.querySelector(".processingMessage");
  var places = JSON.parse(document.getElementById("uploadPlaces").textContent);
  var queue = [];
  var active = 0;
  var PARALLEL = 2;
  var MAX_FILES = 10;
  var input = null;
  var processedAt = 0;  // when the last accepted file will have been processed (ms epoch)
  var settleTimer = null;
  var accepted = false;  // some file of this round was accepted: the table will change

  function placeKey(where) {
    return where.tab === "native" ? "native_" + where.nativeType : where.tab;
  }

  function showPlace(where) {
    var info = places[placeKey(where)] || {label: where.tab, accept: ""};
    document.getElementById("uploadTarget").textContent = info.label;
    if (input) { input.accept = info.accept; }
  }

  function makeInput() {
    // Like Dropzone, the input lives on <body>, hidden, and is replaced after every selection.
    if (input) { input.remove(); }
    input = document.createElement("input");
    input.type = "file";
    input.multiple = true;
    input.className = "dz-hidden-input";
    input.style.cssText = "visibility:hidden;position:absolute;top:0;left:0;height:0;width:0;";
    input.addEventListener("change", function () {
      addFiles(input.files);
      makeInput();
    });
    document.body.appendChild(input);
    showPlace(window.libraryTable.place());
  }

  function preview(file) {
    var el = document.createElement("div");
    el.className = "dz-preview dz-file-preview";
    el.innerHTML = '<div class="dz-details"><div class="dz-filename"><span data-dz-name></span></div>' +
      '<div class="dz-size"><span data-dz-size></span></div></div>' +
      '<div class="dz-status"></div>' +
      '<div class="dz-error-message"><span data-dz-errormessage></span></div>';
    el.querySelector("[data-dz-name]").textContent = file.name;
    el.querySelector("[data-dz-size]").textContent = Math.round(file.size / 1000) + " KB";
    previews.appendChild(el);
    return el;
  }

  function addFiles(files) {
    var where = window.libraryTable.place();
    Array.prototype.forEach.call(files, function (file, index) {
      var el = preview(file);
      if (index >= MAX_FILES) {  // the input takes ten files at a time
        el.classList.add("dz-error", "dz-complete");
        el.querySelector("[data-dz-errormessage]").textContent =
          "You can not upload more than " + MAX_FILES + " files at once.";
        return;
      }
      queue.push({file: file, where: where, el: el});
    });
    pump();
  }

  function finish(item, error, processingMs) {
    if (error === null) {
      item.el.classList.add("dz-success");
      accepted = true;
      processedAt = Math.max(processedAt, Date.now() + (processingMs || 0));
    } else {
      item.el.classList.add("dz-error");
      item.el.querySelector("[data-dz-errormessage]").textContent = error;
    }
    item.el.classList.add("dz-complete");
    active -= 1;
    pump();
  }

  function send(item) {
    var data = new FormData();
    var category = document.getElementById("contentCategory");
    data.append("tab", item.where.tab);
    data.append("native_type", item.where.nativeType);
    if (category) { data.append("content_category", category.value); }
    data.append("file", item.file, item.file.name);
    item.el.classList.add("dz-processing");
    fetch("/media-library/upload", {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) {
        return response.json().then(function (body) {
          finish(item, response.ok ? null : (body.error || "Upload failed."), body.processing_ms);
        }, function () {
          finish(item, response.ok ? null : "Server responded with " + response.status + " code.", 0);
        });
      })
      .catch(function () { finish(item, "Upload failed: the server could not be reached.", 0); });
  }

  // Once nothing is uploading and every accepted file is processed: hide the message, redraw.
  function settle() {
    if (settleTimer !== null) { clearTimeout(settleTimer); settleTimer = null; }
    if (active || queue.length) { return; }
    var left = processedAt - Date.now();
    if (left > 0) {
      settleTimer = setTimeout(settle, left);
      return;
    }
    processing.hidden = true;
    if (accepted) {
      accepted = false;
      window.libraryTable.reload();
    }
  }

  function pump() {
    while (active < PARALLEL && queue.length) {
      active += 1;
      send(queue.shift());
    }
    if (active || queue.length) { processing.hidden = false; }
    settle();
  }

  document.addEventListener("library:place", function (event) { showPlace(event.detail); });
  opener.addEventListener("click", function () { area.hidden = false; });
  document.getElementById("browseButton").addEventListener("click", function () { input.click(); });
  zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("dragOver"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("dragOver"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("dragOver");
    addFiles(e.dataTransfer.files);
  });
  makeInput();
});
