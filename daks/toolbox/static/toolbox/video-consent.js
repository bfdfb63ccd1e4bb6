// Two-click solution for external videos: the player is inserted only after the visitor's click.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-video-consent-load]");
  if (!button) return;
  var box = button.closest("[data-video-consent]");
  var frame = document.createElement("iframe");
  frame.src = box.getAttribute("data-embed-url");
  frame.title = box.getAttribute("data-title");
  frame.className = "tool-video";
  frame.setAttribute("allow", "fullscreen; picture-in-picture");
  frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
  frame.setAttribute("tabindex", "0");
  box.replaceChildren(frame);
  frame.focus();
});
