package web

import (
	"errors"
	"net/http"
	"strings"

	"souk/internal/errs"
	"souk/internal/i18n"
	"souk/internal/ledger"
)

// Remittances: what carriers (cash on delivery) and card gateways hold for
// the marketplace, and the form the treasurer records each remittance with
// from the bank statement (ledger.RecordRemittance). Admins only: money.

func (s *Server) adminRemittanceRoutes() []boRoute {
	return []boRoute{
		{Method: "GET", Pattern: "/admin/remittances", Access: admins, Handle: s.adminRemittances, Nav: "remittances.nav"},
		{Method: "POST", Pattern: "/admin/remittances", Access: admins, Handle: s.adminRemittances},
	}
}

var _ = notice("remittances.recorded")

type remittanceRow struct {
	Account, Amount, Reference, At string
}

type remittancesData struct {
	Holds             []remittanceRow
	History           []remittanceRow
	Account           selectField
	Amount, Reference formField
	Problems          []problem
}

func (s *Server) adminRemittances(w http.ResponseWriter, r *http.Request, c bo) error {
	ctx, loc := r.Context(), c.Loc
	t := func(key string) string { return i18n.T(loc, key, nil) }
	holds, err := s.Ledger.Receivables(ctx, c.User)
	if err != nil {
		return err
	}
	name, err := s.accountNames(r, loc)
	if err != nil {
		return err
	}
	d := remittancesData{}
	d.Account = selectField{formField: formField{ID: "account", Name: "account", Label: t("remittances.account"), Required: true}}
	for _, h := range holds {
		d.Holds = append(d.Holds, remittanceRow{Account: name(h.Account), Amount: i18n.FormatMoney(loc, h.Holds)})
		if h.Holds.Amount > 0 {
			d.Account.Choices = append(d.Account.Choices, choice{Value: h.Account, Label: name(h.Account)})
		}
	}
	d.Amount = formField{ID: "amount", Name: "amount", Label: t("remittances.amount"), Type: "text", Inputs: "decimal", Dir: "ltr", Required: true}
	d.Reference = formField{ID: "reference", Name: "reference", Label: t("remittances.reference"), Type: "text", Dir: "ltr", Required: true}

	status := http.StatusOK
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			return errs.Wrap(errs.Invalid, "error.invalid", err)
		}
		d.Account.Value, d.Amount.Value, d.Reference.Value = r.PostForm.Get("account"), r.PostForm.Get("amount"), r.PostForm.Get("reference")
		fields := map[string]string{}
		amount, err := aoAmount(d.Amount.Value)
		if err != nil {
			var e *errs.Error
			if errors.As(err, &e) {
				for k, v := range e.Fields {
					fields[k] = v
				}
			}
		}
		if strings.TrimSpace(d.Account.Value) == "" {
			fields["account"] = "field.required"
		}
		if len(fields) == 0 {
			_, err := s.Ledger.RecordRemittance(ctx, c.User, d.Account.Value, amount, d.Reference.Value)
			if err == nil {
				return done(w, r, "/admin/remittances", "remittances.recorded")
			}
			var e *errs.Error
			if !errors.As(err, &e) || len(e.Fields) == 0 {
				return err
			}
			for k, v := range e.Fields {
				fields[k] = v
			}
		}
		status = http.StatusUnprocessableEntity
		d.Problems = fieldProblems(loc, fields, []*formField{&d.Account.formField, &d.Amount, &d.Reference})
	}
	for j := range d.Account.Choices {
		d.Account.Choices[j].Selected = d.Account.Choices[j].Value == d.Account.Value
	}
	history, err := s.Ledger.Remittances(ctx, c.User, 100)
	if err != nil {
		return err
	}
	for _, h := range history {
		d.History = append(d.History, remittanceRow{Account: name(h.Account), Amount: i18n.FormatMoney(loc, h.Amount),
			Reference: h.Reference, At: when(h.At)})
	}
	return s.renderBO(w, r, c, status, "admin_remittances", t("remittances.title"), d)
}

// accountNames names a carrier's or gateway's ledger account for people:
// "Cash on delivery — Amana", "Card payments — CMI".
func (s *Server) accountNames(r *http.Request, loc string) (func(string) string, error) {
	carriers, err := s.Shipping.Carriers(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[string]string{"clearing:cmi": "CMI", "clearing:stripe": "Stripe"}
	for _, c := range carriers {
		names[ledger.COD(c.Code)] = c.Name
	}
	return func(account string) string {
		n, ok := names[account]
		if !ok {
			_, n, _ = strings.Cut(account, ":")
		}
		if strings.HasPrefix(account, "cod:") {
			return i18n.T(loc, "remittances.account_cod", map[string]any{"name": n})
		}
		return i18n.T(loc, "remittances.account_clearing", map[string]any{"name": n})
	}, nil
}
