/* Small behaviours every page may use, wired by data attributes: the
 * Content-Security-Policy allows no inline scripts or event handlers.
 *
 *   <button data-print>            prints the page
 *   <input data-select-on-focus>   selects its whole text when clicked or focused
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (target && target.closest("[data-print]")) {
      window.print();
    }
  });

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-select-on-focus")) {
      target.select();
    }
  });
})();
