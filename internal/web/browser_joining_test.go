package web_test

import (
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/db"
	"souk/internal/db/dbtest"
	"souk/internal/i18n"
	"souk/internal/money"
	"souk/internal/morocco"
	"souk/internal/vendor"
)

// TestBrowserCooperativeJoins is a date cooperative of Tissint joining souk
// and selling its first product, every step in a real browser on a phone,
// each person in their own browser (own cookies): the applicant fills the
// form in Arabic with its registration certificate; an operator finds the
// application in the queue and approves it; the owner follows the e-mailed
// link, chooses a password and lands on the portal in Arabic, adds a
// product (a draft), its photo, and sends it for review; a moderator ticks
// the quality checklist and publishes it; a visitor searches for dates and
// finds it, with its Arabic title and price.
func TestBrowserCooperativeJoins(t *testing.T) {
	exe := chromium(t)
	dbtest.EachParallel(t, func(t *testing.T, d *db.DB) {
		bg := context.Background()
		m := newMarket(t, d)
		const (
			email    = "contact@tissint-dates.ma"
			shopName = "تعاونية تيسينت للتمور"
			title    = "تمور المجهول من تيسينت"
			password = "tissint-dates-2016"
		)
		first22 := "2253300000456789012345"
		rib := first22 + morocco.RIBKey(first22)
		price := money.Dirhams(8500)
		for _, u := range []auth.NewUser{
			{Email: "nadia@souk.ma", Name: "Nadia", Password: "console-password-1", Role: auth.RoleAdmin, Locale: "fr"},
			{Email: "karim@souk.ma", Name: "Karim", Password: "console-password-2", Role: auth.RoleModerator, Locale: "fr"},
		} {
			if _, err := m.app.Auth.CreateUser(bg, u); err != nil {
				t.Fatal(err)
			}
		}

		// What the applicant and the owner choose on their phones: the
		// cooperative's registration certificate and a photo of the dates.
		files := t.TempDir()
		certificate := filepath.Join(files, "attestation-odco.pdf")
		if err := os.WriteFile(certificate, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		photoPath := filepath.Join(files, "IMG_0412.jpg")
		writeDatesPhoto(t, photoPath)

		// Three minutes for the whole walk; each person has their own
		// chromium (own profile, own cookies), closed when they are done.
		walk, cancelWalk := context.WithTimeout(bg, 3*time.Minute)
		defer cancelWalk()
		person := func() (context.Context, context.CancelFunc) {
			alloc, cancelAlloc := chromedp.NewExecAllocator(walk, chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox,
				// No UserDataDir: chromedp makes a fresh one and removes it once chromium has exited.
				chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
				chromedp.WindowSize(412, 915), // a phone
				chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
				chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
				chromedp.Flag("disable-dev-shm-usage", true))
			browser, cancelBrowser := chromedp.NewContext(alloc)
			// Chromium makes no window narrower than 500 px: without this the
			// "phone" would be 500 px wide, and the check below would miss
			// pages between 412 and 500 px wide.
			if err := chromedp.Run(browser, chromedp.EmulateViewport(412, 915)); err != nil {
				cancelBrowser()
				cancelAlloc()
				t.Fatalf("start chromium: %v", err)
			}
			return browser, func() { cancelBrowser(); cancelAlloc() }
		}

		shots := artifacts(t, strings.ReplaceAll(t.Name(), "/", "-"))
		var overflow []string
		shot := func(name string) chromedp.Action {
			return chromedp.ActionFunc(func(ctx context.Context) error {
				var fits, short bool
				if err := chromedp.Evaluate(`document.documentElement.scrollWidth <= document.documentElement.clientWidth`, &fits).Do(ctx); err != nil {
					return err
				}
				if !fits {
					overflow = append(overflow, name)
				}
				// A page no taller than the screen is taken as the screen shows it:
				// capturing "beyond the viewport" draws the portal's dashboard
				// shifted sideways under the emulated phone.
				if err := chromedp.Evaluate(`document.documentElement.scrollHeight <= innerHeight`, &short).Do(ctx); err != nil {
					return err
				}
				var png []byte
				capture := chromedp.FullScreenshot(&png, 100)
				if short {
					capture = chromedp.CaptureScreenshot(&png)
				}
				if err := capture.Do(ctx); err != nil {
					return err
				}
				return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
			})
		}
		began, last := time.Now(), time.Now()
		var timings []string
		lap := func(step string) {
			timings = append(timings, step+" "+time.Since(last).Round(10*time.Millisecond).String())
			last = time.Now()
		}
		defer func() {
			t.Logf("%v in %s: %s", d.Dialect, time.Since(began).Round(10*time.Millisecond), strings.Join(timings, ", "))
		}()

		// 1. The applicant, in Arabic.
		applicant, closeApplicant := person()
		var sentURL, sentTitle, sentText string
		err := chromedp.Run(applicant,
			chromedp.Navigate(m.url+"/ar/sell"),
			chromedp.WaitVisible(`#kind`, chromedp.ByQuery),
			chromedp.SetValue(`#kind`, string(vendor.Cooperative), chromedp.ByQuery),
			chromedp.SendKeys(`#legal_name`, "تعاونية تيسينت لإنتاج وتسويق التمور", chromedp.ByQuery),
			chromedp.SendKeys(`#texts-ar-display_name`, shopName, chromedp.ByQuery),
			chromedp.SendKeys(`#texts-ar-story`, "أسستها نساء واحة تيسينت سنة 2016 لجني التمور وتوضيبها.", chromedp.ByQuery),
			chromedp.SetValue(`#region`, "guelmim-oued-noun", chromedp.ByQuery),
			chromedp.SendKeys(`#city`, "كلميم", chromedp.ByQuery),
			chromedp.SendKeys(`#contact_name`, "عائشة أيت بلقاسم", chromedp.ByQuery),
			chromedp.SendKeys(`#email`, email, chromedp.ByQuery),
			chromedp.SendKeys(`#phone`, "0612345678", chromedp.ByQuery),
			chromedp.SendKeys(`#cooperative_number`, "2016/45", chromedp.ByQuery),
			chromedp.SendKeys(`#rib`, rib, chromedp.ByQuery),
			chromedp.SetUploadFiles(`#documents-registration`, []string{certificate}, chromedp.ByQuery),
			shot("1-application-ar"),
			chromedp.Click(`form[action="/ar/sell"] button[type="submit"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`ol.timeline`, chromedp.ByQuery), // only the thank-you state has it
			chromedp.Location(&sentURL),
			chromedp.Text(`h1`, &sentTitle, chromedp.ByQuery),
			chromedp.Text(`main`, &sentText, chromedp.ByQuery),
			shot("2-application-sent-ar"),
		)
		closeApplicant()
		if err != nil {
			t.Fatalf("applicant: %v (screenshots in %s)", err, shots)
		}
		if !strings.HasSuffix(sentURL, "/ar/sell?sent=1") || strings.TrimSpace(sentTitle) != i18n.T("ar", "sell.sent_title", nil) {
			t.Errorf("after applying: %s, title %q", sentURL, sentTitle)
		}
		if !strings.Contains(sentText, i18n.T("ar", "sell.sent_email", nil)) {
			t.Errorf("thank-you page: %q", sentText)
		}
		var vendorID int64
		if err := d.Read().QueryRowContext(bg, `SELECT id FROM vendors WHERE email = ?`, email).Scan(&vendorID); err != nil {
			t.Fatalf("the application is not recorded: %v", err)
		}
		if v, err := m.app.Vendors.Get(bg, operator, strconv.FormatInt(vendorID, 10)); err != nil || v.Status != vendor.Applied ||
			v.Phone != "+212612345678" || v.RIB != rib || v.Locale != "ar" || v.Region != "guelmim-oued-noun" {
			t.Errorf("application as recorded: %v %+v", err, v)
		}
		lap("apply")

		// 2. The operator, in French: the queue, the application, approve.
		operatorBrowser, closeOperator := person()
		row := "#vendor-" + strconv.FormatInt(vendorID, 10)
		var queueRow, documents, approvedNotice, status string
		err = chromedp.Run(operatorBrowser,
			chromedp.Navigate(m.url+"/fr/account/signin?next=/admin/vendors"),
			chromedp.WaitVisible(`#email`, chromedp.ByQuery),
			chromedp.SendKeys(`#email`, "nadia@souk.ma", chromedp.ByQuery),
			chromedp.SendKeys(`#password`, "console-password-1", chromedp.ByQuery),
			chromedp.Click(`form[action="/fr/account/signin"] button[type="submit"]`, chromedp.ByQuery),
			chromedp.WaitVisible(row, chromedp.ByQuery),
			chromedp.Text(row, &queueRow, chromedp.ByQuery),
			shot("3-vendor-queue-fr"),
			chromedp.Click(row+` a`, chromedp.ByQuery),
			chromedp.WaitVisible(`#decide`, chromedp.ByQuery),
			chromedp.Text(`#documents`, &documents, chromedp.ByQuery),
			shot("4-application-fr"),
			chromedp.Click(`form.decision:has(input[name="action"][value="approve"]) button[type="submit"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`main > p.notice`, chromedp.ByQuery),
			chromedp.Text(`main > p.notice`, &approvedNotice, chromedp.ByQuery),
			chromedp.Text(`#vendor-status`, &status, chromedp.ByQuery),
			shot("5-approved-fr"),
		)
		closeOperator()
		if err != nil {
			t.Fatalf("operator: %v (screenshots in %s)", err, shots)
		}
		if !strings.Contains(queueRow, shopName) {
			t.Errorf("queue row: %q", queueRow)
		}
		if !strings.Contains(documents, "attestation-odco.pdf") {
			t.Errorf("documents: %q", documents)
		}
		if strings.TrimSpace(approvedNotice) != i18n.T("fr", "console.vendors.done.approve", nil) ||
			strings.TrimSpace(status) != i18n.T("fr", "console.vendors.status.approved", nil) {
			t.Errorf("after approving: notice %q, status %q", approvedNotice, status)
		}
		lap("approve")

		// 3. The owner: the e-mail's link, a password, the portal.
		var body string
		if err := d.Read().QueryRowContext(bg, `SELECT body_text FROM outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1`, email).Scan(&body); err != nil {
			t.Fatal(err)
		}
		link := regexp.MustCompile(`https?://\S+/ar/account/set-password\?token=\S+`).FindString(body)
		if !strings.HasPrefix(link, m.url+"/") {
			t.Fatalf("no Arabic set-password link to %s in %q", m.url, body)
		}
		owner, closeOwner := person()
		defer closeOwner() // on failure; closed after step 4 otherwise
		var portalURL, dir, lang, welcome string
		var dirOK, langOK bool
		err = chromedp.Run(owner,
			chromedp.Navigate(link),
			chromedp.WaitVisible(`#password`, chromedp.ByQuery),
			shot("6-set-password-ar"),
			chromedp.SendKeys(`#password`, password, chromedp.ByQuery),
			chromedp.Click(`form[action="/ar/account/set-password"] button[type="submit"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`body.bo main > p.notice`, chromedp.ByQuery),
			chromedp.Location(&portalURL),
			chromedp.AttributeValue(`html`, "dir", &dir, &dirOK, chromedp.ByQuery),
			chromedp.AttributeValue(`html`, "lang", &lang, &langOK, chromedp.ByQuery),
			chromedp.Text(`main > p.notice`, &welcome, chromedp.ByQuery),
			shot("7-portal-welcome-ar"),
		)
		if err != nil {
			t.Fatalf("owner, password: %v (screenshots in %s)", err, shots)
		}
		if !strings.HasSuffix(portalURL, "/vendor/?welcome=1") || dir != "rtl" || lang != "ar" ||
			!strings.Contains(welcome, i18n.T("ar", "bo.welcome", nil)) {
			t.Errorf("portal after choosing a password: %s dir=%q lang=%q, %q", portalURL, dir, lang, welcome)
		}
		lap("password")

		// 4. The owner's first product, in Arabic: a draft, its photo, review.
		var productURL, createdNotice, draft, photoNotice, photoSrc, pendingStatus, submittedNotice, pendingStep string
		var photoShown bool
		err = chromedp.Run(owner,
			chromedp.Click(`nav.menu a[href="/vendor/products"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`#add-product`, chromedp.ByQuery),
			chromedp.Click(`#add-product`, chromedp.ByQuery),
			chromedp.WaitVisible(`#product-form`, chromedp.ByQuery),
			chromedp.SetValue(`#category`, "dates-dried-fruit", chromedp.ByQuery),
			chromedp.SendKeys(`#title-ar`, title, chromedp.ByQuery),
			chromedp.SendKeys(`#description-ar`, "تمور مجهول من واحة تيسينت، تُجنى باليد وتُوضَّب في التعاونية.", chromedp.ByQuery),
			chromedp.SendKeys(`#variants-0-label`, "علبة 1 كغ", chromedp.ByQuery),
			chromedp.SendKeys(`#variants-0-price`, "85,00", chromedp.ByQuery),
			chromedp.SendKeys(`#variants-0-stock`, "20", chromedp.ByQuery),
			chromedp.SendKeys(`#variants-0-weight`, "1100", chromedp.ByQuery),
			shot("8-new-product-ar"),
			chromedp.Click(`#save`, chromedp.ByQuery),
			chromedp.WaitVisible(`#photo-form`, chromedp.ByQuery), // only a saved product has photos
			chromedp.Location(&productURL),
			chromedp.Text(`main > p.notice`, &createdNotice, chromedp.ByQuery),
			chromedp.Text(`h1 #status`, &draft, chromedp.ByQuery),
			shot("9-draft-ar"),
			chromedp.SetUploadFiles(`#photos-gallery`, []string{photoPath}, chromedp.ByQuery),
			chromedp.Click(`#photo-form button[type="submit"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`#photo-list img`, chromedp.ByQuery),
			chromedp.Text(`main > p.notice`, &photoNotice, chromedp.ByQuery),
			chromedp.AttributeValue(`#photo-list img`, "src", &photoSrc, nil, chromedp.ByQuery),
			chromedp.ScrollIntoView(`#photo-list img`, chromedp.ByQuery), // it loads lazily
			chromedp.Poll(`(() => { const i = document.querySelector('#photo-list img'); return i.complete && i.naturalWidth > 0 })()`,
				&photoShown, chromedp.WithPollingTimeout(30*time.Second)),
			shot("10-photo-ar"),
			chromedp.Click(`#submit form button[type="submit"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`h1 #status.warn`, chromedp.ByQuery), // pending review; a draft's badge has no class
			chromedp.Text(`h1 #status`, &pendingStatus, chromedp.ByQuery),
			chromedp.Text(`main > p.notice`, &submittedNotice, chromedp.ByQuery),
			chromedp.Text(`#submit-title`, &pendingStep, chromedp.ByQuery),
			shot("11-submitted-ar"),
		)
		closeOwner()
		if err != nil {
			t.Fatalf("owner, product: %v (screenshots in %s)", err, shots)
		}
		found := regexp.MustCompile(`/vendor/products/(\d+)\?done=products\.created$`).FindStringSubmatch(productURL)
		if found == nil {
			t.Fatalf("after saving the draft: %s", productURL)
		}
		productID := found[1]
		if strings.TrimSpace(createdNotice) != i18n.T("ar", "products.created", nil) || strings.TrimSpace(draft) != i18n.T("ar", "products.status.draft", nil) {
			t.Errorf("draft saved: notice %q, status %q", createdNotice, draft)
		}
		if strings.TrimSpace(photoNotice) != i18n.T("ar", "products.photos_added", nil) || !strings.HasPrefix(photoSrc, "/media/") || !photoShown {
			t.Errorf("photo: notice %q, src %q, shown %v", photoNotice, photoSrc, photoShown)
		}
		if strings.TrimSpace(pendingStatus) != i18n.T("ar", "products.status.pending_review", nil) ||
			strings.TrimSpace(submittedNotice) != i18n.T("ar", "products.submitted", nil) ||
			strings.TrimSpace(pendingStep) != i18n.T("ar", "products.step_pending_title", nil) {
			t.Errorf("submitted: status %q, notice %q, step %q", pendingStatus, submittedNotice, pendingStep)
		}
		lap("product")

		// 5. The moderator, in French: the queue, the product, the checklist.
		moderator, closeModerator := person()
		item := `#queue a[href="/admin/products/` + productID + `"]`
		var arTitle, published, queueAfter string
		var modPhotos int
		err = chromedp.Run(moderator,
			chromedp.Navigate(m.url+"/fr/account/signin?next=/admin/products"),
			chromedp.WaitVisible(`#email`, chromedp.ByQuery),
			chromedp.SendKeys(`#email`, "karim@souk.ma", chromedp.ByQuery),
			chromedp.SendKeys(`#password`, "console-password-2", chromedp.ByQuery),
			chromedp.Click(`form[action="/fr/account/signin"] button[type="submit"]`, chromedp.ByQuery),
			chromedp.WaitVisible(item, chromedp.ByQuery),
			shot("12-moderation-queue-fr"),
			chromedp.Click(item, chromedp.ByQuery),
			chromedp.WaitVisible(`#publish`, chromedp.ByQuery),
			chromedp.Text(`#locale-ar strong`, &arTitle, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll('main .photos img').length`, &modPhotos),
			chromedp.ActionFunc(func(ctx context.Context) error {
				for _, c := range catalog.QualityChecks {
					if err := chromedp.Click(`#check-`+c, chromedp.ByQuery).Do(ctx); err != nil {
						return err
					}
				}
				return nil
			}),
			shot("13-checklist-fr"),
			chromedp.Click(`#publish button[type="submit"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`main > p.notice`, chromedp.ByQuery),
			chromedp.Text(`main > p.notice`, &published, chromedp.ByQuery),
			chromedp.Text(`main`, &queueAfter, chromedp.ByQuery),
			shot("14-published-fr"),
		)
		closeModerator()
		if err != nil {
			t.Fatalf("moderator: %v (screenshots in %s)", err, shots)
		}
		if strings.TrimSpace(arTitle) != title || modPhotos != 1 {
			t.Errorf("the moderator sees title %q and %d photos", arTitle, modPhotos)
		}
		if strings.TrimSpace(published) != i18n.T("fr", "moderation.published", nil) || strings.Contains(queueAfter, title) {
			t.Errorf("after publishing: notice %q; queue %q", published, queueAfter)
		}
		lap("moderate")

		// 6. A visitor searches for dates, and finds them.
		p, err := m.app.Catalog.Get(bg, operator, productID)
		if err != nil {
			t.Fatal(err)
		}
		visitor, closeVisitor := person()
		public := "/ar/p/" + p.Slug
		var resultsText, visitorURL, heading, shownPrice string
		err = chromedp.Run(visitor,
			chromedp.Navigate(m.url+"/ar/"),
			chromedp.WaitVisible(`input[name="q"]`, chromedp.ByQuery),
			chromedp.SendKeys(`input[name="q"]`, "تمور", chromedp.ByQuery),
			chromedp.Submit(`input[name="q"]`, chromedp.ByQuery),
			// The home page may list the product too: wait for the results page.
			chromedp.ActionFunc(func(ctx context.Context) error {
				for { // asked while the page changes, the question may get no answer: ask again
					var at string
					if err := chromedp.Evaluate(`location.pathname + " " + document.readyState`, &at).Do(ctx); err == nil && at == "/ar/search complete" {
						return nil
					}
					select {
					case <-ctx.Done():
						return ctx.Err()
					case <-time.After(100 * time.Millisecond):
					}
				}
			}),
			chromedp.WaitVisible(`a[href="`+public+`"]`, chromedp.ByQuery),
			chromedp.Text(`main`, &resultsText, chromedp.ByQuery),
			shot("15-search-ar"),
			// The title is what a thumb taps (chromedp would aim at the inline link's first,
			// empty box, above the photo, and miss).
			chromedp.Click(`a[href="`+public+`"] bdi`, chromedp.ByQuery),
			chromedp.WaitVisible(`table.variants`, chromedp.ByQuery),
			chromedp.Location(&visitorURL),
			chromedp.Text(`h1`, &heading, chromedp.ByQuery),
			chromedp.Text(`table.variants td.price`, &shownPrice, chromedp.ByQuery),
			shot("16-product-ar"),
		)
		closeVisitor()
		if err != nil {
			t.Fatalf("visitor: %v (screenshots in %s)", err, shots)
		}
		if !strings.Contains(resultsText, title) {
			t.Errorf("search results: %q", resultsText)
		}
		if visitorURL != m.url+public || strings.TrimSpace(heading) != title {
			t.Errorf("product page %s: title %q", visitorURL, heading)
		}
		if want := i18n.FormatMoney("ar", price); !strings.Contains(shownPrice, want) {
			t.Errorf("price %q, want %q", shownPrice, want)
		}
		lap("visit")

		if len(overflow) > 0 {
			t.Errorf("pages wider than a phone's screen: %v", overflow)
		}

		// What is recorded.
		if v, err := m.app.Vendors.Get(bg, operator, strconv.FormatInt(vendorID, 10)); err != nil || v.Status != vendor.Approved {
			t.Errorf("vendor: %v, status %s", err, v.Status)
		}
		var owners int
		if err := d.Read().QueryRowContext(bg, `SELECT COUNT(*) FROM users WHERE email = ? AND role = 'vendor_owner' AND vendor_id = ? AND password_hash <> ''`,
			email, vendorID).Scan(&owners); err != nil || owners != 1 {
			t.Errorf("the owner with a password: %d (%v)", owners, err)
		}
		if p.Status != catalog.Published || len(p.Images) != 1 || p.VendorID != vendorID || p.CategorySlug != "dates-dried-fruit" ||
			len(p.Variants) != 1 || p.Variants[0].Price != price || p.Variants[0].Stock != 20 || p.Variants[0].WeightGrams != 1100 {
			t.Errorf("product: status %s, %d images, vendor %d, category %s, variants %+v", p.Status, len(p.Images), p.VendorID, p.CategorySlug, p.Variants)
		}
		rows, err := d.Read().QueryContext(bg, `SELECT action, actor_role FROM audit_log
			WHERE (entity = 'vendor' AND entity_id = ?) OR (entity = 'product' AND entity_id = ?) ORDER BY id`,
			strconv.FormatInt(vendorID, 10), productID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var log []string
		for rows.Next() {
			var action, role string
			if err := rows.Scan(&action, &role); err != nil {
				t.Fatal(err)
			}
			log = append(log, action+" by "+role)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		want := []string{"vendor.apply by ", "vendor.approve by admin", "product.create by vendor_owner",
			"product.photo_add by vendor_owner", "product.submit by vendor_owner", "product.publish by moderator"}
		at := 0
		for _, e := range log {
			if at < len(want) && e == want[at] {
				at++
			}
		}
		if at != len(want) || slices.Contains(log, "product.reject by moderator") {
			t.Errorf("audit log %q, want in order %q", log, want)
		}
	})
}

// writeDatesPhoto writes an 800×600 JPEG, as a phone's gallery would hold:
// dates (dark brown ovals) on a light tray.
func writeDatesPhoto(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for y := range 600 {
		for x := range 800 {
			c := color.RGBA{R: 236 - uint8(y/20), G: 222 - uint8(y/20), B: 196 - uint8(x/40), A: 255}
			for i := range 12 {
				cx, cy := 120+(i%4)*180, 130+(i/4)*170
				dx, dy := float64(x-cx)/70, float64(y-cy)/45
				if dx*dx+dy*dy <= 1 {
					c = color.RGBA{R: 92 + uint8(i*3), G: 48, B: 22, A: 255}
				}
			}
			img.Set(x, y, c)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
