// qbank preview: search and filters. The page reads without this script; it only
// shows the filter form and hides the cards that do not match.
(function () {
  "use strict";
  var form = document.getElementById("qb-filters");
  if (!form) { return; }
  var cards = Array.prototype.slice.call(document.querySelectorAll(".qb-card"));
  var sections = Array.prototype.slice.call(document.querySelectorAll(".qb-category"));
  var count = document.getElementById("qb-count");
  var fields = {
    q: document.getElementById("qb-search"),
    category: document.getElementById("qb-category"),
    tag: document.getElementById("qb-tag"),
    type: document.getElementById("qb-type"),
    status: document.getElementById("qb-status")
  };
  var texts = cards.map(function (card) { return card.textContent.toLowerCase(); });

  function matches(card, index, words) {
    var d = card.dataset;
    if (fields.category.value && d.category !== fields.category.value) { return false; }
    if (fields.tag.value && d.tags.split(" ").indexOf(fields.tag.value) < 0) { return false; }
    if (fields.type.value && d.type !== fields.type.value) { return false; }
    var status = fields.status.value;
    if (status === "findings" ? d.status === "clean" : (status && d.status !== status)) { return false; }
    return words.every(function (word) { return texts[index].indexOf(word) >= 0; });
  }

  function apply() {
    var words = fields.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card, index) {
      var ok = matches(card, index, words);
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector(".qb-card:not([hidden])");
    });
    count.textContent = "Showing " + shown + " of " + cards.length + " question" + (cards.length === 1 ? "" : "s") + ".";
  }

  form.hidden = false;
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  apply();
})();
