// Shows a conditional question only while its condition holds, and disables its inputs while
// hidden so that they are not sent. The server checks the same conditions: it is the authority.
(function () {
  "use strict";

  function valuesOf(form, name) {
    var values = [];
    form.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.name !== name || input.disabled) {
        return;
      }
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) {
          values.push(input.value);
        }
      } else if (input.value !== "") {
        values.push(input.value);
      }
    });
    return values;
  }

  function refresh(form) {
    // Document order: a question's controller comes before it, so one pass settles chains.
    form.querySelectorAll("[data-show-if]").forEach(function (wrapper) {
      var wanted = JSON.parse(wrapper.getAttribute("data-show-values") || "[]");
      var current = valuesOf(form, wrapper.getAttribute("data-show-if"));
      var holds = current.some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      var parentHidden = wrapper.parentElement && wrapper.parentElement.closest("[data-show-if][hidden]");
      var shown = holds && !parentHidden;
      wrapper.hidden = !shown;
      wrapper.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !shown;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-assessment-form]").forEach(function (form) {
      refresh(form);
      form.addEventListener("change", function () {
        refresh(form);
      });
    });
  });
})();
