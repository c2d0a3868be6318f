// The "Browse by category" button on narrow screens folds and unfolds the category navigation.
// The state is drawn by CSS from a class on <html> (set early by static/js/early.js) and kept
// for the session, so a reader who unfolded it to pick a category finds it open on the next page.
(function () {
  "use strict";
  var root = document.documentElement;
  var button = document.querySelector(".facets__toggle");
  if (!button) return;

  function show(open) {
    root.classList.toggle("facets-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  show(root.classList.contains("facets-open"));
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    show(open);
    try {
      window.sessionStorage.setItem("hub:facets-open", open ? "1" : "0");
    } catch (e) {
      // Not remembered: it folds again on the next page.
    }
  });
})();
