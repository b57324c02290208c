// Pays a souk order with Stripe's Payment Element: the card never touches
// souk's server. The page carries the publishable key, the PaymentIntent's
// client secret and where Stripe sends the customer back.
(function () {
  var box = document.getElementById("stripe-pay");
  if (!box || typeof Stripe !== "function") return;
  var stripe = Stripe(box.dataset.key);
  var elements = stripe.elements({ clientSecret: box.dataset.secret, locale: box.dataset.locale });
  elements.create("payment").mount("#stripe-element");
  box.addEventListener("submit", function (e) {
    e.preventDefault();
    var button = box.querySelector("button");
    button.disabled = true;
    stripe.confirmPayment({ elements: elements, confirmParams: { return_url: box.dataset.return } }).then(function (r) {
      if (r.error) {
        box.querySelector(".error").textContent = r.error.message;
        button.disabled = false;
      }
    });
  });
})();
