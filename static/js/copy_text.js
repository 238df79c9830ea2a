// Copy button: <button data-copy-target="#id"> copies the text of the target element.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-target]");
  if (!button) return;
  var target = document.querySelector(button.getAttribute("data-copy-target"));
  if (!target) return;
  var text = target.innerText.trim();
  var done = function () {
    var label = button.textContent;
    button.textContent = button.getAttribute("data-copied-label") || "已复制";
    setTimeout(function () { button.textContent = label; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done);
  } else {
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    document.body.removeChild(area);
    done();
  }
});
