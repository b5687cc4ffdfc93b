// A small Dropzone look-alike: a hidden multiple file input, one preview per file moving from
// dz-processing to dz-success dz-complete, or dz-error dz-complete with a message; two uploads
// at a time; a processing message while the server works. Files go to the tab (and native
// sub-type) selected on the page at the moment they are added.
document.addEventListener("DOMContentLoaded", function () {
  var area = document.getElementById("uploadArea");
  var opener = document.getElementById("newImage");
  if (!area || !opener) { return; }
  var zone = document.getElementById("creativeDropzone");
  var previews = zone.querySelector(".dz-previews");
  var processing = area.querySelector(".processingMessage");
  var queue = [];
  var active = 0;
  var PARALLEL = 2;
  var input = null;

  document.querySelectorAll('input[name="native_type"]').forEach(function (radio) {
    radio.addEventListener("change", function () {
      window.location.href = "/media-library?tab=native&native_type=" + radio.value;
    });
  });

  function makeInput() {
    // Like Dropzone, the input lives on <body>, hidden, and is replaced after every selection.
    if (input) { input.remove(); }
    input = document.createElement("input");
    input.type = "file";
    input.multiple = true;
    input.className = "dz-hidden-input";
    input.accept = area.dataset.accept;
    input.style.cssText = "visibility:hidden;position:absolute;top:0;left:0;height:0;width:0;";
    input.addEventListener("change", function () {
      addFiles(input.files);
      makeInput();
    });
    document.body.appendChild(input);
  }

  function target() {
    var checked = document.querySelector('input[name="native_type"]:checked');
    return {tab: area.dataset.tab, nativeType: checked ? checked.value : "0"};
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
    var where = target();
    Array.prototype.forEach.call(files, function (file) {
      queue.push({file: file, where: where, el: preview(file)});
    });
    pump();
  }

  function finish(item, error) {
    if (error === null) {
      item.el.classList.add("dz-success");
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
    data.append("tab", item.where.tab);
    data.append("native_type", item.where.nativeType);
    data.append("content_category", document.getElementById("contentCategory").value);
    data.append("file", item.file, item.file.name);
    item.el.classList.add("dz-processing");
    fetch("/media-library/upload", {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) {
        return response.json().then(function (body) {
          finish(item, response.ok ? null : (body.error || "Upload failed."));
        }, function () {
          finish(item, response.ok ? null : "Server responded with " + response.status + " code.");
        });
      })
      .catch(function () { finish(item, "Upload failed: the server could not be reached."); });
  }

  function pump() {
    while (active < PARALLEL && queue.length) {
      active += 1;
      send(queue.shift());
    }
    processing.hidden = active === 0;
  }

  opener.addEventListener("click", function () {
    area.hidden = !area.hidden;
    if (!input) { makeInput(); }
  });
  document.getElementById("browseButton").addEventListener("click", function () { input.click(); });
  zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("dragOver"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("dragOver"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("dragOver");
    addFiles(e.dataTransfer.files);
  });
});
