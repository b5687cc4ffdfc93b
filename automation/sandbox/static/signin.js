// Sign-in form: the captcha box must be ticked (by a person) before the submit is enabled,
// and the cookie banner goes away once accepted or rejected.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.signinForm").forEach(function (form) {
    var box = form.querySelector("#captchaCheckbox");
    var submit = form.querySelector("#submitBtn");
    var token = form.querySelector("#captchaToken");
    if (!box) { return; }
    box.addEventListener("change", function () {
      submit.disabled = true;
      token.value = "";
      if (!box.checked) { return; }
      box.disabled = true;
      fetch("/sign-in/captcha", {method: "POST", credentials: "same-origin"})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (data) {
          token.value = data.token;
          form.querySelector("#captchaWidget").classList.add("verified");
          submit.disabled = false;
        })
        .catch(function () { box.checked = false; })
        .finally(function () { box.disabled = false; });
    });
  });
  function closeBanner(consent) {
    document.cookie = "cookie_consent=" + consent + "; path=/; SameSite=Lax";
    var banner = document.getElementById("cookieBanner");
    if (banner) { banner.remove(); }
  }
  var accept = document.getElementById("cookieAcceptAll");
  var reject = document.getElementById("cookieRejectAll");
  if (accept) { accept.addEventListener("click", function () { closeBanner("1"); }); }
  if (reject) { reject.addEventListener("click", function () { closeBanner("0"); }); }
});
