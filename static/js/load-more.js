// Progressive enhancement: "Older posts" fetches the next page and appends its cards in place.
// Without JavaScript the link is an ordinary link to the next page.
(function () {
  "use strict";
  var list = document.getElementById("post-list");
  if (!list || !window.fetch || !window.DOMParser) return;

  function enhance(nav) {
    var next = nav && nav.querySelector("a[rel=next]");
    if (!next) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "load-more";
    button.textContent = "Load more posts";
    next.insertAdjacentElement("beforebegin", button);
    button.addEventListener("click", function () {
      button.disabled = true;
      button.textContent = "Loading…";
      fetch(next.href, { headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var cards = doc.querySelectorAll("#post-list > article");
          var first = null;
          cards.forEach(function (card) {
            var node = document.importNode(card, true);
            list.appendChild(node);
            if (!first) first = node;
          });
          var newNav = doc.querySelector("nav.pagination");
          var prev = newNav.querySelector("a[rel=prev]");
          if (prev) prev.remove();
          nav.replaceWith(newNav);
          enhance(newNav);
          // Move focus to the first new card so keyboard users continue where they were.
          var link = first && first.querySelector("a");
          if (link) link.focus();
        })
        .catch(function () {
          window.location.href = next.href;
        });
    });
  }

  enhance(document.querySelector("nav.pagination"));
})();
