// Sign-in form: the captcha box must be ticked (by a person) before the submit is enabled.
// The proof comes from the sign-in site, also for the form in the app's signed-out shell.
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
      fetch(form.dataset.captchaUrl, {method: "POST", credentials: "omit"})
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
});
