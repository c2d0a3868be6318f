// Loaded in <head>, before the first paint: marks the page as scripted, and remembers whether
// the reader unfolded the category navigation, so that CSS draws it folded or unfolded at once
// (static/js/facets.js does the rest). Nothing moves after the page is drawn.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  try {
    if (window.sessionStorage.getItem("hub:facets-open") === "1") root.classList.add("facets-open");
  } catch (e) {
    // Storage refused (private mode, cookies blocked): the panel starts folded.
  }
})();
