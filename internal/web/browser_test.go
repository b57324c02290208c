package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/i18n"
	"souk/internal/money"
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
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
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
