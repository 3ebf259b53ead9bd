// Ahadi's only script (the pages work without it): the upload form shows its progress, then the
// ingestion summary in place. Sent to the same server (CSP connect-src 'self'), nothing else.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.DOMParser) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var box = document.getElementById("upload-progress");
    var bar = document.getElementById("upload-bar");
    var status = document.getElementById("upload-status");
    box.hidden = false;
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.round(100 * e.loaded / e.total);
      bar.value = percent;
      status.textContent = percent + " %";
      if (e.loaded === e.total) { status.textContent = status.getAttribute("data-indexing"); bar.removeAttribute("value"); }
    });
    request.addEventListener("load", function () {
      var page = new DOMParser().parseFromString(request.responseText, "text/html");
      var fresh = page.getElementById("main");
      if (!fresh) {  // not a page: the server refused the body itself (too large: 413)
        bar.value = 0;
        status.textContent = request.status + " " + request.statusText + ": " + request.responseText.slice(0, 300);
        return;
      }
      document.getElementById("main").replaceWith(fresh);
      document.title = page.title;
      var report = document.getElementById("report") || fresh;
      report.setAttribute("tabindex", "-1");
      report.focus();
    });
    request.addEventListener("error", function () { form.submit(); });
    request.send(new FormData(form));
  });
}());
