/* The invitation link carries its code after "#", which browsers never send to a server, so
 * no access log records it. This posts the code from the page, and takes it out of the
 * address bar and the history. Without JavaScript the person pastes the code themselves.
 */
(function () {
  "use strict";

  var code = window.location.hash.replace(/^#/, "");
  var field = document.querySelector("input[name=token]");
  if (!code || !field) {
    return;
  }
  window.history.replaceState(null, "", window.location.pathname);
  field.value = decodeURIComponent(code);
  field.form.submit();
})();
