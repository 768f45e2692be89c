/* Small behaviours every page may use, wired by data attributes: the
 * Content-Security-Policy allows no inline scripts or event handlers.
 *
 *   <button data-print>            prints the page
 *   <input data-select-on-focus>   selects its whole text when clicked or focused
 *   <div data-error-summary>       a form's errors: focused when the page loads, and each
 *                                  of its links focuses the field it names
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (target && target.closest("[data-print]")) {
      window.print();
    }
  });

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target instanceof Element ? event.target.closest("a[href^='#']") : null;
      var field = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
      if (field) {
        event.preventDefault();
        field.focus();
        field.scrollIntoView({ block: "center" });
      }
    });
  }

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-select-on-focus")) {
      target.select();
    }
  });
})();
