// The character counter under a long text field: how many characters are left, or how
// many are over the limit, as the subject types. Without it the hint above the field
// gives the limit and the server says when the text is over it.
(function () {
  "use strict";
  // Counted as the server counts: line breaks as one character, surrounding space trimmed,
  // characters rather than UTF-16 units.
  function length(text) {
    return Array.from(text.replace(/\r\n?/g, "\n").trim()).length;
  }
  document.querySelectorAll("[data-counter-for]").forEach(function (counter) {
    var field = document.getElementById(counter.dataset.counterFor);
    var limit = parseInt(counter.dataset.limit, 10);
    if (!field || !limit) {
      return;
    }
    var language = document.documentElement.lang || undefined;
    function update() {
      var used = length(field.value);
      var over = used > limit;
      var count = over ? used - limit : limit - used;
      counter.textContent =
        (over ? counter.dataset.over : counter.dataset.left) + " " + count.toLocaleString(language);
      counter.classList.toggle("counter-over", over);
    }
    field.addEventListener("input", update);
    update();
    counter.hidden = false;
  });
})();
