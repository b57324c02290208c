package app

import (
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"souk/internal/auth"
	"souk/internal/catalog"
	"souk/internal/money"
	"souk/internal/notify/smtptest"
	"souk/internal/order"
	"souk/internal/vendor"
)

// An order placed in French sends one e-mail, in French, through a real
// SMTP server, by the worker `souk serve` runs.
func TestOrderEmailReachesTheMailServer(t *testing.T) {
	t.Parallel() // its own folder, port and mail server; it waits seconds for the worker
	mailbox := smtptest.Start(t)
	cfg := testConfig(t.TempDir())
	cfg.NoDemo, cfg.SMTPURL, cfg.MailFrom = true, "smtp://"+mailbox.Addr, "souk <no-reply@souk.test>"
	a, err := Start(context.Background(), cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Shutdown(context.Background())
	ctx := context.Background()
	op := auth.User{Role: auth.RoleAdmin}
	v, err := a.Vendors.Create(ctx, op, vendor.Input{Slug: "tifaouine", Kind: vendor.Cooperative, LegalName: "Coopérative Tifaouine",
		Region: "souss-massa", City: "Taroudant", CooperativeNumber: "2004/1",
		Texts: map[string]vendor.Texts{"fr": {DisplayName: "Coopérative Tifaouine"}}}, vendor.Approved)
	if err != nil {
		t.Fatal(err)
	}
	p, err := a.Catalog.Create(ctx, op, v.ID, catalog.Input{Category: "argan-oil", Status: catalog.Published, TaxClass: "exempt",
		Texts:    map[string]catalog.Texts{"fr": {Title: "Huile d’argan"}},
		Variants: []catalog.Variant{{SKU: "A250", Price: money.Dirhams(12000), Stock: 5, WeightGrams: 300}}})
	if err != nil {
		t.Fatal(err)
	}
	variant, _ := a.Catalog.FindVariant(ctx, p.Slug, "A250")
	c, _ := a.Orders.NewCart(ctx, auth.User{}, "")
	if _, err := a.Orders.SetItem(ctx, auth.User{}, c.ID, variant, 1, true); err != nil {
		t.Fatal(err)
	}
	o, _, err := a.Orders.Checkout(ctx, auth.User{}, c.ID, "k1", order.CheckoutInput{Email: "claire@example.fr", Phone: "0612345678",
		PaymentMethod: order.COD, Locale: "fr", Address: order.Address{Name: "Claire", Line1: "3 derb Sidi Bouloukat", City: "marrakech", Country: "MA"}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for len(mailbox.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // another round of the worker: still one
	msgs := mailbox.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d e-mails, want 1", len(msgs))
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msgs[0].Header.Get("Subject"))
	to, err := mail.ParseAddress(msgs[0].Header.Get("To"))
	if subject != "Votre commande souk "+o.Number || err != nil || to.Address != "claire@example.fr" {
		t.Errorf("subject %q to %q", subject, msgs[0].Header.Get("To"))
	}
	body := new(strings.Builder)
	if _, err := readBody(msgs[0], body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body.String(), "Huile d’argan") || !strings.Contains(body.String(), "/fr/orders/"+o.Number+"?t=") {
		t.Errorf("body: %s", body)
	}
}

// readBody decodes a text/plain quoted-printable body.
func readBody(m *mail.Message, into *strings.Builder) (int64, error) {
	var r io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(m.Body)
	}
	return io.Copy(into, r)
}
