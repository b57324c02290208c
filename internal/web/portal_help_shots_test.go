package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/gen2brain/webp"

	"souk/internal/app"
	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db/dbtest"
	"souk/internal/money"
	"souk/internal/order"
	"souk/internal/vendor"
)

// TestHelpScreenshots makes the screenshots of the portal's help guides
// (portal_help.go): it runs the real server on SQLite with a demo
// cooperative (products with photos, orders waiting at each step), signs
// in as its owner in Debian's chromium, and captures each screen a guide
// shows at a phone's size (390×844 CSS pixels, device scale 2), in Arabic,
// French and Tamazight. The part of the page a step talks about is
// outlined. Each picture is cropped to that part, encoded as WebP and
// written to internal/web/assets/help/<shot>.<locale>.webp, where the
// binary embeds it from.
//
// It runs only when asked, after a change to a screen a guide shows:
//
//	SOUK_HELP_SCREENSHOTS=1 go test -run TestHelpScreenshots ./internal/web/
//
// (chromium: apt-get install -y chromium fonts-noto-core). It takes about a
// minute. A screen that cannot be reached fails the test and leaves that
// picture as it was; a page wider than the phone, or a picture over 80 kB,
// fails it too. When every picture was made, pictures no guide shows any
// more are removed. Each picture is lossless WebP when that stays under
// 60 kB, else lossy at the best quality that does.
func TestHelpScreenshots(t *testing.T) {
	if os.Getenv("SOUK_HELP_SCREENSHOTS") != "1" {
		t.Skip("makes the help guides' screenshots only with SOUK_HELP_SCREENSHOTS=1")
	}
	exe := chromium(t)
	ctx := context.Background()
	d := dbtest.SQLite(t)
	a := newApp(t, d, app.Config{DataDir: t.TempDir()})
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	a.UseAddress(srv.URL)
	m := market{t: t, app: a, d: d, url: srv.URL}
	admin := auth.User{ID: 1, Role: auth.RoleAdmin}

	// The cooperative, its owner, its products (with photos), and orders
	// waiting at each step of the shipping guide.
	v, err := a.Vendors.Create(ctx, admin, vendor.Input{Slug: "tifaouine", Kind: vendor.Cooperative, LegalName: "Coopérative Tifaouine",
		Region: "souss-massa", City: "Taroudant", CooperativeNumber: "2004/1", ICE: "001234567000089",
		Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine"}, "ar": {DisplayName: "تعاونية تيفاوين"},
			"zgh": {DisplayName: "ⵜⴰⵎⵢⴰⵡⴰⵙⵜ ⵜⵉⴼⴰⵡⵉⵏ"}}}, vendor.Approved)
	if err != nil {
		t.Fatal(err)
	}
	const email, password = "aicha@tifaouine.ma", "argan-tifaouine-2024"
	owner, err := a.Auth.CreateUser(ctx, auth.NewUser{Email: email, Password: password, Name: "Aïcha", Locale: "fr",
		Role: auth.RoleVendorOwner, VendorID: v.ID})
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, err := a.Orders.SetSettings(ctx, admin, order.SettingsInput{CODConfirmation: &yes}); err != nil {
		t.Fatal(err)
	}
	for i, p := range helpDemoProducts {
		created, err := a.Catalog.Create(ctx, admin, v.ID, catalog.Input{Slug: p.slug, Category: p.category, Status: p.status,
			Texts: p.texts, Variants: []catalog.Variant{{SKU: strings.ToUpper(p.slug[:3]) + "-1", Label: p.size, Price: money.Dirhams(p.price),
				Stock: p.stock, WeightGrams: 400}}})
		if err != nil {
			t.Fatal(p.slug, err)
		}
		if _, err := a.Catalog.AddPhoto(ctx, admin, created.ID, helpProductPhoto(t, p.colour, i), p.texts["fr"].Title); err != nil {
			t.Fatal(p.slug, err)
		}
	}
	// In each language, a customer's four cash-on-delivery orders (one
	// stays to confirm, one is confirmed, one packed, one shipped) and a card
	// order whose payment has not come.
	type demoParcels struct{ toConfirm, confirmed, packed, shipped, unpaid int64 }
	parcels := map[string]demoParcels{}
	for _, loc := range []string{"ar", "fr", "zgh"} {
		var ids []int64
		for i := range 4 {
			buyer := m.shopper()
			buyer.addToCart(loc, "huile-argan", 1+i%2, "").location(t)
			buyer.addToCart(loc, "amlou", 1, "").location(t)
			buyer.place(loc, buyer.reviewed(loc, "cod"))
			ids = append(ids, helpLastParcel(t, m, v.ID))
		}
		moves := []struct {
			id int64
			to []order.Status
		}{{ids[2], []order.Status{order.Confirmed}}, {ids[1], []order.Status{order.Confirmed, order.Packed}},
			{ids[0], []order.Status{order.Confirmed, order.Packed}}}
		for _, mv := range moves {
			for _, to := range mv.to {
				if _, err := a.Orders.Move(ctx, owner, mv.id, to, "", ""); err != nil {
					t.Fatal(mv.id, to, err)
				}
			}
		}
		if _, err := a.Orders.Move(ctx, owner, ids[0], order.Shipped, "", "RR123456789MA"); err != nil {
			t.Fatal(err)
		}
		card := m.shopper()
		card.addToCart(loc, "savon", 2, "").location(t)
		card.place(loc, card.reviewed(loc, "cmi"))
		parcels[loc] = demoParcels{toConfirm: ids[3], confirmed: ids[2], packed: ids[1], shipped: ids[0], unpaid: helpLastParcel(t, m, v.ID)}
	}
	parcelURL := func(id int64) string { return "/vendor/orders/" + strconv.FormatInt(id, 10) }

	// phone starts chromium as a phone whose own language is loc's (French
	// for Tamazight, which chromium does not speak: file choosers and the
	// like then read as on a Moroccan phone), signed in as the owner.
	phone := func(loc string) (context.Context, func()) {
		ui := loc
		if loc == "zgh" {
			ui = "fr"
		}
		alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox,
			chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.WindowSize(390, 844),
			chromedp.Flag("lang", ui), chromedp.Flag("accept-lang", ui),
			chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("hide-scrollbars", true),
			chromedp.Flag("font-render-hinting", "none"))
		browser, cancelBrowser := chromedp.NewContext(alloc)
		browser, cancelTimeout := context.WithTimeout(browser, 5*time.Minute)
		stop := func() { cancelTimeout(); cancelBrowser(); cancelAlloc() }
		if err := chromedp.Run(browser,
			chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)),
			chromedp.Navigate(srv.URL+"/"+loc+"/account/signin?next=/vendor/"),
			chromedp.WaitVisible(`#email`, chromedp.ByQuery),
			chromedp.SendKeys(`#email`, email, chromedp.ByQuery),
			chromedp.SendKeys(`#password`, password, chromedp.ByQuery),
			chromedp.Submit(`#password`, chromedp.ByQuery),
			chromedp.WaitVisible(`nav.menu`, chromedp.ByQuery),
		); err != nil {
			stop()
			t.Fatalf("sign in, %s: %v", loc, err)
		}
		return browser, stop
	}

	dir := filepath.Join("assets", "help")
	var total int
	written := map[string]bool{}
	// shot opens path in loc (unless path is ""), runs prep, waits for ready,
	// and keeps the part of the page from focus down (the top when ""),
	// height CSS pixels at most, with mark outlined.
	shot := func(browser context.Context, loc, name, path, ready, focus, mark string, height int, prep ...chromedp.Action) {
		t.Helper()
		var tasks chromedp.Tasks
		if path != "" {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			tasks = append(tasks, chromedp.Navigate(srv.URL+path+sep+"lang="+loc))
		}
		tasks = append(tasks, prep...)
		if ready != "" {
			tasks = append(tasks, chromedp.WaitVisible(ready, chromedp.ByQuery))
		}
		var shotPNG []byte
		tasks = append(tasks, helpCapture(focus, mark, height, &shotPNG))
		run, cancel := context.WithTimeout(browser, 30*time.Second)
		defer cancel()
		if err := chromedp.Run(run, tasks); err != nil {
			var where, main string
			look, cancelLook := context.WithTimeout(browser, 5*time.Second)
			_ = chromedp.Run(look, chromedp.Location(&where), chromedp.Text(`main`, &main, chromedp.ByQuery))
			cancelLook()
			t.Errorf("%s in %s: %v (at %s: %.300s)", name, loc, err, where, strings.Join(strings.Fields(main), " "))
			return
		}
		out, err := helpEncode(shotPNG)
		if err != nil {
			t.Errorf("%s in %s: %v", name, loc, err)
			return
		}
		file := filepath.Join(dir, name+"."+loc+".webp")
		if err := os.WriteFile(file, out, 0o644); err != nil {
			t.Fatal(err)
		}
		total += len(out)
		written[file] = true
		t.Logf("%s: %d bytes", file, len(out))
		if len(out) > 80_000 {
			t.Errorf("%s is %d bytes, over 80 kB", file, len(out))
		}
	}
	locales := []string{"ar", "fr", "zgh"}

	// Lists and orders first, in every language: nothing here changes what
	// the others show.
	for _, loc := range locales {
		b, stop := phone(loc)
		pc := parcels[loc]
		shot(b, loc, "products", "/vendor/products", "#add-product", "", "#add-product", 760)
		shot(b, loc, "orders-confirm", "/vendor/orders?tab=confirm", "#parcels", "", "nav.tabs a[aria-current]", 640)
		shot(b, loc, "orders-collect", "/vendor/orders?tab=all", "#parcels", "#parcels", "#parcels .collect", 520)
		shot(b, loc, "order-confirm", parcelURL(pc.toConfirm), "#next", "h1", "#next button", 620)
		shot(b, loc, "order-cod", parcelURL(pc.toConfirm), "#collect", "h1", "#collect", 420)
		shot(b, loc, "order-payment", parcelURL(pc.toConfirm), "#next", ".cards.wide .card:nth-child(2)@60", ".cards.wide .card:nth-child(2)", 420)
		shot(b, loc, "order-pack", parcelURL(pc.confirmed), "#next", "h1", "#next a.button", 560)
		shot(b, loc, "order-slip", parcelURL(pc.confirmed)+"/slip", "main", "h1", ".slip .tick", 700)
		shot(b, loc, "order-ship", parcelURL(pc.packed), "#next", "#next", "#next .field", 560)
		shot(b, loc, "order-tracking", parcelURL(pc.packed), "#tracking", "#next", "#next button", 560,
			chromedp.SendKeys(`#tracking`, "RR987654321MA", chromedp.ByQuery))
		shot(b, loc, "order-unpaid", parcelURL(pc.unpaid), "#unpaid", "h1", "#unpaid", 460)
		shot(b, loc, "order-invoice", parcelURL(pc.shipped)+"/invoice", "main", "table.totals@380", "table.totals", 640)
		shot(b, loc, "dashboard", "/vendor/", "#sales-today", "", ".cards", 620)
		stop()
	}

	// Adding a product, in each language: a new one each time.
	photo := filepath.Join(t.TempDir(), "photo.png")
	if err := os.WriteFile(photo, helpProductPhoto(t, color.RGBA{196, 86, 110, 255}, 7), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, loc := range locales {
		b, stop := phone(loc)
		p := helpNewProduct[loc]
		shot(b, loc, "product-new", "/vendor/products/new", "#product-form", "h1", "#category", 620)
		shot(b, loc, "product-title", "", "", "#texts", "#texts-"+loc, 640,
			chromedp.SetValue(`#category`, p.category, chromedp.ByQuery),
			chromedp.SendKeys(`#title-`+loc, p.title, chromedp.ByQuery),
			chromedp.SendKeys(`#description-`+loc, p.description, chromedp.ByQuery))
		shot(b, loc, "product-price", "", "", "#variants", "#variant-1", 720,
			chromedp.SendKeys(`#variants-0-label`, p.size, chromedp.ByQuery),
			chromedp.SendKeys(`#variants-0-price`, p.price, chromedp.ByQuery),
			chromedp.SendKeys(`#variants-0-stock`, "12", chromedp.ByQuery),
			chromedp.SendKeys(`#variants-0-weight`, "350", chromedp.ByQuery))
		shot(b, loc, "product-saved", "", "#submit", "", ".notice", 640,
			helpClick(`#save`),
			helpWaitURL("done=products.created"))
		shot(b, loc, "product-languages", "", "#missing-languages", "#missing-languages", "#missing-languages", 600)
		// As the guide says: another language filled in, and saved.
		shot(b, loc, "product-photos", "", "#photos", "#photos", "#photo-tips", 640,
			chromedp.SendKeys(`#title-`+p.other, p.otherTitle, chromedp.ByQuery),
			helpClick(`#save`),
			helpWaitURL("done=products.saved"))
		shot(b, loc, "product-upload", "", "", "#photo-form", "#photo-form", 560,
			chromedp.SetUploadFiles(`#photos-gallery`, []string{photo}, chromedp.ByQuery))
		shot(b, loc, "product-submit", "", "#submit button", "", "#submit button", 640,
			helpClick(`#photo-form button[type=submit]`),
			helpWaitURL("done=products.photos_added"))
		shot(b, loc, "product-pending", "", "#status", "", "#status", 560,
			helpClick(`#submit button`),
			helpWaitURL("done=products.submitted"))
		stop()
	}
	// Pictures no guide shows any more go, once every one was made.
	if !t.Failed() {
		old, _ := filepath.Glob(filepath.Join(dir, "*.webp"))
		for _, f := range old {
			if !written[f] {
				t.Logf("removing %s, which no guide shows", f)
				if err := os.Remove(f); err != nil {
					t.Error(err)
				}
			}
		}
	}
	t.Logf("%d bytes of screenshots in all", total)
	if total > 3<<20 {
		t.Errorf("the screenshots weigh %d bytes, over 3 MB", total)
	}
}

