package loadtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// viewsPerVisitor is the pages a launch visitor views on average: the home
// page, a category, 1.5 searches, 4 products and half a vendor page.
const viewsPerVisitor = 8

// approvedCard is the CMI simulator's test card that is always approved.
const approvedCard = "4000000000000010"

// shop plans visitors and their purchases and keeps the orders they
// placed. Plans are made under the engine's lock (newFlow); answers are
// read by the results reader; the orders are read after the attacks.
type shop struct {
	cat      *catalog
	rng      *rand.Rand
	items    []item // the sample, shuffled: popularity follows this order
	popular  *rand.Zipf
	lines    []*stockLine
	buy      float64
	card     float64
	visitors int
	buyers   int

	mu     sync.Mutex
	orders []*placed
	lost   []*purchase // checkouts sent that placed no order the client saw
}

// stockLine is a variant buyers may take, with what the harness has left
// to sell of it (it never plans more than the stock it read).
type stockLine struct {
	Product, SKU string
	Qty          int // per order: enough to reach the minimum order
	Before       int // stock read before the attacks
	left         int
}

// placed is an order the client saw placed.
type placed struct {
	Number string
	Token  string
	Method string // cod or cmi
	Total  int64
	Paid   bool // cmi: the simulator approved the card
	Line   *stockLine
	Qty    int
}

// purchase is one buyer's way through the API.
type purchase struct {
	line    *stockLine
	qty     int
	method  string
	key     string // Idempotency-Key
	cart    string
	sent    bool // the checkout request left
	order   *placed
	cmiURL  string
	cmiForm url.Values
}

func newShop(cat *catalog, seed uint64) *shop {
	s := &shop{cat: cat, rng: rand.New(rand.NewPCG(seed, seed^0x50c4))}
	s.items = append([]item(nil), cat.Items...)
	s.rng.Shuffle(len(s.items), func(i, j int) { s.items[i], s.items[j] = s.items[j], s.items[i] })
	if len(s.items) > 1 {
		s.popular = rand.NewZipf(s.rng, 1.1, 1, uint64(len(s.items)-1))
	}
	minOrder := max(cat.MinOrder, 1)
	for _, it := range s.items {
		for _, v := range it.Variants {
			if v.Price.Currency != "MAD" || v.Price.Amount <= 0 {
				continue
			}
			qty := int((minOrder + v.Price.Amount - 1) / v.Price.Amount)
			if qty <= 3 && v.Stock >= qty && v.WeightGrams*qty <= 5000 {
				s.lines = append(s.lines, &stockLine{Product: it.Slug, SKU: v.SKU, Qty: qty, Before: v.Stock, left: v.Stock})
			}
		}
	}
	return s
}

func (s *shop) product() item {
	if s.popular == nil {
		return s.items[0]
	}
	return s.items[s.popular.Uint64()]
}

func (s *shop) pick(list []string) string { return list[s.rng.IntN(len(list))] }

// query is a search a shopper types: a word of a title, or its first
// letters (the last word of a query matches as a prefix).
func (s *shop) query(loc string) string {
	w := []rune(s.pick(s.cat.Words[loc]))
	if len(w) > 4 && s.rng.IntN(4) == 0 {
		w = w[:3+s.rng.IntN(len(w)-3)]
	}
	return string(w)
}

// every says whether the n-th of a series is one of a share: spread evenly
// (a share of 0.005 is every 200th), so small runs get their share too.
func every(n int, share float64) bool {
	return int(float64(n)*share) > int(float64(n-1)*share)
}

// browserHeaders is what a browser says of itself that matters to souk's
// answers, by the language cookie it holds: it takes gzip, and from its
// second page on it sends back the language cookie souk set (web's
// CookieLocale; a page in another language sets it again). Set by hand,
// Go's client leaves the body compressed, so the load generator does not
// spend the two cores' time decompressing pages it does not read.
var browserHeaders = map[string]http.Header{
	"":   {"Accept-Encoding": {"gzip, deflate, br"}},
	"ar": {"Accept-Encoding": {"gzip, deflate, br"}, "Cookie": {"souk_locale=ar"}},
	"fr": {"Accept-Encoding": {"gzip, deflate, br"}, "Cookie": {"souk_locale=fr"}},
}

// page is a visit's view of a page in loc by a browser whose language
// cookie says cookie ("" on its first page).
func page(name, loc, path, cookie string) step {
	h := browserHeaders[cookie]
	return step{name: name, part: "visit", skippable: true, make: func() request {
		return request{method: http.MethodGet, url: "/" + loc + path, header: h}
	}}
}

