// Print buttons without inline script (CSP): an element with data-forlob-print prints the page
// when clicked; a page with an element data-forlob-autoprint opens the print dialog on load.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-forlob-print]").forEach(function (el) {
    el.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
  if (document.querySelector("[data-forlob-autoprint]")) {
    window.print();
  }
});
