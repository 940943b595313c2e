// Pasteup e-paper: articles open by CSS :target without this script; it only lights an
// article's other regions while one is hovered or focused, and closes an article with Escape.
"use strict";
(function () {
  function regionsOf(story) {
    return document.querySelectorAll('.region[data-story="' + CSS.escape(story) + '"]');
  }
  function light(event, on) {
    var story = event.target.getAttribute("data-story");
    if (!story) { return; }
    regionsOf(story).forEach(function (region) { region.classList.toggle("lit", on); });
  }
  document.querySelectorAll(".region").forEach(function (region) {
    region.addEventListener("mouseenter", function (event) { light(event, true); });
    region.addEventListener("mouseleave", function (event) { light(event, false); });
    region.addEventListener("focus", function (event) { light(event, true); });
    region.addEventListener("blur", function (event) { light(event, false); });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && location.hash.indexOf("#a-") === 0) {
      location.hash = "";
    }
  });
})();