// single is a flow of one request: the wrk-like scenarios on one URL.
func single(name, method, path string) func(uint64) *flow {
	return func(uint64) *flow {
		return &flow{steps: []step{{name: name, make: func() request { return request{method: method, url: path} }}}}
	}
}

// visitor plans one launch visitor: about eight pages in Arabic or French,
// and for a share of them a purchase.
func (s *shop) visitor(uint64) *flow {
	s.visitors++
	loc := "ar"
	if s.rng.IntN(2) == 0 {
		loc = "fr"
	}
	var steps []step
	cookie := "" // the browser's language cookie: none before its first page
	view := func(name, loc, path string) {
		steps = append(steps, page(name, loc, path, cookie))
		cookie = loc
	}
	view("home", loc, "/")
	view("category", loc, "/c/"+s.pick(s.cat.Categories))
	view("search-"+loc, loc, "/search?q="+url.QueryEscape(s.query(loc)))
	// After the first product, half the visitors open its vendor's page
	// and half search again, in the other language.
	products := 3 + s.rng.IntN(3)
	vendor, secondSearch := s.rng.IntN(2) == 0, s.rng.IntN(2) == 0
	for i := range products {
		p := s.product()
		view("product-page", loc, "/p/"+p.Slug)
		if i > 0 {
			continue
		}
		if vendor {
			view("vendor-page", loc, "/v/"+p.Vendor.Slug)
		}
		if secondSearch {
			other := map[string]string{"ar": "fr", "fr": "ar"}[loc]
			view("search-"+other, other, "/search?q="+url.QueryEscape(s.query(other)))
		}
	}
	f := &flow{steps: steps}
	if every(s.visitors, s.buy) {
		if p := s.plan(loc); p != nil {
			f.steps = append(f.steps, s.purchaseSteps(p, loc)...)
			f.done = func(ok bool) { s.finished(p, ok) }
		}
	}
	return f
}

// plan takes a line in stock for a buyer; nil when nothing is left.
func (s *shop) plan(loc string) *purchase {
	if len(s.lines) == 0 {
		return nil
	}
	start := s.rng.IntN(len(s.lines))
	for i := range s.lines {
		l := s.lines[(start+i)%len(s.lines)]
		if l.left >= l.Qty {
			l.left -= l.Qty
			s.buyers++
			p := &purchase{line: l, qty: l.Qty, method: "cod", key: fmt.Sprintf("loadtest-%x-%d", s.rng.Uint64(), s.buyers)}
			if every(s.buyers, s.card) {
				p.method = "cmi"
			}
			return p
		}
	}
	return nil
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

// cartSteps create a cart and add p's line to it.
func cartSteps(p *purchase, part string) []step {
	return []step{
		{name: "cart-create", part: part,
			make: func() request { return request{method: http.MethodPost, url: "/api/v1/carts"} },
			read: func(r *vegeta.Result) error {
				var c struct {
					ID string `json:"id"`
				}
				if err := json.Unmarshal(r.Body, &c); err != nil || c.ID == "" {
					return errors.New("no cart id in the answer")
				}
				p.cart = c.ID
				return nil
			}},
		{name: "cart-add", part: part,
			make: func() request {
				body, _ := json.Marshal(map[string]any{"product": p.line.Product, "variant": p.line.SKU, "quantity": p.qty})
				return request{method: http.MethodPost, url: "/api/v1/carts/" + p.cart + "/items", body: body, header: jsonHeader}
			},
			read: func(r *vegeta.Result) error {
				var c struct {
					Lines []struct {
						Variant  string `json:"variant"`
						Quantity int    `json:"quantity"`
					} `json:"lines"`
				}
				if err := json.Unmarshal(r.Body, &c); err != nil || len(c.Lines) != 1 || c.Lines[0].Variant != p.line.SKU || c.Lines[0].Quantity != p.qty {
					return errors.New("the cart does not hold the line added")
				}
				return nil
			}},
	}
}

// purchaseSteps: a cart, a line, checkout, and for a card the CMI
// simulator's payment page (which calls souk back before answering).
func (s *shop) purchaseSteps(p *purchase, loc string) []step {
	steps := cartSteps(p, "purchase")
	steps = append(steps, step{name: "checkout", part: "purchase",
		make: func() request {
			p.sent = true
			body, _ := json.Marshal(map[string]any{
				"email": "visitor+" + p.key + "@example.ma", "phone": "0612345678", "payment_method": p.method,
				"address": map[string]string{"name": "Amina Loadtest", "line1": "12 rue Ibn Batouta", "city": "casablanca", "country": "MA"},
			})
			return request{method: http.MethodPost, url: "/api/v1/carts/" + p.cart + "/checkout?locale=" + loc, body: body,
				header: http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {p.key}}}
		},
		read: func(r *vegeta.Result) error { return s.placed(p, r) }})
	if p.method == "cmi" {
		steps = append(steps, step{name: "cmi-pay", part: "purchase",
			make: func() request {
				form := url.Values{}
				for k, v := range p.cmiForm {
					form[k] = v
				}
				form.Set("pan", approvedCard)
				return request{method: http.MethodPost, url: p.cmiURL, body: []byte(form.Encode()),
					header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}}
			},
			read: func(r *vegeta.Result) error {
				if !bytes.Contains(r.Body, []byte("Payment approved")) {
					return errors.New("the simulator did not approve the card")
				}
				s.mu.Lock()
				p.order.Paid = true
				s.mu.Unlock()
				return nil
			}})
	}
	return steps
}

