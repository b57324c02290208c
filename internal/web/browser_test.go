package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"souk/internal/app"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/payment/stripepay"
	"souk/internal/vendor"
)

// chromium finds Debian's chromium. Without it the browser tests are
// skipped — unless SOUK_REQUIRE_BROWSER=1 (CI sets it), when that fails.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("SOUK_REQUIRE_BROWSER") == "1" {
		t.Fatal("SOUK_REQUIRE_BROWSER=1 but no chromium is installed (apt-get install -y chromium)")
	}
	t.Skip("browser tests SKIPPED: chromium is not installed (apt-get install -y chromium; CI installs it)")
	return ""
}

// artifacts is where screenshots go: $SOUK_ARTIFACTS, else artifacts/ at
// the repository's root.
func artifacts(t *testing.T, sub string) string {
	dir := os.Getenv("SOUK_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "artifacts")
	}
	dir = filepath.Join(dir, "browser", sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserShopperFindsArganOilWithoutHamza is a shopper's walk in a real
// browser: the Arabic home page reads right to left; a search typed
// without hamza finds the product written with one; the product page
// switches to French and shows the French title and price.
func TestBrowserShopperFindsArganOilWithoutHamza(t *testing.T) {
	exe := chromium(t)
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a, v := shopWithCooperative(t, d, "tifaouine", "Taroudant",
			map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine"}, "ar": {DisplayName: "تعاونية تيفاوين"}})
		price := money.Dirhams(14950)
		if _, err := a.Catalog.Create(ctx, operator, v.ID, catalog.Input{Slug: "huile-argan-beldi", Category: "argan-oil", Status: catalog.Published,
			Texts: map[string]catalog.Texts{
				"ar": {Title: "زيت الأركان البلدي", Description: "معصور على البارد في تيفاوين."},
				"fr": {Title: "Huile d’argan beldi", Description: "Pressée à froid à Tifaouine."}},
			Variants: []catalog.Variant{{SKU: "ARG-250", Label: "250 ml", Price: price, Stock: 12}}}); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler())
		defer srv.Close()

		alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox,
			// No UserDataDir: chromedp makes a fresh one and removes it once chromium has exited
			// (t.TempDir's cleanup can race chromium's last writes).
			chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
			chromedp.WindowSize(412, 915), // a phone
			chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true))
		defer cancelAlloc()
		browser, cancelBrowser := chromedp.NewContext(alloc)
		defer cancelBrowser()
		browser, cancelTimeout := context.WithTimeout(browser, 90*time.Second)
		defer cancelTimeout()

		shots := artifacts(t, strings.ReplaceAll(t.Name(), "/", "-"))
		// shot keeps what the phone shows, and notes a page wider than the
		// screen (a phone would scroll sideways).
		var overflow []string
		shot := func(name string) chromedp.Action {
			return chromedp.ActionFunc(func(ctx context.Context) error {
				var fits bool
				if err := chromedp.Evaluate(`document.documentElement.scrollWidth <= document.documentElement.clientWidth`, &fits).Do(ctx); err != nil {
					return err
				}
				if !fits {
					overflow = append(overflow, name)
				}
				var png []byte
				if err := chromedp.CaptureScreenshot(&png).Do(ctx); err != nil {
					return err
				}
				return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
			})
		}

		var dir, lang, heading, frHeading, frPrice string
		var dirOK, langOK bool
		err := chromedp.Run(browser,
			chromedp.EmulateViewport(412, 915), // chromium's window is never narrower than 500 px
			chromedp.Navigate(srv.URL+"/ar/"),
			chromedp.WaitVisible(`input[name="q"]`, chromedp.ByQuery),
			chromedp.AttributeValue(`html`, "dir", &dir, &dirOK, chromedp.ByQuery),
			shot("1-home-ar"),
			chromedp.SendKeys(`input[name="q"]`, "زيت الاركان", chromedp.ByQuery), // no hamza on the alef
			chromedp.Submit(`input[name="q"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`a[href="/ar/p/huile-argan-beldi"]`, chromedp.ByQuery),
			shot("2-search-ar"),
			chromedp.Click(`a[href="/ar/p/huile-argan-beldi"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`table.variants`, chromedp.ByQuery),
			chromedp.Text(`h1`, &heading, chromedp.ByQuery),
			shot("3-product-ar"),
			chromedp.Click(`nav.locales a[hreflang="fr"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`html[lang="fr"] table.variants`, chromedp.ByQuery),
			chromedp.AttributeValue(`html`, "lang", &lang, &langOK, chromedp.ByQuery),
			chromedp.Text(`h1`, &frHeading, chromedp.ByQuery),
			chromedp.Text(`table.variants td.price`, &frPrice, chromedp.ByQuery),
			shot("4-product-fr"),
		)
		if err != nil {
			t.Fatalf("browser: %v (screenshots in %s)", err, shots)
		}
		if len(overflow) > 0 {
			t.Errorf("pages wider than a phone's screen: %v", overflow)
		}
		if !dirOK || dir != "rtl" {
			t.Errorf(`Arabic home page: dir=%q, want "rtl"`, dir)
		}
		if strings.TrimSpace(heading) != "زيت الأركان البلدي" {
			t.Errorf("Arabic product title %q", heading)
		}
		if lang != "fr" || strings.TrimSpace(frHeading) != "Huile d’argan beldi" {
			t.Errorf("after switching to French: lang=%q, title %q", lang, frHeading)
		}
		if want := i18n.FormatMoney("fr", price); !strings.Contains(frPrice, want) {
			t.Errorf("French price %q, want %q", frPrice, want)
		}
	})
}

// TestBrowserShopperOrdersInFrench is a French shopper's order on a phone:
// from the product page to the cart, a checkout with a Moroccan address
// and cash on delivery, the order's page with its number; then a second
// order paid by card on the CMI simulator's page, back on souk paid.
func TestBrowserShopperOrdersInFrench(t *testing.T) {
	exe := chromium(t)
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a, v := shopWithCooperative(t, d, "tifaouine", "Taroudant",
			map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine"}, "ar": {DisplayName: "تعاونية تيفاوين"}})
		if _, err := a.Catalog.Create(ctx, operator, v.ID, catalog.Input{Slug: "huile-argan-beldi", Category: "argan-oil", Status: catalog.Published,
			Texts: map[string]catalog.Texts{
				"ar": {Title: "زيت الأركان البلدي", Description: "معصور على البارد في تيفاوين."},
				"fr": {Title: "Huile d’argan beldi", Description: "Pressée à froid à Tifaouine."}},
			Variants: []catalog.Variant{{SKU: "ARG-250", Label: "250 ml", Price: money.Dirhams(14950), Stock: 12, WeightGrams: 400}}}); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler())
		defer srv.Close()
		a.UseAddress(srv.URL) // the CMI simulator calls souk back there

		alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox,
			chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
			chromedp.WindowSize(412, 915), // a phone
			chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true))
		defer cancelAlloc()
		browser, cancelBrowser := chromedp.NewContext(alloc)
		defer cancelBrowser()
		browser, cancelTimeout := context.WithTimeout(browser, 90*time.Second)
		defer cancelTimeout()

		shots := artifacts(t, strings.ReplaceAll(t.Name(), "/", "-"))
		var overflow []string
		shot := func(name string) chromedp.Action {
			return chromedp.ActionFunc(func(ctx context.Context) error {
				var fits bool
				if err := chromedp.Evaluate(`document.documentElement.scrollWidth <= document.documentElement.clientWidth`, &fits).Do(ctx); err != nil {
					return err
				}
				if !fits {
					overflow = append(overflow, name)
				}
				var png []byte
				if err := chromedp.FullScreenshot(&png, 100).Do(ctx); err != nil {
					return err
				}
				return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
			})
		}
		// checkout fills the form as a shopper in Casablanca paying by method.
		checkout := func(method string) chromedp.Tasks {
			return chromedp.Tasks{
				chromedp.WaitVisible(`#email`, chromedp.ByQuery),
				chromedp.SendKeys(`#email`, "fatima@example.ma", chromedp.ByQuery),
				chromedp.SendKeys(`#phone`, "06 12 34 56 78", chromedp.ByQuery),
				chromedp.SendKeys(`#name`, "Fatima Zahra", chromedp.ByQuery),
				chromedp.SendKeys(`#line1`, "12 rue des Oudayas", chromedp.ByQuery),
				chromedp.SetValue(`#city`, "casablanca", chromedp.ByQuery),
				chromedp.Click(`#m-`+method, chromedp.ByQuery),
			}
		}

		var cartText, reviewText, number, orderText string
		err := chromedp.Run(browser,
			chromedp.EmulateViewport(412, 915), // chromium's window is never narrower than 500 px
			chromedp.Navigate(srv.URL+"/fr/p/huile-argan-beldi"),
			chromedp.WaitVisible(`form.buy`, chromedp.ByQuery),
			chromedp.SetValue(`#quantity`, "2", chromedp.ByQuery),
			shot("1-product"),
			chromedp.Click(`form.buy button`, chromedp.ByQuery),
			chromedp.WaitVisible(`form.qty`, chromedp.ByQuery),
			chromedp.Text(`main`, &cartText, chromedp.ByQuery),
			shot("2-cart"),
			chromedp.Click(`a[href="/fr/checkout"]`, chromedp.ByQuery),
			checkout("cod"),
			shot("3-checkout"),
			chromedp.Click(`button[value="review"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`button[value="place"]`, chromedp.ByQuery),
			chromedp.Text(`main`, &reviewText, chromedp.ByQuery),
			shot("4-review"),
			chromedp.Click(`button[value="place"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`h1 .number`, chromedp.ByQuery),
			chromedp.Text(`h1 .number`, &number, chromedp.ByQuery),
			chromedp.Text(`main`, &orderText, chromedp.ByQuery),
			shot("5-order"),
		)
		if err != nil {
			t.Fatalf("browser: %v (screenshots in %s)", err, shots)
		}
		if want := i18n.FormatMoney("fr", money.Dirhams(29900)); !strings.Contains(cartText, want) || !strings.Contains(cartText, "Huile d’argan beldi") {
			t.Errorf("cart: %q, want the line at %s", cartText, want)
		}
		if !strings.Contains(reviewText, "TVA incluse") || !strings.Contains(reviewText, "Livraison") {
			t.Errorf("review: %q", reviewText)
		}
		o, err := a.Orders.Get(ctx, operator, strings.TrimSpace(number))
		if err != nil || o.PaymentMethod != "cod" || o.Vendors[0].Lines[0].Quantity != 2 {
			t.Fatalf("order %q: %v", number, err)
		}
		if !strings.Contains(orderText, "Merci ! Votre commande est passée.") || !strings.Contains(orderText, "Confirmée") {
			t.Errorf("order page: %q", orderText)
		}

		// By card: the simulator's page, the test card, back on souk paid.
		var paidText, cardNumber string
		err = chromedp.Run(browser,
			chromedp.Navigate(srv.URL+"/fr/p/huile-argan-beldi"),
			chromedp.WaitVisible(`form.buy`, chromedp.ByQuery),
			chromedp.Click(`form.buy button`, chromedp.ByQuery),
			chromedp.WaitVisible(`form.qty`, chromedp.ByQuery),
			chromedp.Click(`a[href="/fr/checkout"]`, chromedp.ByQuery),
			checkout("cmi"),
			chromedp.Click(`button[value="review"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`button[value="place"]`, chromedp.ByQuery),
			chromedp.Click(`button[value="place"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`form[action$="/fim/est3Dgate"] button`, chromedp.ByQuery),
			shot("6-pay"),
			chromedp.Click(`form[action$="/fim/est3Dgate"] button`, chromedp.ByQuery),
			chromedp.WaitVisible(`#pan`, chromedp.ByQuery),
			chromedp.SendKeys(`#pan`, "4000000000000010", chromedp.ByQuery),
			chromedp.SendKeys(`#cardExpiry`, "12/30", chromedp.ByQuery),
			chromedp.SendKeys(`#cardCvc`, "000", chromedp.ByQuery),
			shot("7-cmi-simulator"),
			chromedp.Click(`button[type="submit"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`h1 .number`, chromedp.ByQuery),
			chromedp.Text(`h1 .number`, &cardNumber, chromedp.ByQuery),
			chromedp.Text(`main`, &paidText, chromedp.ByQuery),
			shot("8-order-paid"),
		)
		if err != nil {
			t.Fatalf("browser, card: %v (screenshots in %s)", err, shots)
		}
		if !strings.Contains(paidText, "Paiement reçu") || !strings.Contains(paidText, "payé") {
			t.Errorf("order page after paying: %q", paidText)
		}
		if o, err := a.Orders.Get(ctx, operator, strings.TrimSpace(cardNumber)); err != nil || o.Payment.Status != "captured" {
			t.Errorf("card order %q: %v %s", cardNumber, err, o.Payment.Status)
		}

		// In Arabic, right to left: a checkout sent empty lists what to fix.
		var errorsText string
		err = chromedp.Run(browser,
			chromedp.Navigate(srv.URL+"/ar/p/huile-argan-beldi"),
			chromedp.WaitVisible(`form.buy`, chromedp.ByQuery),
			chromedp.Click(`form.buy button`, chromedp.ByQuery),
			chromedp.WaitVisible(`form.qty`, chromedp.ByQuery),
			shot("9-cart-ar"),
			chromedp.Click(`a[href="/ar/checkout"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`#email`, chromedp.ByQuery),
			chromedp.Click(`button[value="review"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`.errors`, chromedp.ByQuery),
			chromedp.Text(`.errors`, &errorsText, chromedp.ByQuery),
			shot("10-checkout-errors-ar"),
		)
		if err != nil {
			t.Fatalf("browser, Arabic: %v (screenshots in %s)", err, shots)
		}
		if !strings.Contains(errorsText, "البريد الإلكتروني: إلزامي") {
			t.Errorf("Arabic errors: %q", errorsText)
		}
		if len(overflow) > 0 {
			t.Errorf("pages wider than a phone's screen: %v", overflow)
		}
	})
}

// TestBrowserShopperPaysByStripe is a shopper in Paris paying by
// international card: checkout in the browser with a French address and
// phone and the Stripe method, then the order's page waiting for the card
// payment; once Stripe says the payment succeeded, the page (reloaded)
// shows the order paid and confirmed.
//
// Stripe's API is stripe-mock, which answers the PaymentIntent calls but
// never sends webhooks and has no card page to fill in. So the test plays
// Stripe's part after the shopper's: it reads the PaymentIntent's id from
// the database and delivers the payment_intent.succeeded event Stripe
// would send, signed with the webhook secret as Stripe signs it.
func TestBrowserShopperPaysByStripe(t *testing.T) {
	exe := chromium(t)
	mock := stripepay.StartMock(t)
	const webhookSecret = "whsec_souk_browser"
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newApp(t, d, app.Config{StripeSecretKey: "sk_test_souk", StripeWebhookSecret: webhookSecret, StripeAPIURL: mock})
		v, err := a.Vendors.Create(ctx, operator, vendor.Input{Slug: "tifaouine", Kind: vendor.Cooperative, LegalName: "Coopérative Tifaouine",
			Region: "souss-massa", City: "Taroudant", CooperativeNumber: "2004/1",
			Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine"}, "ar": {DisplayName: "تعاونية تيفاوين"}}}, vendor.Approved)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Catalog.Create(ctx, operator, v.ID, catalog.Input{Slug: "huile-argan-beldi", Category: "argan-oil", Status: catalog.Published,
			Texts: map[string]catalog.Texts{
				"ar": {Title: "زيت الأركان البلدي", Description: "معصور على البارد في تيفاوين."},
				"fr": {Title: "Huile d’argan beldi", Description: "Pressée à froid à Tifaouine."}},
			Variants: []catalog.Variant{{SKU: "ARG-250", Label: "250 ml", Price: money.Dirhams(14950), Stock: 12, WeightGrams: 400}}}); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler())
		defer srv.Close()

		alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox,
			chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
			chromedp.WindowSize(412, 915), // a phone
			chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true))
		defer cancelAlloc()
		browser, cancelBrowser := chromedp.NewContext(alloc)
		defer cancelBrowser()
		browser, cancelTimeout := context.WithTimeout(browser, 90*time.Second)
		defer cancelTimeout()

		shots := artifacts(t, strings.ReplaceAll(t.Name(), "/", "-"))
		var overflow []string
		shot := func(name string) chromedp.Action {
			return chromedp.ActionFunc(func(ctx context.Context) error {
				var fits bool
				if err := chromedp.Evaluate(`document.documentElement.scrollWidth <= document.documentElement.clientWidth`, &fits).Do(ctx); err != nil {
					return err
				}
				if !fits {
					overflow = append(overflow, name)
				}
				var png []byte
				if err := chromedp.FullScreenshot(&png, 100).Do(ctx); err != nil {
					return err
				}
				return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
			})
		}

		var reviewText, number, waitingText string
		err = chromedp.Run(browser,
			chromedp.EmulateViewport(412, 915), // chromium's window is never narrower than 500 px
			chromedp.Navigate(srv.URL+"/fr/p/huile-argan-beldi"),
			chromedp.WaitVisible(`form.buy`, chromedp.ByQuery),
			chromedp.Click(`form.buy button`, chromedp.ByQuery),
			chromedp.WaitVisible(`form.qty`, chromedp.ByQuery),
			chromedp.Click(`a[href="/fr/checkout"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`#email`, chromedp.ByQuery),
			chromedp.SendKeys(`#email`, "claire@example.fr", chromedp.ByQuery),
			chromedp.SendKeys(`#phone`, "+33 6 12 34 56 78", chromedp.ByQuery),
			chromedp.SendKeys(`#name`, "Claire Martin", chromedp.ByQuery),
			chromedp.SendKeys(`#line1`, "3 rue Oberkampf", chromedp.ByQuery),
			chromedp.SetValue(`#country`, "FR", chromedp.ByQuery),
			chromedp.SendKeys(`#city_text`, "Paris", chromedp.ByQuery),
			chromedp.SendKeys(`#postal_code`, "75011", chromedp.ByQuery),
			chromedp.Click(`#m-stripe`, chromedp.ByQuery),
			shot("1-checkout-paris"),
			chromedp.Click(`button[value="review"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`button[value="place"]`, chromedp.ByQuery),
			chromedp.Text(`main`, &reviewText, chromedp.ByQuery),
			shot("2-review"),
			chromedp.Click(`button[value="place"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`h1 .number`, chromedp.ByQuery),
			chromedp.Text(`h1 .number`, &number, chromedp.ByQuery),
			chromedp.Text(`main`, &waitingText, chromedp.ByQuery),
			shot("3-order-awaiting-card"),
		)
		if err != nil {
			t.Fatalf("browser: %v (screenshots in %s)", err, shots)
		}
		number = strings.TrimSpace(number)
		if !strings.Contains(reviewText, "DHL Express") || !strings.Contains(reviewText, "TVA incluse") {
			t.Errorf("review for Paris: %q", reviewText)
		}
		for _, want := range []string{"Carte internationale (Stripe)", "en attente de paiement", "Paiement par carte en attente."} {
			if !strings.Contains(waitingText, want) {
				t.Errorf("order page before paying lacks %q: %q", want, waitingText)
			}
		}
		o, err := a.Orders.Get(ctx, operator, number)
		if err != nil || o.PaymentMethod != "stripe" || o.Address.Country != "FR" || o.Phone != "+33612345678" {
			t.Fatalf("order %q: %v %+v", number, err, o)
		}

		// Stripe's part: the PaymentIntent the order page started, and the
		// event telling souk it succeeded.
		var intent string
		if err := d.Read().QueryRowContext(ctx, `SELECT reference FROM payments WHERE order_id = ?`, o.ID).Scan(&intent); err != nil || !strings.HasPrefix(intent, "pi_") {
			t.Fatalf("PaymentIntent %q: %v", intent, err)
		}
		event := fmt.Sprintf(`{"id":"evt_browser_1","object":"event","api_version":"2025-03-31.basil","type":"payment_intent.succeeded",`+
			`"data":{"object":{"id":%q,"object":"payment_intent","amount":%d,"currency":"mad","status":"succeeded","metadata":{"order":%q}}}}`,
			intent, o.Total.Amount, o.Number)
		req, _ := http.NewRequest("POST", srv.URL+"/payments/stripe/webhook", strings.NewReader(event))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Stripe-Signature", stripepay.SignPayload([]byte(event), webhookSecret, time.Now()))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("webhook: %d", resp.StatusCode)
		}

		var paidText, status, payment string
		err = chromedp.Run(browser,
			chromedp.Reload(),
			chromedp.WaitVisible(`h1 .number`, chromedp.ByQuery),
			chromedp.Text(`main`, &paidText, chromedp.ByQuery),
			chromedp.Text(`dd.status`, &status, chromedp.ByQuery),
			chromedp.Text(`dl.facts .payment`, &payment, chromedp.ByQuery),
			shot("4-order-paid"),
		)
		if err != nil {
			t.Fatalf("browser, after the webhook: %v (screenshots in %s)", err, shots)
		}
		if strings.TrimSpace(status) != "Confirmée" || strings.TrimSpace(payment) != "payé" || strings.Contains(paidText, "Paiement par carte en attente") {
			t.Errorf("order page after the webhook: status %q, payment %q; %q", status, payment, paidText)
		}
		if o, err := a.Orders.Get(ctx, operator, number); err != nil || o.Payment.Status != "captured" {
			t.Errorf("order %s: %v payment %s", number, err, o.Payment.Status)
		}
		if len(overflow) > 0 {
			t.Errorf("pages wider than a phone's screen: %v", overflow)
		}
	})
}