// helpCapture outlines mark, scrolls to focus and captures height CSS
// pixels of the page from a little above it (or from the top when focus is
// ""; "sel@N" starts N pixels above sel), the page's full width, as PNG.
func helpCapture(focus, mark string, height int, out *[]byte) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var at struct {
			Top, Doc, Width, Wide float64
			Focus, Mark           bool
		}
		above := 16.0 // CSS pixels kept above focus: "sel@120" keeps 120
		if i := strings.LastIndex(focus, "@"); i > 0 {
			n, err := strconv.Atoi(focus[i+1:])
			if err != nil {
				return fmt.Errorf("focus %q: %w", focus, err)
			}
			focus, above = focus[:i], float64(n)
		}
		js := fmt.Sprintf(`(() => {
  for (const e of document.querySelectorAll('[data-help-mark]')) { e.style.outline = ''; e.style.outlineOffset = ''; e.removeAttribute('data-help-mark'); }
  const m = %[2]q ? document.querySelector(%[2]q) : null;
  if (m) {
    // Inside a box that scrolls (tabs), an outline drawn outside would be cut.
    let inside = false;
    for (let p = m.parentElement; p; p = p.parentElement) { if (getComputedStyle(p).overflowX !== 'visible') inside = true; }
    m.setAttribute('data-help-mark', ''); m.style.outline = '4px solid #f2a900'; m.style.outlineOffset = inside ? '-4px' : '3px';
  }
  const f = %[1]q ? document.querySelector(%[1]q) : null;
  const top = f ? Math.max(0, f.getBoundingClientRect().top + window.scrollY - %[3]f) : 0;
  window.scrollTo(0, top);
  return {top: top, doc: document.documentElement.scrollHeight, width: document.documentElement.clientWidth,
    wide: document.documentElement.scrollWidth,
    focus: !%[1]q || !!f, mark: !%[2]q || !!m};
})()`, focus, mark, above)
		if err := chromedp.Evaluate(js, &at).Do(ctx); err != nil {
			return err
		}
		if !at.Focus || !at.Mark {
			return fmt.Errorf("not on the page: %q (found %v) or %q (found %v)", focus, at.Focus, mark, at.Mark)
		}
		if at.Wide > at.Width {
			return fmt.Errorf("the page is wider than the phone (%.0f CSS pixels): a reader would scroll sideways", at.Wide)
		}
		// Let lazy images scrolled into view arrive.
		if err := chromedp.Sleep(400 * time.Millisecond).Do(ctx); err != nil {
			return err
		}
		top, h := at.Top, float64(height)
		if top+h > at.Doc {
			top = math.Max(0, at.Doc-h)
			h = math.Min(h, at.Doc)
		}
		b, err := cdpage.CaptureScreenshot().WithFormat(cdpage.CaptureScreenshotFormatPng).WithCaptureBeyondViewport(true).
			WithClip(&cdpage.Viewport{X: 0, Y: top, Width: at.Width, Height: h, Scale: 1}).Do(ctx)
		*out = b
		return err
	})
}

