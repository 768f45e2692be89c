/* Warns a minute before a signed-in session times out, and offers to stay signed in.
 *
 * <body data-session-seconds-left="900" data-session-url="/accounts/session/"
 *       data-login-url="/accounts/login/">
 * The server signs out a session idle too long (15 minutes for staff, 30 for clients) and
 * any session 12 hours after signing in; this only tells the person in time. Before warning
 * or leaving it asks the server how long is really left: another tab may have kept the
 * session alive. "Stay signed in" posts to the same URL, which counts as activity.
 */
(function () {
  "use strict";

  var body = document.body;
  var left = parseInt(body.getAttribute("data-session-seconds-left"), 10);
  var url = body.getAttribute("data-session-url");
  var loginUrl = body.getAttribute("data-login-url");
  if (!url || !loginUrl || isNaN(left)) {
    return;
  }

  var WARN_BEFORE = 60;
  var endsAt = Date.now() + left * 1000;
  var timer = null;
  var ticker = null;
  var box = null;
  var countdown = null;

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function secondsLeft() {
    return Math.max(0, Math.round((endsAt - Date.now()) / 1000));
  }

  function build() {
    box = document.createElement("div");
    box.className = "alert alert-warning shadow position-fixed bottom-0 end-0 m-3 z-3 d-print-none";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "session-warning-text");
    box.hidden = true;
    var text = document.createElement("p");
    text.id = "session-warning-text";
    text.className = "mb-2";
    text.appendChild(document.createTextNode("For your privacy you will be signed out in "));
    countdown = document.createElement("strong");
    text.appendChild(countdown);
    text.appendChild(document.createTextNode(" without activity."));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary btn-sm";
    button.textContent = "Stay signed in";
    button.addEventListener("click", stay);
    box.appendChild(text);
    box.appendChild(button);
    body.appendChild(box);
  }

  function showCountdown() {
    var seconds = secondsLeft();
    countdown.textContent = seconds + (seconds === 1 ? " second" : " seconds");
  }

  function warn() {
    if (!box) {
      build();
    }
    showCountdown();
    box.hidden = false;
    box.querySelector("button").focus();
    clearInterval(ticker);
    ticker = setInterval(showCountdown, 1000);
  }

  function hide() {
    clearInterval(ticker);
    if (box) {
      box.hidden = true;
    }
  }

  function leave() {
    var next = window.location.pathname;
    window.location.assign(loginUrl + "?next=" + encodeURIComponent(next));
  }

  function schedule(seconds) {
    endsAt = Date.now() + seconds * 1000;
    clearTimeout(timer);
    if (seconds <= 0) {
      leave();
    } else if (seconds > WARN_BEFORE) {
      hide();
      timer = setTimeout(check, (seconds - WARN_BEFORE) * 1000);
    } else {
      warn();
      timer = setTimeout(check, seconds * 1000);
    }
  }

  function ask(method) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (method === "POST") {
      options.headers["X-CSRFToken"] = csrfToken();
    }
    return fetch(url, options).then(function (response) {
      if (!response.ok) {
        throw new Error("session status " + response.status);
      }
      return response.json();
    });
  }

  function check() {
    ask("GET")
      .then(function (status) {
        schedule(status.signed_in ? status.seconds_left : 0);
      })
      .catch(function () {
        schedule(secondsLeft());
      });
  }

  function stay() {
    ask("POST")
      .then(function (status) {
        schedule(status.signed_in ? status.seconds_left : 0);
      })
      .catch(function () {
        schedule(secondsLeft());
      });
  }

  schedule(left);
})();
