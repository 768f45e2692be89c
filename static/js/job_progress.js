// A job's page follows its progress without reloading itself (a timed reload would take the
// reader's place and focus away, WCAG 2.2.1): every two seconds it reads the page again and
// replaces the status, which screen readers announce (aria-live), until the job has ended
// or its worker has stopped (data-following="false").
(function () {
  "use strict";

  var EVERY_MS = 2000;
  var AFTER_A_FAILURE_MS = 10000;

  function follow(status) {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("job-status");
        if (!fresh) {
          return;
        }
        status.innerHTML = fresh.innerHTML;
        status.dataset.following = fresh.dataset.following;
        if (fresh.dataset.following === "true") {
          window.setTimeout(follow, EVERY_MS, status);
        }
      })
      .catch(function () {
        window.setTimeout(follow, AFTER_A_FAILURE_MS, status);
      });
  }

  function start() {
    var status = document.getElementById("job-status");
    if (status && status.dataset.following === "true") {
      window.setTimeout(follow, EVERY_MS, status);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
