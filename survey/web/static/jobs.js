// Background job pages: while the job is unfinished, fetch this same page every two seconds
// and put its state in place; when the job has ended, load the page again to show the link.
// Without JavaScript the page's "Refresh now" link does the same by hand.
(function () {
  "use strict";
  var state = document.getElementById("job-state");
  if (!state || !window.fetch || !window.DOMParser) { return; }
  var unfinished = ["queued", "running"];

  function poll() {
    fetch(window.location.href, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text === null) { return; }
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("job-state");
        if (!fresh) { return; }
        if (unfinished.indexOf(fresh.getAttribute("data-job-status")) < 0) {
          window.location.reload();
          return;
        }
        if (fresh.getAttribute("data-job-stage") !== state.getAttribute("data-job-stage")) {
          // change the texts in place, so the status region announces the new stage
          ["job-status", "job-stage"].forEach(function (id) {
            var mine = document.getElementById(id), theirs = fresh.querySelector("#" + id);
            if (mine && theirs) { mine.textContent = theirs.textContent; }
          });
          var bar = document.getElementById("job-progress");
          var freshBar = fresh.querySelector("#job-progress");
          if (bar && freshBar) { bar.value = freshBar.value; }
          state.setAttribute("data-job-stage", fresh.getAttribute("data-job-stage"));
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
}());
