// What covers pages on both sites: the cookie banner (until accepted or rejected, remembered in
// this site's own cookie) and, on the app, a product-tour guide with a backdrop that swallows
// clicks until the guide is closed. The guide shows a moment after load, as the real one does.
document.addEventListener("DOMContentLoaded", function () {
  var banner = document.getElementById("cookieBanner");
  function closeBanner(consent) {
    document.cookie = banner.dataset.cookie + "=" + consent + "; path=/; SameSite=Lax";
    banner.remove();
  }
  if (banner) {
    document.getElementById("cookieAcceptAll").addEventListener("click", function () { closeBanner("1"); });
    document.getElementById("cookieRejectAll").addEventListener("click", function () { closeBanner("0"); });
  }

  var guide = document.getElementById("pendo-base");
  if (!guide) { return; }
  var backdrop = null;
  function closeGuide() {
    guide.remove();
    if (backdrop) { backdrop.remove(); }
  }
  guide.querySelectorAll("._pendo-close-guide_, .pendo-close-guide").forEach(function (el) {
    el.addEventListener("click", closeGuide);
  });
  window.setTimeout(function () {
    backdrop = document.createElement("div");
    backdrop.className = "modal-backdrop fade in tourBackdrop";
    document.body.appendChild(backdrop);
    guide.hidden = false;
  }, Number(guide.dataset.delayMs || 0));
});