// helpWaitURL waits until the page's address holds part: the page a form
// led to has come.
func helpWaitURL(part string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			var at string
			if err := chromedp.Location(&at).Do(ctx); err != nil {
				return err
			}
			if strings.Contains(at, part) {
				return chromedp.WaitReady(`body`, chromedp.ByQuery).Do(ctx)
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %q, at %s: %w", part, at, ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

// helpClick presses the button sel as a finger would: the form is sent
// with that button's name and value.
func helpClick(sel string) chromedp.Action {
	return chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).click()`, sel), nil)
}

// helpEncode turns a screenshot into WebP: lossless when that is small
// enough (text stays sharp), else lossy at the highest quality under 80 kB.
func helpEncode(pngBytes []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(pngBytes))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := webp.Encode(&buf, img, webp.Options{Lossless: true, Method: 6}); err != nil {
		return nil, err
	}
	if buf.Len() <= 60_000 {
		return buf.Bytes(), nil
	}
	for _, q := range []int{88, 82, 75, 68, 60} {
		buf.Reset()
		if err := webp.Encode(&buf, img, webp.Options{Quality: q, Method: 6}); err != nil {
			return nil, err
		}
		if buf.Len() <= 60_000 {
			break
		}
	}
	return buf.Bytes(), nil
}

// helpLastParcel is the newest parcel of vendor v.
func helpLastParcel(t *testing.T, m market, v int64) int64 {
	t.Helper()
	var id int64
	if err := m.d.Read().QueryRowContext(context.Background(), `SELECT MAX(id) FROM vendor_orders WHERE vendor_id = ?`, v).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// helpDemoProducts are the cooperative's products in the screenshots.
var helpDemoProducts = []struct {
	slug, category, size string
	price                int64
	stock                int
	status               catalog.Status
	colour               color.RGBA
	texts                map[string]catalog.Texts
}{
	{"huile-argan", "argan-oil", "250 ml", 15000, 24, catalog.Published, color.RGBA{201, 140, 39, 255}, map[string]catalog.Texts{
		"ar": {Title: "زيت الأركان"}, "fr": {Title: "Huile d’argan"}, "zgh": {Title: "ⵣⵣⵉⵜ ⵏ ⵡⴰⵔⴳⴰⵏ"}, "en": {Title: "Argan oil"}, "es": {Title: "Aceite de argán"}}},
	{"amlou", "amlou-honey", "200 g", 4000, 30, catalog.Published, color.RGBA{122, 74, 38, 255}, map[string]catalog.Texts{
		"ar": {Title: "أملو"}, "fr": {Title: "Amlou"}, "zgh": {Title: "ⴰⵎⵍⵓ"}}},
	{"savon", "soaps-ghassoul", "100 g", 3000, 40, catalog.Published, color.RGBA{63, 92, 52, 255}, map[string]catalog.Texts{
		"ar": {Title: "صابون بلدي"}, "fr": {Title: "Savon noir"}}},
	{"miel-thym", "amlou-honey", "500 g", 18000, 8, catalog.PendingReview, color.RGBA{214, 170, 40, 255}, map[string]catalog.Texts{
		"ar": {Title: "عسل الزعتر"}, "fr": {Title: "Miel de thym"}}},
}

// helpNewProduct is what the owner types in the product form, per
// language: first in their own, then a title in another (other), as the
// guide asks.
var helpNewProduct = map[string]struct{ category, title, description, size, price, other, otherTitle string }{
	"ar":  {"rose-products", "ماء الورد", "ماء ورد مقطر من ورود قلعة مكونة، بدون إضافات.", "250 مل", "60", "fr", "Eau de rose"},
	"fr":  {"rose-products", "Eau de rose", "Eau de rose distillée des roses de Kelâat M’Gouna, sans rien d’ajouté.", "250 ml", "60", "ar", "ماء الورد"},
	"zgh": {"rose-products", "ⴰⵎⴰⵏ ⵏ ⵍⵡⵕⴷ", "ⴰⵎⴰⵏ ⵏ ⵍⵡⵕⴷ ⵏ ⵇⵍⵄⴰⵜ ⵎⴳⵓⵏⴰ.", "250 ml", "60", "ar", "ماء الورد"},
}

// helpProductPhoto draws a product photo as a phone would take it: a jar
// of the product's colour on a plain light background, in daylight.
func helpProductPhoto(t *testing.T, c color.RGBA, seed int) []byte {
	t.Helper()
	const w, h = 640, 640
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h { // a soft light from the window, on the left
		for x := range w {
			l := 244 - uint8(18*x/w) - uint8(10*y/h)
			img.Set(x, y, color.RGBA{l, l - 4, l - 12, 255})
		}
	}
	draw.Draw(img, image.Rect(150, 560, 490, 580), &image.Uniform{color.RGBA{200, 192, 180, 255}}, image.Point{}, draw.Src) // shadow
	for y := 200; y < 570; y++ {                                                                                            // the jar
		for x := 180; x < 460; x++ {
			shade := 1 - 0.35*float64(x-180)/280
			img.Set(x, y, color.RGBA{uint8(float64(c.R) * shade), uint8(float64(c.G) * shade), uint8(float64(c.B) * shade), 255})
		}
	}
	lid := color.RGBA{uint8(60 + 20*seed%80), 50, 40, 255}
	draw.Draw(img, image.Rect(200, 150, 440, 205), &image.Uniform{lid}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(215, 320, 425, 440), &image.Uniform{color.RGBA{246, 238, 222, 255}}, image.Point{}, draw.Src) // label
	draw.Draw(img, image.Rect(240, 350, 400, 362), &image.Uniform{c}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(255, 390, 385, 400), &image.Uniform{color.RGBA{140, 130, 120, 255}}, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
