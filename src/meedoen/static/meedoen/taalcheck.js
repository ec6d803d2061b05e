// The one-click replace of the live language check (issue 16). The check itself is htmx: the field posts
// its form to /taalcheck/ after a pause in typing; the answer lists the avoided words with a button per
// alternative. This replaces the word in the field, keeps a capital at its start, and lets htmx check again.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".meedoen-taalcheck__replace");
  if (!button) return;
  var form = button.closest("form");
  var field = form && form.querySelector('[name="' + button.dataset.field + '"]');
  if (!field) return;
  var text = field.value;
  var start = parseInt(button.dataset.start, 10);
  var end = parseInt(button.dataset.end, 10);
  var found = button.dataset.found;
  if (text.slice(start, end) !== found) {
    start = text.indexOf(found);
    if (start < 0) return;
    end = start + found.length;
  }
  var replacement = button.dataset.with;
  if (found.charAt(0) !== found.charAt(0).toLowerCase()) {
    replacement = replacement.charAt(0).toUpperCase() + replacement.slice(1);
  }
  field.value = text.slice(0, start) + replacement + text.slice(end);
  field.focus();
  field.setSelectionRange(start + replacement.length, start + replacement.length);
  field.dispatchEvent(new Event("input", { bubbles: true }));
});
