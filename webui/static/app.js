// Small improvements over the plain HTML pages; everything works without them.
(function () {
  "use strict";

  // Sorting applies as soon as it is chosen.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // "/" jumps to the search box, as on many search sites.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var box = document.getElementById("q") || document.getElementById("q-top");
      if (box) { event.preventDefault(); box.focus(); box.select(); }
    }
  });

  // On a narrow screen the facets start folded, so the results come first.
  var refine = document.querySelector("details.refine");
  if (refine && window.matchMedia("(max-width: 50rem)").matches && !document.querySelector(".chips")) {
    refine.removeAttribute("open");
  }

})();
