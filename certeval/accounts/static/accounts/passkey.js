// After a passkey is created, go back to the second-factor page (it lists the new passkey and offers
// recovery codes); django-otp-webauthn's own script runs the ceremony and shows its status messages.
document.addEventListener("otp_webauthn.register_complete", () => {
  const setup = document.getElementById("passkey-setup");
  window.location.assign(setup ? setup.dataset.done : "/");
});
