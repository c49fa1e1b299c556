// After a passkey is created, go back to the second-factor page (or where the person was going);
// django-otp-webauthn's own script does the ceremony and shows its status messages.
document.addEventListener("otp_webauthn.register_complete", () => {
  const placeholder = document.querySelector("[data-done]");
  const next = placeholder ? placeholder.dataset.next || placeholder.dataset.done : "/";
  window.location.assign(placeholder && placeholder.dataset.done ? placeholder.dataset.done : next);
});
