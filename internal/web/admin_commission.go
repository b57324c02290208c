package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/ledger"
	"souk/internal/money"
	"souk/internal/vendor"
)

// Commission rules: what souk keeps of a sale, per vendor kind, category
// and sales channel (any of them "any"), from a date on — for example 0%
// for the cooperatives of a solidarity programme. Operators read them;
// admins add them. A rule never changes the commission of an order
// already placed (ledger.SetCommissionRule refuses a start in the past),
// so the list is the history too.

func (s *Server) adminCommissionRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/admin/commission", Access: operators, Handle: s.adminCommission, Nav: "commission.nav"},
		{Method: "POST", Pattern: "/admin/commission", Access: admins, Handle: s.adminCommission},
	}
}

var _ = notice("commission.saved")

type commissionRow struct {
	Kind, Category, Channel, Rate, From, Note, State, StateClass string
}

type commissionData struct {
	Rules                     []commissionRow
	CanSet                    bool
	Kind, Category, Channel   selectField
	Rate, EffectiveFrom, Note formField
	Problems                  []problem
}

func (s *Server) adminCommission(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx, loc := r.Context(), c.Loc
	t := func(key string) string { return i18n.T(loc, key, nil) }
	rules, err := s.Ledger.CommissionRules(ctx, c.User)
	if err != nil {
		return err
	}
	cats, err := s.Catalog.Categories(ctx)
	if err != nil {
		return err
	}
	channels, err := s.Orders.Channels(ctx)
	if err != nil {
		return err
	}
	catName := map[int64]string{}
	d := commissionData{CanSet: admins.allows(c.User)}
	d.Kind = selectField{formField: formField{ID: "vendor_kind", Name: "vendor_kind", Label: t("commission.kind")}}
	d.Kind.Choices = []choice{{Value: "", Label: t("commission.any")}}
	for _, k := range vendor.Kinds {
		d.Kind.Choices = append(d.Kind.Choices, choice{Value: string(k), Label: t("sell.kind." + string(k))})
	}
	d.Category = selectField{formField: formField{ID: "category_id", Name: "category_id", Label: t("commission.category")}}
	d.Category.Choices = []choice{{Value: "", Label: t("commission.any")}}
	for _, cat := range cats {
		name, _, _ := i18n.Pick(cat.Names, loc)
		catName[cat.ID] = name
		d.Category.Choices = append(d.Category.Choices, choice{Value: strconv.FormatInt(cat.ID, 10), Label: name})
	}
	d.Channel = selectField{formField: formField{ID: "channel", Name: "channel", Label: t("commission.channel")}}
	d.Channel.Choices = []choice{{Value: "", Label: t("commission.any")}}
	for _, ch := range channels {
		d.Channel.Choices = append(d.Channel.Choices, choice{Value: ch.Code, Label: t("bo.channel_" + ch.Code)})
	}
	d.Rate = formField{ID: "rate", Name: "rate", Label: t("commission.rate"), Type: "text", Inputs: "decimal", Dir: "ltr",
		Help: t("commission.rate_help"), Required: true}
	d.EffectiveFrom = formField{ID: "effective_from", Name: "effective_from", Label: t("commission.from"), Type: "date",
		Dir: "ltr", Help: t("commission.from_help")}
	d.Note = formField{ID: "note", Name: "note", Label: t("commission.note"), Type: "text"}

	status := http.StatusOK
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			return errs.Wrap(errs.Invalid, "error.invalid", err)
		}
		form := r.PostForm
		d.Kind.Value, d.Category.Value, d.Channel.Value = form.Get("vendor_kind"), form.Get("category_id"), form.Get("channel")
		d.Rate.Value, d.EffectiveFrom.Value, d.Note.Value = form.Get("rate"), form.Get("effective_from"), form.Get("note")
		fields := map[string]string{}
		rule := ledger.Rule{VendorKind: d.Kind.Value, Channel: d.Channel.Value, Note: d.Note.Value}
		if v := d.Category.Value; v != "" {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
				rule.CategoryID = id
			} else {
				fields["category_id"] = "field.not_found"
			}
		}
		if bp, ok := percentBP(d.Rate.Value); ok {
			rule.RateBP = bp
		} else if strings.TrimSpace(d.Rate.Value) == "" {
			fields["rate"] = "field.required"
		} else {
			fields["rate"] = "commission.rate_syntax"
		}
		if v := strings.TrimSpace(d.EffectiveFrom.Value); v != "" {
			day, err := time.ParseInLocation(time.DateOnly, v, casablanca)
			if err != nil {
				fields["effective_from"] = "field.date"
			}
			rule.EffectiveFrom = day
		}
		if len(fields) == 0 {
			_, err := s.Ledger.SetCommissionRule(ctx, c.User, rule)
			if err == nil {
				return done(w, r, "/admin/commission", "commission.saved")
			}
			var e *errs.Error
			if !errors.As(err, &e) || len(e.Fields) == 0 {
				return err
			}
			for k, v := range e.Fields {
				if k == "rate_bp" {
					k = "rate"
				}
				fields[k] = v
			}
		}
		status = http.StatusUnprocessableEntity
		d.Problems = fieldProblems(loc, fields, []*formField{&d.Kind.formField, &d.Category.formField, &d.Channel.formField,
			&d.Rate, &d.EffectiveFrom, &d.Note})
	}
	for _, f := range []*selectField{&d.Kind, &d.Category, &d.Channel} {
		for j := range f.Choices {
			f.Choices[j].Selected = f.Choices[j].Value == f.Value
		}
	}
	d.Rules = commissionRows(loc, rules, catName, time.Now())
	return s.renderBO(w, r, c, status, "admin_commission", t("commission.nav"), d)
}

