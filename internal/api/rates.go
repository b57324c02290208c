package api

import (
	"net/http"
	"time"

	"souk/internal/auth"
	"souk/internal/currency"
	"souk/internal/errs"
	"souk/internal/money"
)

// rateView is an exchange rate as the API writes it. The rate is a decimal
// string, never a float: "10.85" is 10.85 MAD for one unit.
type rateView struct {
	Currency   string    `json:"currency"`
	MADPerUnit string    `json:"mad_per_unit"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// operatorRateView adds who set the rate: an account id, which only the
// marketplace team sees. null is souk's default rate, never set by anyone.
type operatorRateView struct {
	rateView
	UpdatedBy *int64 `json:"updated_by"`
}

type rateList struct {
	Base  string `json:"base"`
	Items []any  `json:"items"`
}

func rateJSON(r currency.Rate, by auth.User) any {
	v := rateView{Currency: r.Currency, MADPerUnit: money.FormatRate(r.MADPerUnit), UpdatedAt: r.UpdatedAt}
	if !by.IsOperator() {
		return v
	}
	o := operatorRateView{rateView: v}
	if r.UpdatedBy != 0 {
		o.UpdatedBy = &r.UpdatedBy
	}
	return o
}

func (s *Server) listRates(w http.ResponseWriter, r *http.Request) error {
	rates, err := s.Rates.List(r.Context())
	if err != nil {
		return err
	}
	by := viewer(r)
	out := rateList{Base: money.MAD, Items: make([]any, 0, len(rates))}
	for _, x := range rates {
		out.Items = append(out.Items, rateJSON(x, by))
	}
	return writeJSON(w, http.StatusOK, out)
}

type setRateRequest struct {
	MADPerUnit string `json:"mad_per_unit"`
}

// setRate sets one currency's rate: operators only. The rate must be a JSON
// string; a number is refused as the wrong type, so no float ever carries it.
func (s *Server) setRate(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	if !by.IsOperator() {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	var in setRateRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	got, err := s.Rates.Set(r.Context(), by, r.PathValue("currency"), in.MADPerUnit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rateJSON(got, by))
}
