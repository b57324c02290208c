package api

import (
	"net/http"
	"strings"
	"time"

	"souk/internal/errs"
	"souk/internal/money"
	"souk/internal/morocco"
	"souk/internal/order"
	"souk/internal/shipping"
)

// listCarriers shows the carriers with their negotiated discounts: the
// operator's business, not the public's.
func (s *Server) listCarriers(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	if !by.IsOperator() {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	cs, err := s.Shipping.Carriers(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": cs})
}

type carrierRequest struct {
	DiscountBP *int  `json:"discount_bp"`
	Active     *bool `json:"active"`
}

func (s *Server) setCarrier(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	var in carrierRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	f := errs.Fields{}
	if in.DiscountBP == nil {
		f.Add("discount_bp", "field.required")
	}
	if in.Active == nil {
		f.Add("active", "field.required")
	}
	if err := f.Err(); err != nil {
		return err
	}
	c, err := s.Shipping.SetCarrier(r.Context(), by, r.PathValue("carrier"), *in.DiscountBP, *in.Active)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

type ratesRequest struct {
	Bands []shipping.Band `json:"bands"`
}

func (s *Server) setRates(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	var in ratesRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := s.Shipping.SetRates(r.Context(), by, r.PathValue("carrier"), r.PathValue("zone"), in.Bands); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, in)
}

// shippingQuotes prices a parcel of ?grams= to ?country= (and ?city= in
// Morocco) with every carrier that takes it.
func (s *Server) shippingQuotes(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := errs.Fields{}
	grams := queryInt(r, "grams", 0, 1_000_000, f)
	country := strings.ToUpper(q.Get("country"))
	d := shipping.Destination{Country: country}
	if len(country) != 2 {
		f.Add("country", "field.country")
	}
	if country == "MA" {
		c, ok := morocco.CityByCode(q.Get("city"))
		if !ok {
			f.Add("city", "field.city")
		}
		d.City, d.Region = c.Code, c.Region
	}
	if err := f.Err(); err != nil {
		return err
	}
	quotes, err := s.Shipping.Quotes(r.Context(), d, grams)
	if err != nil {
		return err
	}
	if quotes == nil {
		quotes = []shipping.Quote{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"currency": money.MAD, "items": quotes})
}

func (s *Server) listChannels(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.Orders.Channels(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": cs})
}

type channelRequest struct {
	MinOrder        *money.Money `json:"min_order"`
	SettlementHours *int         `json:"settlement_hours"`
}

func (s *Server) setChannel(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	var in channelRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.MinOrder == nil && in.SettlementHours == nil {
		return errs.Fields{"min_order": "field.required"}.Err()
	}
	c, err := s.Orders.SetChannel(r.Context(), by, r.PathValue("channel"), order.ChannelInput{MinOrder: in.MinOrder, SettlementHours: in.SettlementHours})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

type settingsView struct {
	CODConfirmation bool `json:"cod_confirmation_required"`
	CardHoldMinutes int  `json:"card_hold_minutes"`
}

func settingsJSON(st order.Settings) settingsView {
	return settingsView{CODConfirmation: st.CODConfirmation, CardHoldMinutes: int(st.CardHold / time.Minute)}
}

// getSettings shows the checkout settings (operators).
func (s *Server) getSettings(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	if !by.IsOperator() {
		return errs.E(errs.Forbidden, "error.forbidden")
	}
	st, err := s.Orders.Settings(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, settingsJSON(st))
}

func (s *Server) setSettings(w http.ResponseWriter, r *http.Request) error {
	by, err := requireUser(r)
	if err != nil {
		return err
	}
	var in order.SettingsInput
	if err := decode(r, &in); err != nil {
		return err
	}
	st, err := s.Orders.SetSettings(r.Context(), by, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, settingsJSON(st))
}