// commissionRows shows the rules newest first, each said to be in force,
// to come, or replaced (by a later rule for the same kind, category and
// channel that has started).
func commissionRows(loc string, rules []ledger.Rule, catName map[int64]string, now time.Time) []commissionRow {
	t := func(key string) string { return i18n.T(loc, key, nil) }
	type key struct {
		kind, channel string
		cat           int64
	}
	current := map[key]ledger.Rule{} // the rule in force for each key: the latest started
	for _, r := range rules {
		k := key{r.VendorKind, r.Channel, r.CategoryID}
		if cur, ok := current[k]; !r.EffectiveFrom.After(now) && (!ok || !r.EffectiveFrom.Before(cur.EffectiveFrom)) {
			current[k] = r
		}
	}
	var out []commissionRow
	for i := len(rules) - 1; i >= 0; i-- {
		r := rules[i]
		row := commissionRow{Kind: t("commission.any"), Category: t("commission.any"), Channel: t("commission.any"),
			Rate: percentOf(loc, r.RateBP), From: r.EffectiveFrom.In(casablanca).Format("02/01/2006"), Note: r.Note}
		if r.VendorKind != "" {
			row.Kind = t("sell.kind." + r.VendorKind)
		}
		if r.CategoryID != 0 {
			row.Category = catName[r.CategoryID]
		}
		if r.Channel != "" {
			row.Channel = t("bo.channel_" + r.Channel)
		}
		switch k := (key{r.VendorKind, r.Channel, r.CategoryID}); {
		case r.EffectiveFrom.After(now):
			row.State, row.StateClass = t("commission.state_scheduled"), "warn"
		case current[k].ID == r.ID:
			row.State, row.StateClass = t("commission.state_current"), "ok"
		default:
			row.State = t("commission.state_replaced")
		}
		out = append(out, row)
	}
	return out
}

// percentOf shows basis points as a percentage in loc: 1000 → "10 %",
// 750 → "7,5 %".
func percentOf(loc string, bp int) string {
	v := strconv.FormatFloat(float64(bp)/100, 'f', -1, 64)
	if loc != "en" {
		v = strings.Replace(v, ".", ",", 1)
	}
	return v + "\u00a0%"
}

// percentBP reads a percentage as typed ("10", "7,5", "2.25 %", Arabic
// digits) into basis points; at most two decimals, 0 to 100.
func percentBP(s string) (int, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(money.WesternDigits(s)), "%"))
	s = strings.Replace(s, ",", ".", 1)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.Atoi(whole + frac)
	if err != nil || n < 0 || n > 10000 || strings.ContainsAny(whole+frac, "+-") {
		return 0, false
	}
	return n, true
}