// placed reads checkout's answer: the order as the client saw it.
func (s *shop) placed(p *purchase, r *vegeta.Result) error {
	var o struct {
		ID     int64  `json:"id"`
		Number string `json:"number"`
		Status string `json:"status"`
		Link   string `json:"link"`
		Total  struct {
			Amount int64 `json:"amount"`
		} `json:"total"`
		Payment struct {
			Method string `json:"method"`
			CMI    *struct {
				URL    string            `json:"url"`
				Fields map[string]string `json:"fields"`
			} `json:"cmi"`
		} `json:"payment"`
	}
	if err := json.Unmarshal(r.Body, &o); err != nil || o.Number == "" {
		return errors.New("no order in the answer")
	}
	_, token, _ := strings.Cut(o.Link, "?t=")
	want := "confirmed"
	if p.method == "cmi" {
		want = "placed" // until the card is paid
	}
	if o.Status != want && o.Status != "placed" {
		return fmt.Errorf("order %s is %s, want %s", o.Number, o.Status, want)
	}
	if p.method == "cmi" {
		if o.Payment.CMI == nil || o.Payment.CMI.URL == "" {
			return fmt.Errorf("order %s: no CMI form to pay with", o.Number)
		}
		p.cmiURL, p.cmiForm = o.Payment.CMI.URL, url.Values{}
		for k, v := range o.Payment.CMI.Fields {
			p.cmiForm.Set(k, v)
		}
	}
	p.order = &placed{Number: o.Number, Token: token, Method: p.method, Total: o.Total.Amount, Line: p.line, Qty: p.qty}
	s.mu.Lock()
	s.orders = append(s.orders, p.order)
	s.mu.Unlock()
	return nil
}

// finished remembers a checkout that was sent but placed no order the
// client saw: a refusal, or no answer in time (then the order may exist).
func (s *shop) finished(p *purchase, ok bool) {
	if ok || !p.sent || p.order != nil {
		return
	}
	s.mu.Lock()
	s.lost = append(s.lost, p)
	s.mu.Unlock()
}

// cartFlow is the wrk-like cart scenario: create a cart, add a line.
func (s *shop) cartFlow(uint64) *flow {
	p := &purchase{qty: 1}
	if len(s.lines) > 0 {
		p.line = s.lines[s.rng.IntN(len(s.lines))]
	} else {
		p.line = &stockLine{Product: s.items[0].Slug, SKU: s.items[0].Variants[0].SKU}
	}
	return &flow{steps: cartSteps(p, "cart")}
}

// Orders sums up what the buyers did.
type Orders struct {
	Placed int `json:"placed"` // orders the client saw placed
	COD    int `json:"cod"`
	Card   int `json:"card"`
	Paid   int `json:"card_paid"`
	Failed int `json:"checkouts_failed"` // checkouts sent with no order in the answer (refused or unanswered)
}

func (s *shop) summary() Orders {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := Orders{Placed: len(s.orders), Failed: len(s.lost)}
	for _, x := range s.orders {
		if x.Method == "cmi" {
			o.Card++
			if x.Paid {
				o.Paid++
			}
		} else {
			o.COD++
		}
	}
	return o
}
