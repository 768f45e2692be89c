/* The interactive body map (intake/templatetags/body_map.py).
 *
 * Progressive enhancement: the form's checkboxes and intensity inputs work
 * on their own. With this script, tapping a shape on an
 * <svg class="body-map-interactive"> ticks or unticks the checkbox with the
 * same data-body-key in the enclosing <form>; the map follows the
 * checkboxes and intensities, and the intensity of an unticked place is
 * hidden.
 */
(function () {
  "use strict";

  var MAP = "svg.body-map-interactive";
  var controllers = new WeakMap();

  function selector(attribute, key) {
    return "[" + attribute + '="' + CSS.escape(key) + '"]';
  }

  function intensityOf(input, unrated) {
    var value = input ? parseInt(input.value, 10) : NaN;
    return isNaN(value) ? unrated : Math.max(0, Math.min(10, value));
  }

  function BodyMapForm(form) {
    this.form = form;
    // An unrated place is drawn at the rules' default (intake.rules.case.DEFAULT_INTENSITY).
    var map = form.querySelector(MAP);
    this.defaultIntensity = parseInt(map.getAttribute("data-default-intensity"), 10);
  }

  BodyMapForm.prototype.maps = function () {
    return this.form.querySelectorAll(MAP);
  };

  BodyMapForm.prototype.checkbox = function (key) {
    return this.form.querySelector('input[type="checkbox"]' + selector("data-body-key", key));
  };

  BodyMapForm.prototype.wrapper = function (key) {
    return this.form.querySelector(selector("data-intensity-for", key));
  };

  BodyMapForm.prototype.intensityInput = function (key) {
    var wrapper = this.wrapper(key);
    return wrapper ? wrapper.querySelector("input") : null;
  };

  BodyMapForm.prototype.shapes = function (key) {
    return this.form.querySelectorAll(MAP + " " + selector("data-key", key));
  };

  BodyMapForm.prototype.update = function (key) {
    var checkbox = this.checkbox(key);
    if (!checkbox) {
      return;
    }
    var checked = checkbox.checked;
    var intensity = intensityOf(this.intensityInput(key), this.defaultIntensity);
    this.shapes(key).forEach(function (shape) {
      var svg = shape.ownerSVGElement;
      var shades = (svg.getAttribute("data-shades") || "").split(",");
      shape.classList.toggle("selected", checked);
      shape.setAttribute("fill", checked ? shades[intensity] : svg.getAttribute("data-empty-fill"));
      shape.setAttribute("data-intensity", checked ? String(intensity) : "");
      var title = shape.querySelector("title");
      if (title) {
        var label = shape.getAttribute("data-label");
        title.textContent = checked ? label + ", intensity " + intensity + " of 10" : label;
      }
    });
    var wrapper = this.wrapper(key);
    // Never hide an intensity the server refused: its error must stay visible.
    if (wrapper && !wrapper.querySelector('.is-invalid, [aria-invalid="true"]')) {
      wrapper.hidden = !checked;
      if (checked) {
        wrapper.classList.remove("d-none");
      }
    }
  };

  BodyMapForm.prototype.summarise = function () {
    this.maps().forEach(function (svg) {
      var marked = [];
      svg.querySelectorAll(".body-map-shape.selected").forEach(function (shape) {
        marked.push(
          shape.getAttribute("data-label") + " (" + shape.getAttribute("data-intensity") + " of 10)"
        );
      });
      svg.setAttribute(
        "aria-label",
        "Body map: " + (marked.length ? marked.join("; ") : "nothing marked")
      );
    });
  };

  BodyMapForm.prototype.updateAll = function () {
    var self = this;
    var keys = new Set();
    this.maps().forEach(function (svg) {
      svg.querySelectorAll("[data-key]").forEach(function (shape) {
        keys.add(shape.getAttribute("data-key"));
      });
    });
    keys.forEach(function (key) {
      self.update(key);
    });
    this.summarise();
  };

  BodyMapForm.prototype.keyOf = function (element) {
    if (element.matches('input[type="checkbox"][data-body-key]')) {
      return element.getAttribute("data-body-key");
    }
    var wrapper = element.closest("[data-intensity-for]");
    return wrapper && this.form.contains(wrapper) ? wrapper.getAttribute("data-intensity-for") : null;
  };

  BodyMapForm.prototype.onClick = function (event) {
    var shape = event.target.closest(MAP + " .body-map-shape[data-key]");
    if (!shape) {
      return;
    }
    var key = shape.getAttribute("data-key");
    var checkbox = this.checkbox(key);
    if (!checkbox || checkbox.disabled) {
      return;
    }
    checkbox.checked = !checkbox.checked;
    checkbox.dispatchEvent(new Event("change", { bubbles: true }));
    // On a touch screen, focusing the number would open the keyboard and scroll
    // the map away while the client is still marking places.
    if (checkbox.checked && event.pointerType !== "touch") {
      var input = this.intensityInput(key);
      if (input) {
        input.focus({ preventScroll: true });
      }
    }
  };

  BodyMapForm.prototype.onFieldEvent = function (event) {
    var key = this.keyOf(event.target);
    if (key === null) {
      return;
    }
    this.update(key);
    this.summarise();
  };

  BodyMapForm.prototype.onFocus = function (event, focused) {
    var key = this.keyOf(event.target);
    if (key === null) {
      return;
    }
    this.shapes(key).forEach(function (shape) {
      shape.classList.toggle("focus", focused);
    });
  };

  BodyMapForm.prototype.start = function () {
    var self = this;
    this.form.addEventListener("click", this.onClick.bind(this));
    this.form.addEventListener("change", this.onFieldEvent.bind(this));
    this.form.addEventListener("input", this.onFieldEvent.bind(this));
    this.form.addEventListener("focusin", function (event) {
      self.onFocus(event, true);
    });
    this.form.addEventListener("focusout", function (event) {
      self.onFocus(event, false);
    });
    this.form.addEventListener("reset", function () {
      // The fields take their reset values only after this event.
      setTimeout(self.updateAll.bind(self), 0);
    });
    this.updateAll();
  };

  function setUp(root) {
    var maps = root.matches && root.matches(MAP) ? [root] : root.querySelectorAll(MAP);
    maps.forEach(function (svg) {
      var form = svg.closest("form");
      if (!form) {
        return;
      }
      if (controllers.has(form)) {
        controllers.get(form).updateAll();
      } else {
        var controller = new BodyMapForm(form);
        controllers.set(form, controller);
        controller.start();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUp(document);
    });
  } else {
    setUp(document);
  }
})();
