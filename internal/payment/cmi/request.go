package cmi

import (
	"crypto/rand"
	"math"
	"net/url"
	"strconv"
	"strings"
)

// Config identifies the merchant at CMI. StoreKey signs requests and
// callbacks; it must never leave the server.
type Config struct {
	ClientID string
	StoreKey string
	// GatewayURL is the full est3Dgate URL the browser posts the form to,
	// e.g. https://testpayment.cmi.co.ma/fim/est3Dgate. It is kept in
	// configuration because the production host is given by CMI.
	GatewayURL string
}

// Payment is one payment attempt. OrderID (CMI's oid) must be unique per
// attempt (spec §1), so a retry needs a fresh one.
type Payment struct {
	OrderID     string
	Amount      int64 // centimes of MAD
	OkURL       string
	FailURL     string
	CallbackURL string
	ShopURL     string
	Lang        string // fr, ar or en; anything else becomes fr
	Email       string
	Name        string
	Phone       string
}

// Fixed request values for souk's integration: hosted card page, MAD, and a
// pre-authorisation that the callback answer captures (ACTION=POSTAUTH).
const (
	storeType     = "3D_PAY_HOSTING"
	tranType      = "PreAuth"
	currencyMAD   = "504"
	hashAlgorithm = "ver3"
)

// Form returns the fields the browser must POST to c.GatewayURL, HASH
// included. rnd is the nonce (see RandomNonce); it is a parameter so that
// forms can be reproduced in tests. Values are trimmed because the hash is
// computed over trimmed values: what is posted is then exactly what is
// signed. The store key is only used to sign, never included.
func (c Config) Form(p Payment, rnd string) url.Values {
	f := url.Values{}
	set := func(name, value string) { f.Set(name, strings.Trim(value, phpTrimSet)) }
	set("clientid", c.ClientID)
	set("storetype", storeType)
	set("TranType", tranType)
	set("amount", FormatAmount(p.Amount))
	set("currency", currencyMAD)
	set("oid", p.OrderID)
	set("okUrl", p.OkURL)
	set("failUrl", p.FailURL)
	set("CallbackURL", p.CallbackURL)
	set("shopurl", p.ShopURL)
	set("lang", normalizeLang(p.Lang))
	set("rnd", rnd)
	set("hashAlgorithm", hashAlgorithm)
	set("encoding", "UTF-8")
	set("email", p.Email)
	set("BillToName", p.Name)
	if strings.Trim(p.Phone, phpTrimSet) != "" {
		set("tel", p.Phone)
	}
	f.Set("HASH", Hash(f, c.StoreKey))
	return f
}

// normalizeLang maps a locale to one of the three languages CMI's page has;
// souk also speaks Spanish and Tamazight, which fall back to French.
func normalizeLang(lang string) string {
	switch l := strings.ToLower(strings.TrimSpace(lang)); l {
	case "fr", "ar", "en":
		return l
	}
	return "fr"
}

// FormatAmount renders centimes as CMI expects amounts: a decimal with a dot
// and two decimals, e.g. 1060 → "10.60". Integer arithmetic only, so no
// centime is ever lost to floating point.
func FormatAmount(centimes int64) string {
	sign := ""
	u := uint64(centimes)
	if centimes < 0 {
		sign = "-"
		u = uint64(-(centimes + 1)) + 1 // safe for math.MinInt64
	}
	frac := u % 100
	s := sign + strconv.FormatUint(u/100, 10) + "."
	if frac < 10 {
		s += "0"
	}
	return s + strconv.FormatUint(frac, 10)
}

// ParseAmount parses an amount of the form ^\d+(\.\d{1,2})?$ (ASCII digits)
// into centimes: "10.6" and "10.60" are both 1060. It reports false for
// anything else, including values that do not fit in an int64.
func ParseAmount(s string) (int64, bool) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) {
		return 0, false
	}
	if hasFrac && (len(frac) < 1 || len(frac) > 2 || !allDigits(frac)) {
		return 0, false
	}
	var units int64 // whole dirhams, kept ≤ MaxInt64/100 so ×100 cannot overflow
	for i := 0; i < len(whole); i++ {
		d := int64(whole[i] - '0')
		if units > (math.MaxInt64/100-d)/10 {
			return 0, false
		}
		units = units*10 + d
	}
	var cents int64
	switch len(frac) {
	case 1:
		cents = int64(frac[0]-'0') * 10
	case 2:
		cents = int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	if units*100 > math.MaxInt64-cents {
		return 0, false
	}
	return units*100 + cents, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// RandomNonce returns a fresh value for the rnd field. CMI only needs it to
// differ between requests; crypto/rand (over 128 bits) makes it unguessable too.
func RandomNonce() string {
	return rand.Text()
}
