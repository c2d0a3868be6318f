// On narrow screens the category navigation starts folded so the posts come first.
(function () {
  "use strict";
  var toggle = document.querySelector(".facets__toggle");
  if (toggle && window.matchMedia("(max-width: 48rem)").matches) {
    toggle.open = false;
  }
})();
